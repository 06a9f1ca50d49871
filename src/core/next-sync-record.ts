import type { PlannedSecret } from './sync-plan.js';
import type { ListedVersion, RecordedSecret, SyncRecord } from './sync-record.js';

/*
 * The sync record a target gets after a sync, from what the sync planned, wrote and listed. Kept
 * apart from sync-record.ts, which sync-plan.ts reads, so the two never import each other.
 */

/** What one target's sync did, as the next record needs it. */
export interface SyncObservation {
  readonly accountId: string;
  readonly region: string;
  /** Every planned secret (including unchanged ones). */
  readonly planned: readonly PlannedSecret[];
  /** Names whose planned write succeeded. */
  readonly applied: ReadonlySet<string>;
  /** Hash of each desired secret's value, by name. */
  readonly hashes: ReadonlyMap<string, string>;
  /** What the listing (or the value read) said of each existing secret. */
  readonly listed: ReadonlyMap<string, ListedVersion>;
  /** Version id a successful value write returned, by name. */
  readonly written: ReadonlyMap<string, string>;
}

/**
 * The record after a sync: unchanged secrets keep (or gain) their listed version; secrets whose
 * value was written get the returned version; anything failed, skipped or deleted is left out,
 * so the next run reads it.
 */
export function nextSyncRecord(observed: SyncObservation): SyncRecord {
  const secrets = new Map<string, RecordedSecret>();
  for (const secret of observed.planned) {
    const hash = observed.hashes.get(secret.name);
    if (hash === undefined || secret.path === undefined) continue;
    const listed = observed.listed.get(secret.name);
    const entry = recordedAfter(secret, hash, listed, observed);
    if (entry !== undefined) secrets.set(secret.name, entry);
  }
  return { accountId: observed.accountId, region: observed.region, secrets };
}

function recordedAfter(
  secret: PlannedSecret,
  hash: string,
  listed: ListedVersion | undefined,
  observed: SyncObservation,
): RecordedSecret | undefined {
  switch (secret.action) {
    case 'unchanged':
      return { hash, version: listed?.version, changed: listed?.changed };
    case 'tag':
      // Retagging keeps the version but moves the last-changed date to a moment we do not know.
      return observed.applied.has(secret.name)
        ? { hash, version: listed?.version, changed: undefined }
        : undefined;
    case 'create':
    case 'update':
    case 'restore': {
      const version = observed.written.get(secret.name);
      return observed.applied.has(secret.name) && version !== undefined
        ? { hash, version, changed: undefined }
        : undefined;
    }
    case 'delete':
      return undefined;
  }
}
