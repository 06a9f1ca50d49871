import type { VaultSettings } from '../../config/types.js';
import { defaultCompactionThreshold } from '../../core/compaction.js';
import { mapLimit } from '../../core/concurrency.js';
import { DataError, StoreStateError } from '../../core/errors.js';
import type { Bundle, JsonObject } from '../../core/json.js';
import { joinPath } from '../../core/secret-path.js';
import { digestJson } from '../../core/json-digest.js';
import type { SyncRecord } from '../../core/sync-record.js';
import { OperationError } from '../../context/operation-error.js';
import type { AppLogger } from '../../observability/logger.js';
import type {
  BundleWriteSummary,
  LeaseStore,
  MergeStore,
  StoredBundle,
} from '../../pipeline/ports.js';
import { encodeSyncRecord } from '../sync-record-codec.js';
import { readSyncRecordOrIgnore } from '../sync-record-read.js';
import {
  decodeBundleIndex,
  encodeGeneration,
  generationOfMeta,
  LEGACY_GENERATION,
  sameEntries,
} from './bundle-index.js';
import type { BundleGeneration, DecodedIndex, IndexedEntry, LegacyIndex } from './bundle-index.js';
import { ShardedDocument, UnusableDocument } from './sharded-document.js';
import type { KvLocation, VaultConnections } from './vault-connections.js';
import { mergeMountError } from './merge-mount-error.js';
import { VaultConfigError } from './vault-config-error.js';
import { VaultLeaseStore } from './vault-lease-store.js';
import { STATE_FOLDER, walkTree } from './walk.js';
import type { WalkOptions } from './walk.js';

/**
 * Keeps each target's bundle in a KV v2 mount at `<mount>/<target>/<relative path>`, one secret
 * per entry, as *generations*: the bundle index under `<mount>/.secretsync/<target>/` names each
 * entry's hash and the KV version that holds it. A write stores changed entries (new versions),
 * then the index (the switch to the new generation, written with `cas`), then removes entries that
 * left the bundle. A reader follows the index to the versions it names, so it sees the old
 * generation or the new one, never a mix; a write cut short leaves the old one current.
 */
export class VaultMergeStore implements MergeStore {
  private readonly documents: ShardedDocument;

  constructor(
    private readonly connections: VaultConnections,
    private readonly mount: string,
    private readonly settings: VaultSettings,
    private readonly logger: AppLogger,
  ) {
    this.documents = new ShardedDocument(() => this.stateLocation(), settings.concurrency);
  }

  /**
   * The current generation of a target's bundle, or undefined when it has none. Throws when
   * entries exist without an index (a first merge cut short) or differ from what it names.
   */
  async readBundle(target: string): Promise<StoredBundle | undefined> {
    const location = await this.location(target);
    const index = await this.readIndex(target);
    if (index !== undefined && 'problem' in index)
      throw new StoreStateError(
        `the bundle index of ${target} cannot be used (${index.problem}): run the merge phase for ${target} (without --sync-only) to store a complete generation`,
      );
    if (index === undefined) {
      const listed = await this.listEntries(location, target);
      if (listed.length === 0) return undefined;
      throw new StoreStateError(
        `the merged bundle of ${target} at ${this.locate(target)} has entries but no bundle index: a merge was cut short before it stored its first generation, or an older SecretSync stored it. Run the merge phase for ${target} (without --sync-only) to store a complete generation`,
      );
    }
    if (index.kind === 'legacy') return this.readLegacy(location, target, index);
    const { entries, edited } = await this.readGeneration(location, target, index);
    if (edited.length > 0)
      this.logger.warn(
        { target, generation: index.generation },
        `${edited.length} entr${edited.length === 1 ? 'y' : 'ies'} of ${target}'s bundle changed outside SecretSync after generation ${index.generation} (first: "${edited[0] ?? ''}"); using generation ${index.generation}. Change the sources, not the merge store`,
      );
    return { entries, generation: String(index.generation) };
  }

  /**
   * Stores the bundle as the next generation: changed entries first, then the index naming them
   * (only when something changed), then removal of entries that left the bundle.
   */
  async writeBundle(target: string, bundle: Bundle): Promise<BundleWriteSummary> {
    const location = await this.location(target);
    const index = await this.readIndex(target);
    if (index !== undefined && 'problem' in index)
      this.logger.warn(
        { target },
        `bundle index of ${target} ignored (${index.problem}); comparing every stored entry instead`,
      );
    const current =
      index !== undefined && 'kind' in index && index.kind === 'generation' ? index : undefined;
    const stored =
      current === undefined
        ? await this.storedEntries(location, target)
        : await this.listedEntries(location, target, current);
    const hashes = new Map([...bundle].map(([path, data]) => [path, hashOf(data)]));
    const changed = [...bundle].filter(([path]) => stored.get(path)?.hash !== hashes.get(path));
    const removed = [...stored.keys()].filter((path) => !bundle.has(path));
    const versions = new Map<string, number>();
    await mapLimit(changed, this.settings.concurrency, async ([path, data]) => {
      versions.set(path, await this.writeEntry(location, path, data));
    });
    const entries = new Map<string, IndexedEntry>(
      [...hashes].map(([path, hash]) => [
        path,
        { hash, version: versions.get(path) ?? stored.get(path)?.version ?? 0 },
      ]),
    );
    const generation =
      current !== undefined && sameEntries(current.entries, entries)
        ? current.generation
        : (current?.generation ?? 0) + 1;
    if (generation !== current?.generation) await this.storeIndex(target, generation, entries);
    await mapLimit(removed, this.settings.concurrency, (path) =>
      location.client.remove(joinPath(location.folder, path)),
    );
    const summary = {
      written: changed.length,
      removed: removed.length,
      unchanged: bundle.size - changed.length,
      generation: String(generation),
    };
    this.logger.debug({ target, ...summary }, `merge store: bundle of ${target} stored`);
    return summary;
  }

  /** The generation the target's index names now (one read), or undefined without one. */
  async currentGeneration(target: string): Promise<string | undefined> {
    await this.location(target);
    return generationOfMeta(await this.documents.readMeta(indexFolder(target)));
  }

  /** The run lock's leases, beside the bundles in the same KV v2 mount. */
  leaseStore(): LeaseStore {
    return new VaultLeaseStore(() => this.stateLocation(), this.mount);
  }

  /** Where a target's bundle lives. */
  locate(target: string): string {
    return `vault ${joinPath(this.mount, target)}/`;
  }

  /** The target's sync record; one that cannot be read or used is logged and ignored. */
  readSyncRecord(target: string): Promise<SyncRecord | undefined> {
    return readSyncRecordOrIgnore(
      {
        target,
        where: `vault ${joinPath(this.mount, STATE_FOLDER, recordFolder(target))}`,
        load: () => this.documents.read(recordFolder(target)),
      },
      this.logger,
    );
  }

  /** Stores the target's sync record; a failure is logged (the next run reads values instead). */
  async writeSyncRecord(target: string, record: SyncRecord): Promise<void> {
    try {
      await this.documents.write(recordFolder(target), encodeSyncRecord(record));
    } catch (error) {
      this.logger.warn(
        { target },
        `sync record of ${target} not stored: ${(error as Error).message}; the next run reads every value`,
      );
    }
  }

  private async location(target: string): Promise<KvLocation> {
    return this.kvV2(joinPath(this.mount, target));
  }

  private stateLocation(): Promise<KvLocation> {
    return this.kvV2(joinPath(this.mount, STATE_FOLDER));
  }

  private async kvV2(path: string): Promise<KvLocation> {
    const location = await this.connections
      .kvFor(undefined, undefined, path)
      .catch((error: unknown) => {
        throw mergeMountError(error, this.mount, this.settings.address ?? 'vault.address');
      });
    if (location.client.mount.version !== 2)
      throw new VaultConfigError(
        `merge_store.vault.mount "${this.mount}" is a KV version 1 mount: the merge store keeps bundles as versioned generations and takes its run lock with check-and-set, which need KV version 2. Enable a KV v2 mount for the merge store (vault secrets enable -version=2 -path=${this.mount} kv) or use an S3 merge store`,
      );
    return location;
  }

  private walkOptions(target: string): WalkOptions {
    const root = joinPath(this.mount, target);
    return {
      source: `merge store ${root}`,
      root,
      maxDepth: this.settings.maxTraversalDepth,
      maxSecrets: this.settings.maxSecretsPerMount,
      compactionThreshold:
        this.settings.queueCompactionThreshold ??
        defaultCompactionThreshold(this.settings.maxSecretsPerMount),
      concurrency: this.settings.concurrency,
    };
  }

  private listEntries(location: KvLocation, target: string): Promise<string[]> {
    return walkTree(
      (folder) => location.client.list(joinPath(location.folder, folder)),
      this.walkOptions(target),
      this.logger,
    );
  }

  /** Hash and version of every stored entry, by reading them all (no usable index). */
  private async storedEntries(
    location: KvLocation,
    target: string,
  ): Promise<Map<string, IndexedEntry>> {
    const paths = await this.listEntries(location, target);
    const read = await mapLimit(paths, this.settings.concurrency, (path) =>
      location.client.readVersion(joinPath(location.folder, path)),
    );
    const stored = new Map<string, IndexedEntry>();
    paths.forEach((path, i) => {
      const entry = read[i];
      if (entry?.data !== undefined)
        stored.set(path, { hash: hashOf(entry.data), version: entry.version });
    });
    return stored;
  }

  /** What the current generation says of every listed entry; unlisted-in-index entries get none. */
  private async listedEntries(
    location: KvLocation,
    target: string,
    current: BundleGeneration,
  ): Promise<Map<string, IndexedEntry>> {
    const paths = await this.listEntries(location, target);
    return new Map(
      paths.map((path) => [path, current.entries.get(path) ?? { hash: '', version: 0 }]),
    );
  }

  private async writeEntry(location: KvLocation, path: string, data: JsonObject): Promise<number> {
    const version = await location.client.write(joinPath(location.folder, path), data);
    if (version === undefined)
      throw new DataError(`Vault did not answer the write of ${path} with a version`);
    return version;
  }

  private async storeIndex(
    target: string,
    generation: number,
    entries: ReadonlyMap<string, IndexedEntry>,
  ): Promise<void> {
    try {
      await this.documents.write(indexFolder(target), encodeGeneration(generation, entries));
    } catch (error) {
      if (error instanceof OperationError && error.fields.outcome === 'conflict')
        throw new StoreStateError(
          `another run stored a generation of ${target}'s bundle while this run was writing generation ${generation}: this run's bundle was not made current (the other run's stays). Run again; if no other run should be writing, check that every run uses the same merge store and lock`,
        );
      throw error;
    }
  }

  /** Reads each entry at the version the generation names; notes entries edited since. */
  private async readGeneration(
    location: KvLocation,
    target: string,
    index: BundleGeneration,
  ): Promise<{ entries: Bundle; edited: string[] }> {
    const edited: string[] = [];
    const paths = [...index.entries.keys()].sort();
    const values = await mapLimit(paths, this.settings.concurrency, async (path) => {
      const entry = index.entries.get(path) ?? { hash: '', version: 0 };
      const full = joinPath(location.folder, path);
      let stored = await location.client.readVersion(full);
      if (stored !== undefined && stored.version > entry.version) {
        edited.push(path);
        stored = await location.client.readVersion(full, entry.version);
      }
      if (stored?.data === undefined || stored.version !== entry.version)
        throw new StoreStateError(
          `entry "${path}" of generation ${index.generation} of ${target}'s bundle is gone from ${this.locate(target)} (version ${entry.version} was removed outside SecretSync): run the merge phase for ${target} again`,
        );
      if (hashOf(stored.data) !== entry.hash) throw this.editedError(target, path, 'differs from');
      return stored.data;
    });
    return { entries: new Map(paths.map((path, i) => [path, values[i] ?? {}])), edited };
  }

  /** A bundle indexed before generations: every entry read and checked against its hash. */
  private async readLegacy(
    location: KvLocation,
    target: string,
    index: LegacyIndex,
  ): Promise<StoredBundle> {
    const stored = await this.storedEntries(location, target);
    const missing = [...index.hashes.keys()].find((path) => !stored.has(path));
    if (missing !== undefined) throw this.editedError(target, missing, 'is missing but listed in');
    const differing = [...stored].find(([path, entry]) => index.hashes.get(path) !== entry.hash);
    if (differing !== undefined) throw this.editedError(target, differing[0], 'differs from');
    const values = await mapLimit([...stored.keys()], this.settings.concurrency, (path) =>
      location.client.read(joinPath(location.folder, path)),
    );
    const entries: Bundle = new Map([...stored.keys()].map((path, i) => [path, values[i] ?? {}]));
    return { entries, generation: LEGACY_GENERATION };
  }

  private editedError(target: string, path: string, how: string): DataError {
    const where = `vault ${joinPath(this.mount, STATE_FOLDER, indexFolder(target))}/head`;
    return new DataError(
      `merged bundle of ${target} was changed outside SecretSync: entry "${path}" ${how} the bundle index. Change the sources, not the merge store; to rebuild the bundle from the sources, remove ${where} and run the merge phase again`,
    );
  }

  /** The stored index, decoded (or why it cannot be used); undefined when there is none. */
  private async readIndex(target: string): Promise<DecodedIndex | undefined> {
    try {
      const document = await this.documents.read(indexFolder(target));
      return document === undefined ? undefined : decodeBundleIndex(document);
    } catch (error) {
      if (error instanceof UnusableDocument) return { problem: error.message };
      throw error;
    }
  }
}

function indexFolder(target: string): string {
  return joinPath(target, 'bundle-index');
}

function recordFolder(target: string): string {
  return joinPath(target, 'sync-record');
}

function hashOf(data: JsonObject): string {
  return digestJson(data).hash;
}
