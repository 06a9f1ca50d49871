import type { DynamicTarget, Source, Target } from '../config/types.js';
import type { Bundle } from '../core/json.js';
import type { ExistingSecret, PlannedSecret, SecretFailure } from '../core/sync-plan.js';
import type { ListedVersion, SyncRecord } from '../core/sync-record.js';
import type { DiscoveredAccount } from '../core/account-filters.js';

/*
 * What the pipeline needs from the outside world. Adapters in clients/ implement these; the
 * pipeline imports no SDK and no HTTP client.
 */

/** Reads every secret of a configured source as relative path → JSON object. */
export interface SecretSource {
  readAll(source: Source): Promise<Bundle>;
}

/** What writing a bundle to the merge store changed. */
export interface BundleWriteSummary {
  readonly written: number;
  readonly removed: number;
  readonly unchanged: number;
}

/** Keeps each target's merged bundle between the merge and the sync phase. */
export interface MergeStore {
  /** The stored bundle of a target, or undefined when none was ever stored. */
  readBundle(target: string): Promise<Bundle | undefined>;
  /** Stores a bundle, writing only what changed and removing entries no longer in it. */
  writeBundle(target: string, bundle: Bundle): Promise<BundleWriteSummary>;
  /** Where a target's bundle lives, for messages (`s3://bucket/key`, `vault merged/Prod/`). */
  locate(target: string): string;
  /**
   * The target's sync record, or undefined when there is none. The record only saves reads, so a
   * record that cannot be read or parsed is logged and treated as absent, never an error.
   */
  readSyncRecord(target: string): Promise<SyncRecord | undefined>;
  /** Stores the target's sync record; a failure is logged, never thrown (the next run reads more). */
  writeSyncRecord(target: string, record: SyncRecord): Promise<void>;
}

/** The account a target's credentials actually reach, and the role used to get there. */
export interface TargetAccount {
  readonly accountId: string;
  /** The role assumed; undefined when it is the caller's own account. */
  readonly roleArn: string | undefined;
}

/** A target's account as listed: every secret under its prefix, scheduled deletions included. */
export interface TargetListing {
  readonly account: TargetAccount;
  readonly secrets: readonly ExistingSecret[];
}

/** Current values read from an account, the versions they were read at, and what failed. */
export interface ValueReads {
  readonly values: ReadonlyMap<string, string>;
  readonly versions: ReadonlyMap<string, ListedVersion>;
  readonly failures: readonly SecretFailure[];
}

/**
 * A secret store in an AWS account, as protocol verbs: list it, read values, apply one planned
 * action. Deciding what to read and what to do is the pipeline's (plan-target.ts).
 */
export interface SecretTarget {
  /** Lists the target's account under its prefix. */
  list(target: Target): Promise<TargetListing>;
  /** Reads the current values of these listed secrets (in bulk); a secret that fails is reported, not thrown. */
  readValues(target: Target, secrets: readonly ExistingSecret[]): Promise<ValueReads>;
  /**
   * Carries out one planned action with its payload (for create, update and restore); returns
   * the version id a value write produced.
   */
  applyAction(
    target: Target,
    secret: PlannedSecret,
    payload: string | undefined,
  ): Promise<string | undefined>;
}

/** Finds the AWS accounts a dynamic target stands for (Organizations, Identity Center, a list). */
export interface AccountDirectory {
  /**
   * The accounts the dynamic target's discovery methods find, one per id, sorted by id, with
   * excluded statuses (and, for Organizations, non-matching tags) already filtered out. Results
   * are cached for the run.
   */
  discover(dynamic: DynamicTarget): Promise<DiscoveredAccount[]>;
}
