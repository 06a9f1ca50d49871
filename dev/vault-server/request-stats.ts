/** What `GET /_dev/stats` answers. */
export interface StatsSnapshot {
  /** Every `/v1/` request since start or the last reset (faulted ones included). */
  readonly total: number;
  /** Count per `"<METHOD> <kind>"`, e.g. `"LIST kv2.metadata"`, `"GET kv2.data"`. */
  readonly requests: Record<string, number>;
}

/** Counts API requests by method and kind of path, so benchmarks can count round trips. */
export class RequestStats {
  private total = 0;
  private readonly counts = new Map<string, number>();

  /** Counts one request. */
  record(method: string, kind: string): void {
    const key = `${method} ${kind}`;
    this.total += 1;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** The counts so far, keys sorted. */
  snapshot(): StatsSnapshot {
    const requests: Record<string, number> = {};
    for (const key of [...this.counts.keys()].sort()) requests[key] = this.counts.get(key) ?? 0;
    return { total: this.total, requests };
  }

  /** Back to zero. */
  reset(): void {
    this.total = 0;
    this.counts.clear();
  }
}
