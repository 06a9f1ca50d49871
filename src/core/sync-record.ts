import type { Bundle } from './json.js';
import { digestJson } from './json-digest.js';

/*
 * The sync record: per target, what SecretSync last wrote to (or verified in) each secret of the
 * target's account — a hash of the value and the version it became — so a re-sync reads values
 * only of secrets that changed since. Never a value; see docs/adr/0004-sync-record.rst.
 */

/** What SecretSync last wrote to or verified in one secret. */
export interface RecordedSecret {
  /** SHA-256 (hex) of the canonical JSON value. */
  readonly hash: string;
  /** The secret's AWSCURRENT version id holding that value; undefined when not known. */
  readonly version: string | undefined;
  /** The secret's last-changed date (ISO 8601) as listed with that value; undefined when not known. */
  readonly changed: string | undefined;
}

/** The record of one target: which account and region it describes, and its secrets by name. */
export interface SyncRecord {
  readonly accountId: string;
  readonly region: string;
  readonly secrets: ReadonlyMap<string, RecordedSecret>;
}

/** What an account's listing says of a secret's current value, without reading it. */
export interface ListedVersion {
  /** Version id carrying the AWSCURRENT stage, when the listing gives versions. */
  readonly version: string | undefined;
  /** Last-changed date (ISO 8601), when the listing gives it. */
  readonly changed: string | undefined;
}

/**
 * True when the secret certainly still holds the recorded value and that value is the desired
 * one: same hash, and the current version is the recorded one (or, when the listing gives no
 * versions, the last-changed date is the recorded one). Anything unknown means "read it".
 */
export function unchangedSinceRecord(
  recorded: RecordedSecret | undefined,
  listed: ListedVersion,
  desiredHash: string,
): boolean {
  if (recorded?.hash !== desiredHash) return false;
  if (recorded.version !== undefined && listed.version !== undefined)
    return recorded.version === listed.version;
  return (
    recorded.changed !== undefined &&
    listed.changed !== undefined &&
    recorded.changed === listed.changed
  );
}

/** A listed secret, as far as the record check needs it. */
export interface ListedSecret extends ListedVersion {
  readonly name: string;
  readonly deleted: boolean;
}

/**
 * Names of listed secrets whose value need not be read: the record shows each holds exactly its
 * desired value from the bundle (`<prefix><path>` → bundle entry).
 */
export function verifiedByRecord(
  prefix: string,
  desired: Bundle,
  listed: Iterable<ListedSecret>,
  record: SyncRecord | undefined,
): Set<string> {
  const verified = new Set<string>();
  if (record === undefined || record.secrets.size === 0) return verified;
  for (const secret of listed) {
    const recorded = record.secrets.get(secret.name);
    if (recorded === undefined || secret.deleted || !secret.name.startsWith(prefix)) continue;
    const value = desired.get(secret.name.slice(prefix.length));
    if (value !== undefined && unchangedSinceRecord(recorded, secret, digestJson(value).hash))
      verified.add(secret.name);
  }
  return verified;
}

/** The record if it describes this account and region; a moved target's record vouches for nothing. */
export function recordFor(
  record: SyncRecord | undefined,
  accountId: string,
  region: string,
): SyncRecord | undefined {
  return record?.accountId === accountId && record.region === region ? record : undefined;
}

/**
 * The listed secrets whose current value must be read to plan: live secrets under the prefix
 * that the bundle wants and the record cannot vouch for.
 */
export function secretsToRead<T extends ListedSecret>(
  prefix: string,
  desired: Bundle,
  listed: readonly T[],
  verified: ReadonlySet<string>,
): T[] {
  return listed.filter(
    (secret) =>
      !secret.deleted &&
      !verified.has(secret.name) &&
      secret.name.startsWith(prefix) &&
      desired.has(secret.name.slice(prefix.length)),
  );
}

/** Each listed secret's version for the next record: the one read, when a value was read. */
export function versionsAfterReads(
  listed: readonly ListedSecret[],
  read: ReadonlyMap<string, ListedVersion>,
): Map<string, ListedVersion> {
  return new Map(
    listed.map((secret) => [
      secret.name,
      read.get(secret.name) ?? { version: secret.version, changed: secret.changed },
    ]),
  );
}
