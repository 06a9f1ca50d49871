import type { SyncRecord } from '../core/sync-record.js';
import type { AppLogger } from '../observability/logger.js';
import { decodeSyncRecord } from './sync-record-codec.js';
import type { EncodedRecord } from './sync-record-codec.js';

/** What a merge store found where a target's sync record belongs. */
export type StoredRecord = EncodedRecord | { readonly problem: string } | undefined;

/** Where a sync record is read from, for the log line, and how to fetch it. */
export interface SyncRecordLocation {
  readonly target: string;
  /** Human-readable place, e.g. `s3://bucket/key` or `vault secret/.secretsync/app/sync-record`. */
  readonly where: string;
  readonly load: () => Promise<StoredRecord>;
}

/**
 * Reads a target's sync record under the one policy every merge store follows: the record only
 * saves work, so one that cannot be read, decoded or used is logged and ignored, never thrown
 * (the run then reads every value).
 */
export async function readSyncRecordOrIgnore(
  location: SyncRecordLocation,
  logger: AppLogger,
): Promise<SyncRecord | undefined> {
  let problem: string;
  try {
    const stored = await location.load();
    if (stored === undefined) return undefined;
    const record = 'problem' in stored ? stored : decodeSyncRecord(stored);
    if (!('problem' in record)) return record;
    problem = record.problem;
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  logger.warn(
    { target: location.target },
    `sync record at ${location.where} ignored: ${problem}; every value is read this run`,
  );
  return undefined;
}
