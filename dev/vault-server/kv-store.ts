import type { Clock } from './clock.js';
import { FolderIndex } from './folder-index.js';
import { badRequest } from './responses.js';
import type { JsonRecord } from './responses.js';

/** Vault keeps this many versions when neither the key nor the mount sets `max_versions`. */
export const DEFAULT_MAX_VERSIONS = 10;

/** One version of a KV v2 secret. `data` is null once destroyed. */
export interface KvVersion {
  data: JsonRecord | null;
  readonly createdTime: string;
  deletionTime: string;
  destroyed: boolean;
}

/** A KV v2 key: its versions and its metadata. */
export interface KvKey {
  readonly versions: Map<number, KvVersion>;
  currentVersion: number;
  oldestVersion: number;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: string;
  customMetadata: Record<string, string> | null;
  readonly createdTime: string;
  updatedTime: string;
}

/** Mount-wide settings (`<mount>/config`). */
export interface KvConfig {
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: string;
}

/** What a read found: nothing, or a version that is live, soft-deleted or destroyed. */
export type KvReadResult =
  | { readonly state: 'absent' }
  | {
      readonly state: 'live' | 'deleted' | 'destroyed';
      readonly version: number;
      readonly entry: KvVersion;
      readonly key: KvKey;
    };

/** Metadata fields a `metadata/<path>` write may set. */
export interface KvMetadataUpdate {
  readonly maxVersions?: number | undefined;
  readonly casRequired?: boolean | undefined;
  readonly deleteVersionAfter?: string | undefined;
  readonly customMetadata?: Record<string, string> | undefined;
}

/** The data model of one KV version 2 mount: versions, soft delete, destroy, cas, max_versions. */
export class KvV2Store {
  /** The mount's own settings (`<mount>/config`). */
  readonly config: KvConfig = { maxVersions: 0, casRequired: false, deleteVersionAfter: '0s' };
  private readonly keys = new Map<string, KvKey>();
  private readonly index = new FolderIndex();

  constructor(private readonly clock: Clock) {}

  /** Number of keys (with metadata) in the mount. */
  get size(): number {
    return this.keys.size;
  }

  /** The key's metadata and versions, if the key exists. */
  key(path: string): KvKey | undefined {
    return this.keys.get(path);
  }

  /** Reads `version` (0 or undefined = current). */
  read(path: string, version?: number): KvReadResult {
    const key = this.keys.get(path);
    if (key === undefined) return { state: 'absent' };
    const wanted = version === undefined || version === 0 ? key.currentVersion : version;
    const entry = key.versions.get(wanted);
    if (entry === undefined) return { state: 'absent' };
    if (entry.destroyed) return { state: 'destroyed', version: wanted, entry, key };
    if (entry.deletionTime !== '') return { state: 'deleted', version: wanted, entry, key };
    return { state: 'live', version: wanted, entry, key };
  }

  /** Writes a new version; `cas` must equal the current version (0 = only if absent). */
  write(path: string, data: JsonRecord, cas?: number): { version: number; entry: KvVersion } {
    const existing = this.keys.get(path);
    const casRequired = this.config.casRequired || existing?.casRequired === true;
    if (casRequired && cas === undefined) {
      throw badRequest('check-and-set parameter required for this call');
    }
    if (cas !== undefined && cas !== (existing?.currentVersion ?? 0)) {
      throw badRequest('check-and-set parameter did not match the current version');
    }
    const key = existing ?? this.createKey(path);
    const now = this.clock.iso();
    const entry: KvVersion = { data, createdTime: now, deletionTime: '', destroyed: false };
    key.currentVersion += 1;
    key.versions.set(key.currentVersion, entry);
    if (key.oldestVersion === 0) key.oldestVersion = key.currentVersion;
    key.updatedTime = now;
    this.prune(key);
    return { version: key.currentVersion, entry };
  }

  /** Soft-deletes the current version (no-op when absent, already deleted or destroyed). */
  deleteLatest(path: string): void {
    const key = this.keys.get(path);
    const entry = key?.versions.get(key.currentVersion);
    if (entry !== undefined && !entry.destroyed && entry.deletionTime === '') {
      entry.deletionTime = this.clock.iso();
    }
  }

  /** Soft-deletes the given versions. */
  deleteVersions(path: string, versions: readonly number[]): void {
    for (const entry of this.entries(path, versions)) {
      if (!entry.destroyed && entry.deletionTime === '') entry.deletionTime = this.clock.iso();
    }
  }

  /** Restores soft-deleted versions (destroyed ones stay destroyed). */
  undelete(path: string, versions: readonly number[]): void {
    for (const entry of this.entries(path, versions)) {
      if (!entry.destroyed) entry.deletionTime = '';
    }
  }

  /** Destroys the given versions' data for good. */
  destroy(path: string, versions: readonly number[]): void {
    for (const entry of this.entries(path, versions)) {
      entry.destroyed = true;
      entry.data = null;
    }
  }

  /** Creates or updates the key's metadata (a key may exist with no versions). */
  writeMetadata(path: string, update: KvMetadataUpdate): void {
    const key = this.keys.get(path) ?? this.createKey(path);
    if (update.maxVersions !== undefined) key.maxVersions = update.maxVersions;
    if (update.casRequired !== undefined) key.casRequired = update.casRequired;
    if (update.deleteVersionAfter !== undefined) key.deleteVersionAfter = update.deleteVersionAfter;
    if (update.customMetadata !== undefined) key.customMetadata = update.customMetadata;
    key.updatedTime = this.clock.iso();
  }

  /** Removes the key with all its versions; only now does it leave the listing. */
  deleteMetadata(path: string): void {
    if (this.keys.delete(path)) this.index.remove(path);
  }

  /** One level below `folder` ('' or ending in '/'): sorted, folders end in '/'. */
  list(folder: string): readonly string[] | undefined {
    return this.index.list(folder);
  }

  /** Removes every key. */
  clear(): void {
    this.keys.clear();
    this.index.clear();
  }

  private createKey(path: string): KvKey {
    const now = this.clock.iso();
    const key: KvKey = {
      versions: new Map(),
      currentVersion: 0,
      oldestVersion: 0,
      maxVersions: 0,
      casRequired: false,
      deleteVersionAfter: '0s',
      customMetadata: null,
      createdTime: now,
      updatedTime: now,
    };
    this.keys.set(path, key);
    this.index.add(path);
    return key;
  }

  /** Drops the oldest versions beyond the key's (or mount's, or Vault's default) limit. */
  private prune(key: KvKey): void {
    const limit = key.maxVersions || this.config.maxVersions || DEFAULT_MAX_VERSIONS;
    while (key.currentVersion - key.oldestVersion + 1 > limit) {
      key.versions.delete(key.oldestVersion);
      key.oldestVersion += 1;
    }
  }

  private entries(path: string, versions: readonly number[]): KvVersion[] {
    const key = this.keys.get(path);
    if (key === undefined) return [];
    return versions.flatMap((version) => {
      const entry = key.versions.get(version);
      return entry === undefined ? [] : [entry];
    });
  }
}

/** The data model of one KV version 1 mount: plain values, no versions. */
export class KvV1Store {
  private readonly values = new Map<string, JsonRecord>();
  private readonly index = new FolderIndex();

  /** Number of keys in the mount. */
  get size(): number {
    return this.values.size;
  }

  /** The stored value, if any. */
  read(path: string): JsonRecord | undefined {
    return this.values.get(path);
  }

  /** Creates or replaces a value. */
  write(path: string, data: JsonRecord): void {
    if (!this.values.has(path)) this.index.add(path);
    this.values.set(path, data);
  }

  /** Removes a value (no-op when absent). */
  delete(path: string): void {
    if (this.values.delete(path)) this.index.remove(path);
  }

  /** One level below `folder` ('' or ending in '/'). */
  list(folder: string): readonly string[] | undefined {
    return this.index.list(folder);
  }

  /** Removes every key. */
  clear(): void {
    this.values.clear();
    this.index.clear();
  }
}
