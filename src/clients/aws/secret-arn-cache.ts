/** One change made locally (after a create or delete) while a refresh may be running. */
type LocalChange<T> =
  | { readonly kind: 'set'; readonly name: string; readonly entry: T }
  | { readonly kind: 'delete'; readonly name: string };

/**
 * Name → ARN of the secrets in one account (requirement 6), consistent under concurrent async use:
 * - concurrent refreshes collapse into one remote listing (single flight);
 * - a create or delete recorded while a listing is in flight is re-applied on top of the listing
 *   when it lands, so no update is lost to a stale listing;
 * - readers and `snapshot()` see one consistent state (every mutation is synchronous, and a
 *   snapshot is a copy that later changes do not touch).
 */
export class SecretArnCache<T = string> {
  private entries = new Map<string, T>();
  private inFlight: { promise: Promise<void>; changes: LocalChange<T>[] } | undefined;
  private loaded = false;

  /** What is known of a secret by name (its ARN, or its listing entry). */
  get(name: string): T | undefined {
    return this.entries.get(name);
  }

  /** Number of known secrets. */
  get size(): number {
    return this.entries.size;
  }

  /** Records a secret created (or found). */
  set(name: string, entry: T): void {
    this.entries.set(name, entry);
    this.inFlight?.changes.push({ kind: 'set', name, entry });
  }

  /** Forgets a deleted secret. */
  delete(name: string): void {
    this.entries.delete(name);
    this.inFlight?.changes.push({ kind: 'delete', name });
  }

  /** A consistent copy of the whole map; later changes do not affect it. */
  snapshot(): ReadonlyMap<string, T> {
    return new Map(this.entries);
  }

  /** Loads once; later calls reuse the loaded state (or join the load in flight). */
  async ensureLoaded(load: () => Promise<ReadonlyMap<string, T>>): Promise<void> {
    if (!this.loaded) await this.refresh(load);
  }

  /** Replaces the state with a fresh listing; concurrent callers share one listing. */
  refresh(load: () => Promise<ReadonlyMap<string, T>>): Promise<void> {
    if (this.inFlight !== undefined) return this.inFlight.promise;
    const changes: LocalChange<T>[] = [];
    const promise = load()
      .then((listing) => {
        const next = new Map(listing);
        for (const change of changes) {
          if (change.kind === 'set') next.set(change.name, change.entry);
          else next.delete(change.name);
        }
        this.entries = next;
        this.loaded = true;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    this.inFlight = { promise, changes };
    return promise;
  }
}
