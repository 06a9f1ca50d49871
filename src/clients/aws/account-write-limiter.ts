import PQueue from 'p-queue';

/** How fast one AWS account and region may be written to. */
export interface WriteLimits {
  /** Write calls in flight at once per account and region, across every target. */
  readonly concurrency: number;
  /** Write calls started per second per account and region (a sliding one-second window). */
  readonly perSecond: number;
}

/**
 * Paces write calls per (account, region), shared by every target that writes there: Secrets
 * Manager allows about 50 writes per second per account and region, and throttling that the
 * client causes itself only costs retries and can open the circuit breaker.
 */
export class AccountWriteLimiter {
  private readonly queues = new Map<string, PQueue>();

  constructor(private readonly limits: WriteLimits) {}

  /** Runs one write call once the account's concurrency and rate allow it. */
  run<T>(accountId: string, region: string, call: () => Promise<T>): Promise<T> {
    const key = `${accountId}|${region}`;
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = new PQueue({
        concurrency: this.limits.concurrency,
        intervalCap: this.limits.perSecond,
        interval: 1000,
        strict: true,
      });
      this.queues.set(key, queue);
    }
    return queue.add(call);
  }
}
