import type { Bundle } from '../../../src/core/json.js';
import { jsonEqual } from '../../../src/core/json.js';
import type { SyncRecord } from '../../../src/core/sync-record.js';
import type { BundleWriteSummary, MergeStore, StoredBundle } from '../../../src/pipeline/ports.js';

/*
 * The MergeStore port in memory, for pipeline unit tests: the contract of pipeline/ports.ts and
 * nothing more. Behaviour: SPEC.md next to this file; contract.test.ts runs the same checks
 * against the Vault merge store on the dev server.
 */

/** One call the store received (target names only, never values). */
export interface StoreCall {
  readonly method:
    'readBundle' | 'writeBundle' | 'currentGeneration' | 'readSyncRecord' | 'writeSyncRecord';
  readonly target: string;
}

/** A merge store in memory, with a call log and failures on demand. */
export class MemoryMergeStore implements MergeStore {
  readonly calls: StoreCall[] = [];
  private readonly bundles = new Map<string, { entries: Bundle; generation: number }>();
  private readonly records = new Map<string, SyncRecord>();
  private readonly failures = new Map<string, Error>();

  /** The next writeBundle of `target` throws `error` and stores nothing. */
  failNextWrite(target: string, error: Error): void {
    this.failures.set(target, error);
  }

  /** The bundle stored for a target (what a later run would read). */
  stored(target: string): Bundle | undefined {
    return this.bundles.get(target)?.entries;
  }

  /** Stores a new generation as another writer would (without a call log entry). */
  replace(target: string, bundle: Bundle): void {
    const generation = (this.bundles.get(target)?.generation ?? 0) + 1;
    this.bundles.set(target, { entries: new Map(bundle), generation });
  }

  /** The sync record stored for a target. */
  record(target: string): SyncRecord | undefined {
    return this.records.get(target);
  }

  /** Stores a record as if an earlier run had written it. */
  seedRecord(target: string, record: SyncRecord): void {
    this.records.set(target, record);
  }

  readBundle(target: string): Promise<StoredBundle | undefined> {
    this.calls.push({ method: 'readBundle', target });
    const stored = this.bundles.get(target);
    return Promise.resolve(
      stored === undefined
        ? undefined
        : { entries: stored.entries, generation: String(stored.generation) },
    );
  }

  currentGeneration(target: string): Promise<string | undefined> {
    this.calls.push({ method: 'currentGeneration', target });
    const stored = this.bundles.get(target);
    return Promise.resolve(stored === undefined ? undefined : String(stored.generation));
  }

  writeBundle(target: string, bundle: Bundle): Promise<BundleWriteSummary> {
    this.calls.push({ method: 'writeBundle', target });
    const failure = this.failures.get(target);
    if (failure !== undefined) {
      this.failures.delete(target);
      return Promise.reject(failure);
    }
    const stored = this.bundles.get(target);
    const before: Bundle = stored?.entries ?? new Map();
    const written = [...bundle].filter(([path, value]) => {
      const old = before.get(path);
      return old === undefined || !jsonEqual(old, value);
    }).length;
    const removed = [...before.keys()].filter((path) => !bundle.has(path)).length;
    const changed = stored === undefined || written > 0 || removed > 0;
    const generation = changed ? (stored?.generation ?? 0) + 1 : stored.generation;
    this.bundles.set(target, { entries: new Map(bundle), generation });
    return Promise.resolve({
      written,
      removed,
      unchanged: bundle.size - written,
      generation: String(generation),
    });
  }

  locate(target: string): string {
    return `memory:${target}`;
  }

  readSyncRecord(target: string): Promise<SyncRecord | undefined> {
    this.calls.push({ method: 'readSyncRecord', target });
    return Promise.resolve(this.records.get(target));
  }

  writeSyncRecord(target: string, record: SyncRecord): Promise<void> {
    this.calls.push({ method: 'writeSyncRecord', target });
    this.records.set(target, record);
    return Promise.resolve();
  }
}
