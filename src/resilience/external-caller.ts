import type { AppLogger } from '../observability/logger.js';
import { BREAKER_STATE_VALUES } from '../observability/metrics.js';
import type { Metrics } from '../observability/metrics.js';
import { BreakerRegistry } from './breaker-registry.js';
import type { BreakerSettings, BreakerTransition } from './circuit-breaker.js';
import { createCallWrapper } from './call-wrapper.js';
import type { CallExternal } from './call-wrapper.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';

/** Default per-attempt timeout for external calls. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/**
 * Builds the process's one `CallExternal` from config: shared breakers whose state changes are
 * logged (timestamp, dependency, reason) and exported as a gauge, retries, timeouts, metrics.
 * Adapters receive the result and route every call through it.
 */
export function createExternalCaller(options: {
  readonly breaker: BreakerSettings & { readonly enabled: boolean };
  readonly logger: AppLogger;
  readonly metrics: Metrics;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
}): { readonly call: CallExternal; readonly breakers: BreakerRegistry } {
  const { logger, metrics } = options;
  const report = (transition: BreakerTransition): void => {
    metrics.breakerState.set(
      { dependency: transition.dependency },
      BREAKER_STATE_VALUES[transition.to],
    );
    metrics.breakerTransitions.inc({ dependency: transition.dependency, to: transition.to });
    // Opening is a warning (calls are refused); trying again and closing are news.
    logger[transition.to === 'open' ? 'warn' : 'info'](
      {
        dependency: transition.dependency,
        from: transition.from,
        to: transition.to,
        reason: transition.reason,
        at: new Date(transition.at).toISOString(),
      },
      `circuit breaker ${transition.dependency}: ${transition.from} -> ${transition.to} (${transition.reason})`,
    );
  };
  const breakers = new BreakerRegistry(options.breaker, Date.now, report, (dependency) => {
    metrics.breakerState.set({ dependency }, BREAKER_STATE_VALUES.closed);
  });
  const call = createCallWrapper({
    logger,
    metrics,
    breakers,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  });
  return { call, breakers };
}
