import { FakeServiceError } from './errors.js';

/** How an injected fault answers. */
export interface FaultOptions {
  /** How many matching calls fail; default 1. */
  readonly count?: number;
  /** HTTP status; default 500 for the 5xx error types (InternalServiceError …), else 400. */
  readonly status?: number;
  /** Error message; default "Rate exceeded" for ThrottlingException, else a note naming the fault. */
  readonly message?: string;
  /** Only calls naming this secret (SecretId, Name, or an entry of SecretIdList) fail. */
  readonly secretId?: string;
}

interface Fault {
  readonly operation: string;
  readonly error: FakeServiceError;
  readonly secretId: string | undefined;
  remaining: number;
}

/** Error types AWS answers with a 5xx status [CommonErrors]. */
const SERVER_ERRORS = new Set([
  'InternalServiceError',
  'InternalFailure',
  'InternalServiceFailure',
  'ServiceUnavailable',
]);

/** The faults queued by `failNext`, consumed first-in first-out by matching calls. */
export class FaultQueue {
  private faults: Fault[] = [];

  /** Queues `count` failures of `operation` (`'*'` for any operation). */
  add(operation: string, errorType: string, options: FaultOptions = {}): void {
    const status = options.status ?? (SERVER_ERRORS.has(errorType) ? 500 : 400);
    const message =
      options.message ??
      (errorType === 'ThrottlingException'
        ? 'Rate exceeded'
        : `${errorType} (injected by the fake)`);
    this.faults.push({
      operation,
      error: new FakeServiceError(errorType, message, status),
      secretId: options.secretId,
      remaining: options.count ?? 1,
    });
  }

  /** The error the call must fail with, if a queued fault matches it (and is used up by it). */
  take(operation: string, secretIds: readonly string[]): FakeServiceError | undefined {
    const fault = this.faults.find(
      (candidate) =>
        (candidate.operation === '*' || candidate.operation === operation) &&
        (candidate.secretId === undefined || secretIds.includes(candidate.secretId)),
    );
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((other) => other !== fault);
    return fault.error;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.faults = [];
  }
}
