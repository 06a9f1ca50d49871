import { describeError } from '../context/describe-error.js';
import type { ErrorCode, Fault } from '../core/errors.js';

/** How a log line shows an error: its class, code and fault, and the stack at debug only. */
export interface LoggedError {
  /** The error's class (`OperationError`, `ConfigError`, an SDK's `ThrottlingException`, …). */
  readonly type: string;
  readonly code: ErrorCode;
  readonly fault: Fault;
  readonly message: string;
  /** The class of the error this one wraps, when any (never its message: it may quote data). */
  readonly cause?: string;
  readonly stack?: string;
}

/**
 * Serializes any thrown value for the `err` field of a log line. Code and fault come from
 * `describeError`, so logs, reports and exit codes agree; the stack only when `withStack`.
 */
export function loggedError(error: unknown, withStack: boolean): LoggedError {
  const { code, fault, message } = describeError(error);
  const type = error instanceof Error ? error.name : typeof error;
  const cause = error instanceof Error ? classOf(error.cause) : undefined;
  const stack = withStack && error instanceof Error ? error.stack : undefined;
  return {
    type,
    code,
    fault,
    message,
    ...(cause === undefined ? {} : { cause }),
    ...(stack === undefined ? {} : { stack }),
  };
}

function classOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return value instanceof Error ? value.name : typeof value;
}
