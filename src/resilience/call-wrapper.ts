import { OperationError } from '../context/operation-error.js';
import type { Operation, OutcomeClass } from '../context/operation.js';
import { withRequest } from '../context/request-context.js';
import type { AppLogger } from '../observability/logger.js';
import { recordRequest } from '../observability/metrics.js';
import type { DependencyLabels, Metrics } from '../observability/metrics.js';
import type { BreakerRegistry } from './breaker-registry.js';
import { isRejection } from './circuit-breaker.js';
import { classifyFailure } from './classify.js';
import type { FailureClass } from './classify.js';
import { logCallDone, logCallFailed } from './call-log.js';
import type { CallOutcome } from './call-log.js';
import { backoffDelay } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';

/** One external call: which dependency, which operation, on what resource. */
export interface CallSpec {
  /** Breaker key, e.g. `vault:https://vault:8200` or `aws:secretsmanager:111111111111:us-east-1`. */
  readonly dependency: string;
  readonly labels: DependencyLabels;
  readonly operation: Operation;
  /** Vault path, secret name, bucket key or account id — never a value. */
  readonly path: string;
  /** Per-call hint appended to a failure (e.g. the policy a 403 needs), given the last error. */
  readonly hintFor?: (outcome: OutcomeClass, cause: unknown) => string | undefined;
}

/** Everything the wrapper uses, injected so tests control time and randomness. */
export interface CallWrapperDeps {
  readonly logger: AppLogger;
  readonly metrics: Metrics;
  readonly breakers: BreakerRegistry;
  readonly retry: RetryPolicy;
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/** Runs `fn` as one external call with every cross-cutting concern applied. */
export type CallExternal = <T>(
  spec: CallSpec,
  fn: (signal: AbortSignal) => Promise<T>,
) => Promise<T>;

/**
 * The one wrapper (architecture: "one choke point"): request id, per-attempt timeout, circuit
 * breaker, retries with backoff for transient failures only, classification, metrics, one log
 * line per call with its outcome (see `call-log.ts`), and on failure an OperationError in the
 * requirement-3 format.
 */
export function createCallWrapper(deps: CallWrapperDeps): CallExternal {
  return (spec, fn) =>
    withRequest(spec, async (requestId) => {
      const started = deps.now();
      const retriedOn: OutcomeClass[] = [];
      const logged = (outcome: OutcomeClass): CallOutcome => ({
        requestId,
        operation: spec.operation,
        path: spec.path,
        outcome,
        durationMs: deps.now() - started,
        retries: retriedOn.length,
        retriedOn,
      });
      for (let attempt = 1; ; attempt++) {
        const result = await attemptOnce(deps, spec, fn);
        if (result.ok) {
          logCallDone(deps.logger, logged('ok'));
          return result.value;
        }
        // A call made inside this one (an SDK client resolving credentials through AssumeRole)
        // failed, was retried and reported by its own wrapper: pass its error on unchanged.
        if (result.inner !== undefined) {
          logCallDone(deps.logger, logged(result.inner.fields.outcome), result.inner);
          throw result.inner;
        }
        const last = attempt >= deps.retry.maxAttempts || !result.failure.transient;
        if (last || result.failure.outcome === 'circuit_open') {
          const call = logged(result.failure.outcome);
          const error = failWith(spec, call, result.failure, result.cause);
          logCallFailed(deps.logger, call, error);
          throw error;
        }
        retriedOn.push(result.failure.outcome);
        await deps.sleep(
          backoffDelay(deps.retry, attempt, result.failure.retryAfterMs, deps.random),
        );
      }
    });
}

type AttemptFailure = Omit<FailureClass, 'outcome'> & {
  readonly outcome: Exclude<OutcomeClass, 'ok'>;
};
type Attempt<T> =
  | { ok: true; value: T }
  | { ok: false; failure: AttemptFailure; cause: unknown; inner?: undefined }
  | { ok: false; inner: OperationError };

async function attemptOnce<T>(
  deps: CallWrapperDeps,
  spec: CallSpec,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<Attempt<T>> {
  const breaker = deps.breakers.forDependency(spec.dependency);
  const permit = breaker?.acquire();
  if (permit !== undefined && isRejection(permit)) {
    const wait = Math.max(0, permit.retryAt - deps.now());
    const reason = `circuit breaker for ${permit.dependency} is open after repeated failures; calls are refused for another ${Math.ceil(wait / 1000)}s (until ${new Date(permit.retryAt).toISOString()})`;
    return {
      ok: false,
      failure: { outcome: 'circuit_open', transient: false, retryAfterMs: wait, reason },
      cause: undefined,
    };
  }
  const started = deps.now();
  try {
    const value = await withTimeout(fn, deps.timeoutMs);
    permit?.release('success');
    recordRequest(deps.metrics, spec.labels, spec.operation, 'ok', (deps.now() - started) / 1000);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof OperationError) {
      permit?.release('unknown');
      return { ok: false, inner: error };
    }
    const failure = classifyFailure(error);
    // Only throttling, 5xx, timeouts and network errors say the dependency is unwell.
    permit?.release(failure.transient ? 'failure' : 'success');
    recordRequest(
      deps.metrics,
      spec.labels,
      spec.operation,
      failure.outcome,
      (deps.now() - started) / 1000,
    );
    return { ok: false, failure, cause: error };
  }
}

async function withTimeout<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = Object.assign(new Error(`no answer within ${timeoutMs}ms`), {
        name: 'TimeoutError',
      });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([fn(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function failWith(
  spec: CallSpec,
  call: CallOutcome,
  failure: AttemptFailure,
  cause: unknown,
): OperationError {
  const hint =
    failure.outcome === 'circuit_open' ? undefined : spec.hintFor?.(failure.outcome, cause);
  return new OperationError(
    {
      requestId: call.requestId,
      operation: call.operation,
      path: call.path,
      durationMs: call.durationMs,
      retries: call.retries,
      outcome: failure.outcome,
      reason: failure.reason,
      hint,
    },
    { cause },
  );
}
