import type { KeyChanges } from '../core/diff.js';
import type { SecretActionKind, SecretFailure } from '../core/sync-plan.js';
import type { BundleWriteSummary } from './ports.js';

/** How a phase of one target ended. */
export type PhaseStatus = 'ok' | 'failed' | 'skipped';

/** Which phases a run performs. */
export type PipelineMode = 'full' | 'merge-only' | 'sync-only';

/** The merge phase of one target. */
export interface MergeReport {
  readonly status: PhaseStatus;
  readonly durationMs: number;
  /** Secrets in the merged bundle. */
  readonly secrets: number;
  /** What the merge store write changed; undefined in dry-run or on failure. */
  readonly store: BundleWriteSummary | undefined;
  readonly error: string | undefined;
}

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

/** The sync phase of one target. */
export interface SyncReport {
  readonly status: PhaseStatus;
  readonly durationMs: number;
  readonly accountId: string | undefined;
  readonly roleArn: string | undefined;
  readonly counts: DiffCounts;
  readonly changes: readonly SecretChange[];
  readonly failures: readonly SecretFailure[];
  /** True when the changes were written (false in dry-run). */
  readonly applied: boolean;
  readonly error: string | undefined;
}

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
  readonly totals: DiffCounts & { readonly failedTargets: number; readonly failedSecrets: number };
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

/** Sums target counts and failures into run totals. */
export function totalsOf(targets: readonly TargetReport[]): PipelineReport['totals'] {
  const sum = (pick: (counts: DiffCounts) => number) =>
    targets.reduce((total, target) => total + (target.sync ? pick(target.sync.counts) : 0), 0);
  return {
    added: sum((c) => c.added),
    modified: sum((c) => c.modified),
    removed: sum((c) => c.removed),
    unchanged: sum((c) => c.unchanged),
    failedTargets: targets.filter(
      (t) => t.merge?.status === 'failed' || t.sync?.status === 'failed',
    ).length,
    failedSecrets: targets.reduce(
      (total, target) => total + (target.sync?.failures.length ?? 0),
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
