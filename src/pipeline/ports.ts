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
  /** Every secret of the source; `onRead` is told as each batch of secrets has been read. */
  readAll(source: Source, onRead?: SecretsRead): Promise<Bundle>;
}

/** Told how many more secrets of a source have been read (for progress; names nothing). */
export type SecretsRead = (count: number) => void;

/** What writing a bundle to the merge store changed, and the generation it is now. */
export interface BundleWriteSummary {
  readonly written: number;
  readonly removed: number;
  readonly unchanged: number;
  /** The bundle's generation after the write (unchanged when nothing changed). */
  readonly generation: string;
}

/** A target's bundle as one consistent generation of the merge store holds it. */
export interface StoredBundle {
  readonly entries: Bundle;
  /** Opaque id of the generation read; compared before apply to refuse a stale plan. */
  readonly generation: string;
}

/**
 * Keeps each target's merged bundle between the merge and the sync phase, as generations: a
 * reader sees one whole generation, never a mix of two.
 */
export interface MergeStore {
  /** The current generation of a target's bundle, or undefined when none was ever stored. */
  readBundle(target: string): Promise<StoredBundle | undefined>;
  /** Stores a bundle as the next generation, writing only what changed. */
  writeBundle(target: string, bundle: Bundle): Promise<BundleWriteSummary>;
  /** The id of the target's current generation (a cheap read), or undefined when none. */
  currentGeneration(target: string): Promise<string | undefined>;
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

/** A run's claim on a target, as the merge store keeps it. No secret is ever part of it. */
export interface Lease {
  /** Who holds it: `user@host`. */
  readonly holder: string;
  readonly host: string;
  readonly pid: number;
  readonly runId: string;
  /** ISO-8601 times. */
  readonly startedAt: string;
  readonly expiresAt: string;
  /** Set when the holder let it go; a released lease is free. */
  readonly released: boolean;
}

/** A stored lease (undefined when unreadable) and the token a conditional write must name. */
export interface StoredLease {
  readonly lease: Lease | undefined;
  readonly token: string;
}

/** Where leases live: beside the bundles, written only conditionally. */
export interface LeaseStore {
  /** The target's stored lease, or undefined when there is none. */
  readLease(target: string): Promise<StoredLease | undefined>;
  /**
   * Writes the lease only if the stored one still has the token `expected` (undefined: only if
   * there is none). Returns the new token, or undefined when another writer came first.
   */
  writeLease(
    target: string,
    lease: Lease,
    expected: string | undefined,
  ): Promise<string | undefined>;
  /** Where the target's lease lives, with how to remove it, for messages. */
  describeLease(target: string): { readonly where: string; readonly removeWith: string };
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
