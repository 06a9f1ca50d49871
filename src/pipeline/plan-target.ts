import type { Target } from '../config/types.js';
import type { Bundle } from '../core/json.js';
import { planSecrets } from '../core/sync-plan.js';
import type { SecretPlan } from '../core/sync-plan.js';
import {
  recordFor,
  secretsToRead,
  verifiedByRecord,
  versionsAfterReads,
} from '../core/sync-record.js';
import type { ListedVersion, SyncRecord } from '../core/sync-record.js';
import type { SecretTarget, TargetAccount } from './ports.js';

/** A target's plan against its account, ready to be applied exactly as planned. */
export interface TargetPlan {
  readonly target: Target;
  /** The account the listing was made in: the one the target's credentials actually reach. */
  readonly account: TargetAccount;
  readonly plan: SecretPlan;
  /** How many of the plan's failures are its own refusals (name, size, ownership), not reads. */
  readonly refusals: number;
  /** Current version and last-changed date of every existing secret, for the next sync record. */
  readonly listed: ReadonlyMap<string, ListedVersion>;
}

/**
 * Plans one target: lists its account, reads (in bulk) the current values the sync record cannot
 * vouch for, and decides every secret's action. Reads nothing else and writes nothing.
 */
export async function planTarget(
  target: Target,
  bundle: Bundle,
  record: SyncRecord | undefined,
  port: SecretTarget,
): Promise<TargetPlan> {
  const listing = await port.list(target);
  const applicable = recordFor(record, listing.account.accountId, target.region);
  const verified = verifiedByRecord(target.secretPrefix, bundle, listing.secrets, applicable);
  const toRead = secretsToRead(target.secretPrefix, bundle, listing.secrets, verified);
  const read = toRead.length === 0 ? undefined : await port.readValues(target, toRead);
  const plan = planSecrets(target, bundle, listing.secrets, {
    values: read?.values ?? new Map(),
    verified,
  });
  return {
    target,
    account: listing.account,
    plan: { ...plan, failures: [...plan.failures, ...(read?.failures ?? [])] },
    refusals: plan.failures.length,
    listed: versionsAfterReads(listing.secrets, read?.versions ?? new Map()),
  };
}
