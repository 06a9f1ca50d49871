import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { DataError, StoreStateError } from '../../core/errors.js';
import { OperationError } from '../../context/operation-error.js';
import { canonicalJson, isJsonObject, jsonEqual } from '../../core/json.js';
import type { Bundle, JsonObject, JsonValue } from '../../core/json.js';
import type { SyncRecord } from '../../core/sync-record.js';
import type { AppLogger } from '../../observability/logger.js';
import type {
  BundleWriteSummary,
  LeaseStore,
  MergeStore,
  StoredBundle,
} from '../../pipeline/ports.js';
import { encodeSyncRecord } from '../sync-record-codec.js';
import { readSyncRecordOrIgnore } from '../sync-record-read.js';
import type { StoredRecord } from '../sync-record-read.js';
import { collectPages } from './paginate.js';
import { S3LeaseStore } from './s3-lease-store.js';
import { replacing, S3Objects } from './s3-objects.js';

/** Key folder (below the prefix) of SecretSync's own state, beside the bundles. */
export const STATE_FOLDER = '.secretsync/';

/** Where the S3 merge store keeps bundles. */
export interface S3StoreSettings {
  readonly bucket: string;
  readonly prefix: string;
  readonly kmsKeyId: string | undefined;
  readonly region: string;
}

const storedBundle = z.object({
  format: z.literal('secretsync-bundle/v1'),
  target: z.string(),
  secrets: z.record(
    z.string(),
    z.custom<JsonObject>(isJsonObject, { error: 'expected a JSON object' }),
  ),
});
const storedRecord = z.object({
  meta: z.custom<JsonObject>(isJsonObject, { error: 'expected a JSON object' }),
  secrets: z.record(z.string(), z.unknown()),
});

/**
 * Keeps each target's bundle as one JSON object `<prefix><target>.json`, always written with
 * server-side encryption (`aws:kms` with the configured key, else `AES256`); an unchanged bundle
 * is not rewritten. One object is one generation (its ETag names it): a put is atomic, and it is
 * conditional on the generation this run read (`If-Match`, or `If-None-Match: *` for a first).
 */
export class S3MergeStore implements MergeStore {
  private readonly objects: S3Objects;

  constructor(
    private readonly client: S3Client,
    private readonly settings: S3StoreSettings,
    private readonly logger: AppLogger,
  ) {
    this.objects = new S3Objects(client, settings.bucket, settings.kmsKeyId);
  }

  /** `s3://bucket/key` of a target's bundle. */
  locate(target: string): string {
    return `s3://${this.settings.bucket}/${this.keyOf(target)}`;
  }

  /** The stored bundle and its generation, or undefined when the object does not exist. */
  async readBundle(target: string): Promise<StoredBundle | undefined> {
    const object = await this.objects.get(this.keyOf(target));
    if (object === undefined) return undefined;
    return { entries: this.parseBundle(target, object.text), generation: object.etag };
  }

  /** Writes the bundle when it differs from the stored one, always encrypted at rest. */
  async writeBundle(target: string, bundle: Bundle): Promise<BundleWriteSummary> {
    const object = await this.objects.get(this.keyOf(target));
    const stored =
      object === undefined ? new Map<string, JsonObject>() : this.parseBundle(target, object.text);
    const written = [...bundle].filter(([path, data]) => {
      const before = stored.get(path);
      return before === undefined || !jsonEqual(before, data);
    }).length;
    const removed = [...stored.keys()].filter((path) => !bundle.has(path)).length;
    const counts = { written, removed, unchanged: bundle.size - written };
    if (object !== undefined && written === 0 && removed === 0)
      return { ...counts, generation: object.etag };
    const body = canonicalJson({
      format: 'secretsync-bundle/v1',
      target,
      secrets: Object.fromEntries(bundle),
    });
    const etag = await this.objects.put(this.keyOf(target), body, replacing(object?.etag));
    if (etag === undefined)
      throw new StoreStateError(
        `another run stored ${this.locate(target)} while this run was writing it: this run's bundle was not stored (the other run's stays). Run again; if no other run should be writing, check that every run uses the same merge store and lock`,
      );
    const summary = { ...counts, generation: etag };
    this.logger.debug(
      { target, ...summary },
      `merge store: bundle of ${target} stored at ${this.locate(target)}`,
    );
    return summary;
  }

  /** The ETag of the target's bundle object (a HEAD request), or undefined when none. */
  async currentGeneration(target: string): Promise<string | undefined> {
    try {
      const response = await this.client.send(
        new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(target) }),
      );
      return response.ETag;
    } catch (error) {
      if (error instanceof OperationError && error.fields.outcome === 'not_found') return undefined;
      throw error;
    }
  }

  /** The run lock's leases, beside the bundles under the state folder. */
  leaseStore(): LeaseStore {
    return new S3LeaseStore(this.objects, this.settings);
  }

  private parseBundle(target: string, text: string): Bundle {
    const parsed = storedBundle.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new DataError(
        `${this.locate(target)} is not a SecretSync bundle (${parsed.error.issues[0]?.message ?? 'invalid'}); remove it or re-run the merge phase`,
      );
    }
    return new Map(
      Object.entries(parsed.data.secrets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }

  /** Targets that have a stored bundle, following every page of the listing. */
  async listTargets(): Promise<string[]> {
    const { bucket, prefix } = this.settings;
    const objects = await collectPages(`s3://${bucket}/${prefix}`, async (token) => {
      const response = await this.client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      return {
        items: response.Contents,
        next: response.IsTruncated === true ? response.NextContinuationToken : undefined,
      };
    });
    const targets = objects.flatMap((object) => {
      const key = object.Key ?? '';
      return key.endsWith('.json') && !key.startsWith(`${prefix}${STATE_FOLDER}`)
        ? [key.slice(prefix.length, -'.json'.length)]
        : [];
    });
    return targets.sort();
  }

  /** The target's sync record; one that cannot be read or used is logged and ignored. */
  readSyncRecord(target: string): Promise<SyncRecord | undefined> {
    const key = this.recordKeyOf(target);
    return readSyncRecordOrIgnore(
      { target, where: `s3://${this.settings.bucket}/${key}`, load: () => this.loadRecord(key) },
      this.logger,
    );
  }

  private async loadRecord(key: string): Promise<StoredRecord> {
    const object = await this.objects.get(key);
    if (object === undefined) return undefined;
    const stored = storedRecord.safeParse(safeJson(object.text));
    if (!stored.success) return { problem: 'not a SecretSync sync record' };
    return {
      meta: stored.data.meta,
      entries: new Map(Object.entries(stored.data.secrets)) as ReadonlyMap<string, JsonValue>,
    };
  }

  /** Stores the target's sync record; a failure is logged (the next run reads values instead). */
  async writeSyncRecord(target: string, record: SyncRecord): Promise<void> {
    const encoded = encodeSyncRecord(record);
    try {
      await this.objects.put(
        this.recordKeyOf(target),
        canonicalJson({ meta: encoded.meta, secrets: Object.fromEntries(encoded.entries) }),
      );
    } catch (error) {
      this.logger.warn(
        { target },
        `sync record of ${target} not stored: ${(error as Error).message}; the next run reads every value`,
      );
    }
  }

  private keyOf(target: string): string {
    return `${this.settings.prefix}${target}.json`;
  }

  private recordKeyOf(target: string): string {
    return `${this.settings.prefix}${STATE_FOLDER}${target}.sync-record.json`;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
