import { z } from 'zod';
import type { JsonObject, JsonValue } from '../core/json.js';
import type { RecordedSecret, SyncRecord } from '../core/sync-record.js';

/*
 * How a sync record is stored by either merge store: metadata (account, region) plus one entry
 * per secret name, `[hash, version | null, changed | null]` — compact, because a target of
 * thousands of secrets must fit the store's entry limits.
 */

const FORMAT = 'secretsync-sync-record/v1';

const metaSchema = z.object({
  format: z.literal(FORMAT),
  account_id: z.string(),
  region: z.string(),
});
const entrySchema = z.tuple([
  z.string().regex(/^[0-9a-f]{64}$/),
  z.string().nullable(),
  z.string().nullable(),
]);

/** A record as metadata plus entries. */
export interface EncodedRecord {
  readonly meta: JsonObject;
  readonly entries: ReadonlyMap<string, JsonValue>;
}

/** The stored form of a record. */
export function encodeSyncRecord(record: SyncRecord): EncodedRecord {
  const entries = new Map<string, JsonValue>();
  for (const [name, secret] of record.secrets)
    entries.set(name, [secret.hash, secret.version ?? null, secret.changed ?? null]);
  return {
    meta: { format: FORMAT, account_id: record.accountId, region: record.region },
    entries,
  };
}

/** The record a stored form holds, or a reason it cannot be used. */
export function decodeSyncRecord(
  encoded: EncodedRecord,
): SyncRecord | { readonly problem: string } {
  const meta = metaSchema.safeParse(encoded.meta);
  if (!meta.success) return { problem: 'not a SecretSync sync record (unknown format)' };
  const secrets = new Map<string, RecordedSecret>();
  for (const [name, value] of encoded.entries) {
    const entry = entrySchema.safeParse(value);
    if (!entry.success) return { problem: `malformed entry for secret "${name}"` };
    const [hash, version, changed] = entry.data;
    secrets.set(name, { hash, version: version ?? undefined, changed: changed ?? undefined });
  }
  return { accountId: meta.data.account_id, region: meta.data.region, secrets };
}
