import type { VaultSettings } from '../../config/types.js';
import { defaultCompactionThreshold } from '../../core/compaction.js';
import { mapLimit } from '../../core/concurrency.js';
import { DataError } from '../../core/errors.js';
import type { Bundle, JsonObject } from '../../core/json.js';
import { joinPath } from '../../core/secret-path.js';
import { digestJson } from '../../core/json-digest.js';
import type { SyncRecord } from '../../core/sync-record.js';
import type { AppLogger } from '../../observability/logger.js';
import type { BundleWriteSummary, MergeStore } from '../../pipeline/ports.js';
import { encodeSyncRecord } from '../sync-record-codec.js';
import { readSyncRecordOrIgnore } from '../sync-record-read.js';
import { ShardedDocument } from './sharded-document.js';
import type { Document } from './sharded-document.js';
import { readKvTree } from './tree-reader.js';
import type { TreeReadOptions } from './tree-reader.js';
import type { KvLocation, VaultConnections } from './vault-connections.js';
import { STATE_FOLDER, walkTree } from './walk.js';

const INDEX_FORMAT = 'secretsync-bundle-index/v1';

/**
 * Keeps each target's bundle in a Vault KV mount at `<mount>/<target>/<relative path>`, one
 * secret per entry, plus SecretSync's state under `<mount>/.secretsync/<target>/`: the bundle
 * index (a hash per entry, so an unchanged bundle is confirmed with LIST calls alone) and the
 * sync record.
 */
export class VaultMergeStore implements MergeStore {
  private readonly documents: ShardedDocument;

  constructor(
    private readonly connections: VaultConnections,
    private readonly mount: string,
    private readonly settings: VaultSettings,
    private readonly logger: AppLogger,
  ) {
    this.documents = new ShardedDocument(
      () => this.connections.kvFor(undefined, undefined, joinPath(this.mount, STATE_FOLDER)),
      settings.concurrency,
    );
  }

  /**
   * The stored bundle of a target, or undefined when it has no entries. Throws when the entries
   * do not match the bundle index (the store was changed outside SecretSync).
   */
  async readBundle(target: string): Promise<Bundle | undefined> {
    const stored = await readKvTree(
      await this.location(target),
      this.treeOptions(target),
      this.logger,
    );
    if (stored.size === 0) return undefined;
    const index = await this.readIndex(target);
    if (index !== undefined) this.verify(target, stored, index);
    return stored;
  }

  /**
   * Writes changed entries, removes entries no longer in the bundle, leaves the rest alone. With
   * a bundle index, what changed is found by LIST calls and hashes; without one (first run, or
   * an index that cannot be used) by reading every stored entry.
   */
  async writeBundle(target: string, bundle: Bundle): Promise<BundleWriteSummary> {
    const location = await this.location(target);
    const hashes = new Map([...bundle].map(([path, data]) => [path, hashOf(data)]));
    const index = await this.readIndex(target);
    const stored =
      index === undefined
        ? await this.storedHashes(location, target)
        : await this.listedHashes(location, target, index);
    const changed = [...bundle].filter(([path]) => stored.get(path) !== hashes.get(path));
    const removed = [...stored.keys()].filter((path) => !bundle.has(path));
    const concurrency = this.settings.concurrency;
    if (changed.length > 0 || removed.length > 0) {
      // An index that outlived a cut-short write could vouch for entries it no longer describes.
      if (index !== undefined) await this.documents.invalidate(indexFolder(target));
      await mapLimit(changed, concurrency, ([path, data]) =>
        location.client.write(joinPath(location.folder, path), data),
      );
      await mapLimit(removed, concurrency, (path) =>
        location.client.remove(joinPath(location.folder, path)),
      );
    }
    await this.documents.write(indexFolder(target), {
      meta: { format: INDEX_FORMAT },
      entries: hashes,
    });
    const summary = {
      written: changed.length,
      removed: removed.length,
      unchanged: bundle.size - changed.length,
    };
    this.logger.info({ target, ...summary }, `merge store: bundle of ${target} stored`);
    return summary;
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

  private location(target: string): Promise<KvLocation> {
    return this.connections.kvFor(undefined, undefined, joinPath(this.mount, target));
  }

  private treeOptions(target: string): TreeReadOptions {
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
      include: [],
    };
  }

  /** Hash of every stored entry, by reading them all. */
  private async storedHashes(location: KvLocation, target: string): Promise<Map<string, string>> {
    const stored = await readKvTree(location, this.treeOptions(target), this.logger);
    return new Map([...stored].map(([path, data]) => [path, hashOf(data)]));
  }

  /** The index's hash of every entry the store lists; listed entries missing from it get none. */
  private async listedHashes(
    location: KvLocation,
    target: string,
    index: ReadonlyMap<string, string>,
  ): Promise<Map<string, string>> {
    const paths = await walkTree(
      (folder) => location.client.list(joinPath(location.folder, folder)),
      this.treeOptions(target),
      this.logger,
    );
    return new Map(paths.map((path) => [path, index.get(path) ?? '']));
  }

  private async readIndex(target: string): Promise<Map<string, string> | undefined> {
    let problem: string;
    try {
      const document = await this.documents.read(indexFolder(target));
      if (document === undefined) return undefined;
      const index = decodeBundleIndex(document);
      if (!('problem' in index)) return index;
      problem = index.problem;
    } catch (error) {
      problem = (error as Error).message;
    }
    this.logger.warn(
      { target },
      `bundle index of ${target} ignored (${problem}); comparing every stored entry instead`,
    );
    return undefined;
  }

  private verify(target: string, stored: Bundle, index: ReadonlyMap<string, string>): void {
    const where = `vault ${joinPath(this.mount, STATE_FOLDER, indexFolder(target))}/head`;
    const missing = [...index.keys()].find((path) => !stored.has(path));
    const differing = [...stored].find(([path, data]) => index.get(path) !== hashOf(data))?.[0];
    const path = missing ?? differing;
    if (path === undefined) return;
    throw new DataError(
      `merged bundle of ${target} was changed outside SecretSync: entry "${path}" ${missing === undefined ? 'differs from' : 'is missing but listed in'} the bundle index. Change the sources, not the merge store; to rebuild the bundle from the sources, remove ${where} and run the merge phase again`,
    );
  }
}

/** The hash per entry a stored bundle index holds, or why it cannot be used. */
function decodeBundleIndex(document: Document): Map<string, string> | { readonly problem: string } {
  if (document.meta.format !== INDEX_FORMAT) return { problem: 'unknown format' };
  const index = new Map<string, string>();
  for (const [path, hash] of document.entries) {
    if (typeof hash !== 'string') return { problem: `malformed entry for "${path}"` };
    index.set(path, hash);
  }
  return index;
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
