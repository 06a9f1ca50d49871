/** How many attempts a call gets and how long to wait between them. */
export interface RetryPolicy {
  /** Total attempts, first included (3 = up to 2 retries). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is capped, so one answer cannot stall a run. */
  readonly maxRetryAfterMs: number;
}

/** Defaults: 3 attempts, exponential from 200 ms, capped at 5 s; Retry-After up to 30 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};

/**
 * Delay before retry number `retry` (1-based): "full jitter" exponential backoff, or the
 * dependency's Retry-After when it gave one (never less than it asked for, up to the cap).
 */
export function backoffDelay(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  if (retryAfterMs === undefined) return jittered;
  return Math.min(policy.maxRetryAfterMs, Math.max(retryAfterMs, jittered));
}
