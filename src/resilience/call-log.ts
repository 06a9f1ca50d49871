import type { OperationError } from '../context/operation-error.js';
import type { Operation, OutcomeClass } from '../context/operation.js';
import type { AppLogger } from '../observability/logger.js';

/** The `event` field of the one log line every external call writes when it ends. */
export const CALL_EVENT = 'api_call';

/** How one external call ended, retries included. */
export interface CallOutcome {
  readonly requestId: string;
  readonly operation: Operation;
  readonly path: string;
  readonly outcome: OutcomeClass;
  /** From the first attempt to the end, backoff included. */
  readonly durationMs: number;
  readonly retries: number;
  /** The outcome of each attempt that was retried, in order. */
  readonly retriedOn: readonly OutcomeClass[];
}

function fieldsOf(call: CallOutcome) {
  return {
    event: CALL_EVENT,
    request_id: call.requestId,
    operation: call.operation,
    path: call.path,
    outcome: call.outcome,
    duration_ms: Math.round(call.durationMs),
    retries: call.retries,
    ...(call.retriedOn.length === 0 ? {} : { retried_on: call.retriedOn }),
  };
}

/**
 * A call that answered (or whose inner call failed and logged its own failure): one debug line
 * with its outcome, duration and retries.
 */
export function logCallDone(logger: AppLogger, call: CallOutcome, inner?: OperationError): void {
  const retries = call.retries === 1 ? '1 retry' : `${call.retries} retries`;
  const via = inner === undefined ? '' : ` (inner call req=${inner.fields.requestId})`;
  logger.debug(
    fieldsOf(call),
    `${call.operation} ${call.path}: ${call.outcome}${via} in ${Math.round(call.durationMs)}ms, ${retries}`,
  );
}

/**
 * A call that failed for good: its one line, in the requirement-3 words. A 404 is data, not
 * failure (the caller decides whether absence matters), so it stays at debug; anything else is
 * an error carrying the error's class, code and fault (and its stack at debug).
 */
export function logCallFailed(logger: AppLogger, call: CallOutcome, error: OperationError): void {
  if (call.outcome === 'not_found') {
    logger.debug(fieldsOf(call), error.message);
    return;
  }
  logger.error({ ...fieldsOf(call), err: error }, error.message);
}
