import type { KeyChanges } from '../core/diff.js';
import type { SecretActionKind, SecretFailure } from '../core/sync-plan.js';
import type { ErrorDescription } from '../context/describe-error.js';
import type { BundleWriteSummary } from './ports.js';

/** What a report says of an error: stable code, fault, the call's outcome and request id. */
export type PhaseError = ErrorDescription;

/** A phase that was not started for a target, and why (a failed parent, an interrupt). */
export interface SkippedPhase {
  readonly status: 'skipped';
  readonly reason: string;
}

/** What a merge that ran did. */
export interface MergeResult {
  readonly durationMs: number;
  /** Secrets in the merged bundle. */
  readonly secrets: number;
  /** What the merge store write changed; undefined in dry-run. */
  readonly store: BundleWriteSummary | undefined;
}

/** The merge phase of one target: done, failed with an error, or not started. */
export type MergeReport =
  | ({ readonly status: 'ok' } & MergeResult)
  | { readonly status: 'failed'; readonly durationMs: number; readonly error: PhaseError }
  | SkippedPhase;

/** Why a target's sync did not start after its merge failed or was skipped (said once, on the merge). */
export const NOT_SYNCED = 'not synced: its merge did not complete';

/** The error message of a target whose secrets failed or whose planned writes never started. */
export function secretsFailedMessage(failed: number, notStarted: number): string {
  return [
    failed > 0 ? `${failed} secret(s) failed` : '',
    notStarted > 0 ? notStartedMessage(notStarted) : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** What an interrupt left undone in a target, in one line (never a line per secret). */
export function notStartedMessage(notStarted: number): string {
  return `${notStarted} planned write(s) not started: the run was interrupted`;
}

/** Which phases a run performs. */
export type PipelineMode = 'full' | 'merge-only' | 'sync-only';

/** One secret's change — names and key names, never values. */
export interface SecretChange {
  readonly name: string;
  readonly action: Exclude<SecretActionKind, 'unchanged'>;
  readonly keys: KeyChanges;
  readonly tagsChanged: boolean;
}

/** Counts of a diff, in the vocabulary of the outputs. */
export interface DiffCounts {
  readonly added: number;
  readonly modified: number;
  readonly removed: number;
  readonly unchanged: number;
}

/** What a sync that ran did (or, in dry-run, would do). */
export interface SyncResult {
  readonly durationMs: number;
  /** The account the plan was computed in; the configured one when planning never started. */
  readonly accountId: string | undefined;
  readonly roleArn: string | undefined;
  readonly counts: DiffCounts;
  readonly changes: readonly SecretChange[];
  readonly failures: readonly SecretFailure[];
  /** Orphans left in the account because delete_orphans is off (names, sorted). */
  readonly keptOrphans: readonly string[];
  /** Planned writes never started because the run was interrupted (or lost its lock). */
  readonly notStarted: number;
  /** True when the changes were written (false in dry-run). */
  readonly applied: boolean;
}

/**
 * The sync phase of one target: done; failed (the target could not be planned, or secrets
 * failed — what was done is still reported); or not started.
 */
export type SyncReport =
  | ({ readonly status: 'ok' } & SyncResult)
  | ({ readonly status: 'failed'; readonly error: PhaseError } & SyncResult)
  | SkippedPhase;

/** How a phase of one target ended. */
export type PhaseStatus = MergeReport['status'];

/** Everything one target went through in this run. */
export interface TargetReport {
  readonly name: string;
  readonly region: string;
  readonly merge: MergeReport | undefined;
  readonly sync: SyncReport | undefined;
}

/** The whole run, as every formatter and the exit code see it. */
export interface PipelineReport {
  readonly runId: string;
  readonly mode: PipelineMode;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly interrupted: boolean;
  readonly targets: readonly TargetReport[];
  readonly totals: DiffCounts & {
    readonly failedTargets: number;
    readonly failedSecrets: number;
    readonly keptOrphans: number;
  };
}

/** Maps a planned action to the diff vocabulary (added / modified / removed). */
export function diffBucket(action: SecretActionKind): keyof DiffCounts {
  const buckets = {
    create: 'added',
    restore: 'added',
    update: 'modified',
    tag: 'modified',
    delete: 'removed',
    unchanged: 'unchanged',
  } as const satisfies Record<SecretActionKind, keyof DiffCounts>;
  return buckets[action];
}

/** Sums target counts and failures into run totals; a refused plan counts only as a failure. */
export function totalsOf(targets: readonly TargetReport[]): PipelineReport['totals'] {
  const sum = (pick: (counts: DiffCounts) => number) =>
    targets.reduce((total, target) => total + pick(totalCountsOf(target.sync)), 0);
  return {
    added: sum((c) => c.added),
    modified: sum((c) => c.modified),
    removed: sum((c) => c.removed),
    unchanged: sum((c) => c.unchanged),
    failedTargets: targets.filter(
      (t) => t.merge?.status === 'failed' || t.sync?.status === 'failed',
    ).length,
    failedSecrets: targets.reduce(
      (total, target) => total + (ranSync(target)?.failures.length ?? 0),
      0,
    ),
    keptOrphans: targets.reduce(
      (total, target) => total + (ranSync(target)?.keptOrphans.length ?? 0),
      0,
    ),
  };
}

/** True when the run changed (or, in dry-run, would change) anything. */
export function hasChanges(report: PipelineReport): boolean {
  return report.totals.added + report.totals.modified + report.totals.removed > 0;
}

/** True when any target failed or the run was interrupted. */
export function hasFailures(report: PipelineReport): boolean {
  return report.totals.failedTargets > 0 || report.interrupted;
}

/** The sync phase of a target when it ran (ok or failed), else undefined. */
export function ranSync(target: TargetReport): SyncResult | undefined {
  return target.sync === undefined || target.sync.status === 'skipped' ? undefined : target.sync;
}

const NO_COUNTS: DiffCounts = { added: 0, modified: 0, removed: 0, unchanged: 0 };

/** The counts of a sync phase; zero when it did not run. */
export function countsOf(sync: SyncReport | undefined): DiffCounts {
  return sync === undefined || sync.status === 'skipped' ? NO_COUNTS : sync.counts;
}

/** The counts a run's totals take from a target: none from a plan a guardrail refused. */
function totalCountsOf(sync: SyncReport | undefined): DiffCounts {
  if (sync?.status === 'failed' && sync.error.code === 'guardrail_exceeded') return NO_COUNTS;
  return countsOf(sync);
}

/** Why a phase did not end well, in words: the error's message or the skip reason. */
export function problemOf(phase: MergeReport | SyncReport | undefined): string | undefined {
  if (phase === undefined || phase.status === 'ok') return undefined;
  return phase.status === 'skipped' ? phase.reason : phase.error.message;
}
