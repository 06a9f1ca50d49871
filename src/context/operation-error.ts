import { SecretSyncError } from '../core/errors.js';
import type { Fault } from '../core/errors.js';
import { OPERATION_ACTIONS } from './operation.js';
import type { Operation, OutcomeClass } from './operation.js';

/** The structured context of a failed external call (requirement 3). */
export interface OperationErrorFields {
  readonly requestId: string;
  readonly operation: Operation;
  /** The resource: a Vault path or a secret, bucket key or account id. */
  readonly path: string;
  readonly durationMs: number;
  readonly retries: number;
  readonly outcome: OutcomeClass;
  /** The dependency's own words, already free of secret values. */
  readonly reason: string;
  /** A hint on how to fix it, when one is known (e.g. the Vault policy to grant). */
  readonly hint?: string | undefined;
}

/** An external call failed; renders exactly as requirement 3 shows. */
export class OperationError extends SecretSyncError {
  readonly code = 'operation_failed';
  readonly fault: Fault;
  constructor(
    readonly fields: OperationErrorFields,
    options?: { cause?: unknown },
  ) {
    super(renderOperationError(fields), options);
    this.name = 'OperationError';
    this.fault = fields.outcome === 'internal' ? 'internal' : 'dependency';
  }

  /** The fields structured logs carry, with the names requirement 3 gives. */
  toLogFields(): Record<string, string | number> {
    const { requestId, operation, path, durationMs, retries, outcome } = this.fields;
    return { request_id: requestId, operation, path, duration_ms: durationMs, retries, outcome };
  }
}

/**
 * The one renderer of operation errors:
 * `[req=<id>] failed to list secrets at path "secret/data/app" after 1250ms (retries: 2): permission denied`.
 */
export function renderOperationError(fields: OperationErrorFields): string {
  const action = OPERATION_ACTIONS[fields.operation];
  const duration = Math.round(fields.durationMs);
  const hint = fields.hint === undefined ? '' : ` (${fields.hint})`;
  return `[req=${fields.requestId}] failed to ${action} at path "${fields.path}" after ${duration}ms (retries: ${fields.retries}): ${fields.reason}${hint}`;
}
