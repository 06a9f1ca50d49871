import type { Source } from '../config/types.js';
import type { Bundle } from '../core/json.js';
import type { SecretActionKind } from '../core/sync-plan.js';
import type { Guardrails } from './guardrails.js';
import type { MergeStore, SecretsRead, SecretTarget } from './ports.js';
import type { MergeReport, SyncReport } from './report.js';
import type { RunLocks } from './run-locks.js';
import type { RunState } from './run-state.js';

/** Progress events, for the progress line and metrics; they carry names and counts only. */
export interface PipelineEvents {
  phaseStarted(phase: 'merge' | 'sync', targets: number): void;
  phaseFinished(phase: 'merge' | 'sync', durationMs: number): void;
  mergeDone(target: string, report: MergeReport): void;
  syncDone(target: string, report: SyncReport): void;
  /**
   * A target's sync plan is made: the secrets it covers and how many of them will be written (0 in
   * a dry run); the rest need nothing. Optional: only the progress line uses it.
   */
  targetPlanned?(target: string, secrets: number, writes: number): void;
  /** More secrets were read from the sources in the merge phase (each source is read once). */
  secretsRead?(count: number): void;
  /** One planned action was carried out in a target's account. */
  secretApplied(target: string, action: SecretActionKind): void;
}

/** How wide each phase fans out. */
export interface PhaseLimits {
  /** Targets of one graph level merged at once. */
  readonly mergeParallel: number;
  /** Targets synced at once. */
  readonly syncParallel: number;
  /** Secrets of one target written at once. */
  readonly writeConcurrency: number;
}

/** Everything the merge and sync phases of one run share: state, mode, clock, ports and events. */
export interface PhaseContext {
  readonly state: RunState;
  readonly dryRun: boolean;
  readonly now: () => number;
  readonly limits: PhaseLimits;
  /** Limits on the size of each target's plan and of the run, checked before apply. */
  readonly guardrails: Guardrails;
  readonly readSource: (source: Source, onRead?: SecretsRead) => Promise<Bundle>;
  readonly store: MergeStore;
  readonly target: SecretTarget;
  readonly events: PipelineEvents;
  /** The run lock; undefined in dry runs (they write nothing) and where no lock is used. */
  readonly locks: RunLocks | undefined;
}
