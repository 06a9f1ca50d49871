import { SecretSyncError } from '../core/errors.js';
import type { ErrorCode, Fault } from '../core/errors.js';
import { OperationError } from './operation-error.js';
import type { OutcomeClass } from './operation.js';

/** What a report carries of an error: stable code, fault, the call's outcome and request id. */
export interface ErrorDescription {
  readonly code: ErrorCode;
  readonly fault: Fault;
  /** How the external call ended, when the error is a failed call. */
  readonly outcome: OutcomeClass | undefined;
  /** The failed call's request id, to find its log lines. */
  readonly requestId: string | undefined;
  readonly message: string;
}

/**
 * The one description of any thrown value for reports: our errors keep their code and fault, a
 * failed call adds its outcome and request id, and anything else is an internal error.
 */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof OperationError)
    return {
      code: error.code,
      fault: error.fault,
      outcome: error.fields.outcome,
      requestId: error.fields.requestId,
      message: error.message,
    };
  if (error instanceof SecretSyncError)
    return {
      code: error.code,
      fault: error.fault,
      outcome: undefined,
      requestId: undefined,
      message: error.message,
    };
  return {
    code: 'internal',
    fault: 'internal',
    outcome: undefined,
    requestId: undefined,
    message: error instanceof Error ? error.message : String(error),
  };
}
