import type { DynamicTarget, Source, Target } from '../config/types.js';
import type { Bundle } from '../core/json.js';
import type { PlannedSecret, SecretFailure, SecretPlan } from '../core/sync-plan.js';
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

/** A target's plan against its account, ready to be applied exactly as planned. */
export interface TargetPlan {
  readonly target: Target;
  readonly accountId: string;
  /** The role used to reach the account; undefined when it is the caller's own account. */
  readonly roleArn: string | undefined;
  readonly plan: SecretPlan;
  /** Current version and last-changed date of every existing secret, for the sync record. */
  readonly listed: ReadonlyMap<string, ListedVersion>;
}

/** What apply did: the actions carried out and the secrets that failed. */
export interface ApplyOutcome {
  readonly applied: readonly PlannedSecret[];
  readonly failures: readonly SecretFailure[];
  /** Version id each successful value write returned, by secret name. */
  readonly written: ReadonlyMap<string, string>;
}

/** A secret store in an AWS account: plan against it, then apply that plan. */
export interface SecretTarget {
  /** Plans the target; the sync record, when given, spares reading values it vouches for. */
  plan(target: Target, bundle: Bundle, record?: SyncRecord): Promise<TargetPlan>;
  /** Applies the plan; once `stopped()` is true no new write starts (in-flight ones finish). */
  apply(plan: TargetPlan, stopped?: () => boolean): Promise<ApplyOutcome>;
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
