import type { Config, Source, Target } from '../config/types.js';
import type { Bundle } from '../core/json.js';
import type { TargetGraph } from '../plan/target-graph.js';
import { runMergePhase } from './merge-phase.js';
import type { MergeStore, SecretTarget } from './ports.js';
import { totalsOf } from './report.js';
import type {
  MergeReport,
  PipelineMode,
  PipelineReport,
  SyncReport,
  TargetReport,
} from './report.js';
import { RunState } from './run-state.js';
import { runSyncPhase } from './sync-phase.js';

/** How this run behaves (flags over config). */
export interface PipelineOptions {
  readonly runId: string;
  readonly mode: PipelineMode;
  readonly dryRun: boolean;
  readonly continueOnError: boolean;
  readonly mergeParallel: number;
  readonly syncParallel: number;
}

/** Progress events, for the progress line and metrics; they carry names and counts only. */
export interface PipelineEvents {
  phaseStarted(phase: 'merge' | 'sync', targets: number): void;
  phaseFinished(phase: 'merge' | 'sync', durationMs: number): void;
  mergeDone(target: string, report: MergeReport): void;
  syncDone(target: string, report: SyncReport): void;
}

/** The ports and controls the pipeline runs with. */
export interface PipelineDeps {
  readonly readSource: (source: Source) => Promise<Bundle>;
  readonly store: MergeStore;
  readonly target: SecretTarget;
  readonly events: PipelineEvents;
  readonly interrupted: () => boolean;
  readonly now: () => number;
}

/** Runs merge then sync over the (already selected) target graph and returns the report. */
export async function runPipeline(
  config: Config,
  targets: ReadonlyMap<string, Target>,
  graph: TargetGraph,
  options: PipelineOptions,
  deps: PipelineDeps,
): Promise<PipelineReport> {
  const started = deps.now();
  const state = new RunState(options.continueOnError, deps.interrupted);
  const runConfig: Config = {
    ...config,
    pipeline: { ...config.pipeline, mergeParallel: options.mergeParallel },
  };
  let merges = new Map<string, MergeReport>();
  if (options.mode !== 'sync-only') {
    deps.events.phaseStarted('merge', graph.targets.size);
    const phaseStart = deps.now();
    merges = await runMergePhase(runConfig, graph, state, options.dryRun, {
      readSource: deps.readSource,
      store: deps.store,
      now: deps.now,
      onDone: (name, report) => {
        deps.events.mergeDone(name, report);
      },
    });
    deps.events.phaseFinished('merge', deps.now() - phaseStart);
  }
  let syncs = new Map<string, SyncReport>();
  if (options.mode !== 'merge-only') {
    const ordered = graph.levels.flat().flatMap((name) => targets.get(name) ?? []);
    deps.events.phaseStarted('sync', ordered.length);
    const phaseStart = deps.now();
    syncs = await runSyncPhase(ordered, options.syncParallel, state, options.dryRun, {
      target: deps.target,
      store: deps.store,
      now: deps.now,
      onDone: (name, report) => {
        deps.events.syncDone(name, report);
      },
    });
    deps.events.phaseFinished('sync', deps.now() - phaseStart);
  }
  const reports: TargetReport[] = graph.levels.flat().map((name) => ({
    name,
    region: targets.get(name)?.region ?? '',
    merge: merges.get(name),
    sync: syncs.get(name),
  }));
  return {
    runId: options.runId,
    mode: options.mode,
    dryRun: options.dryRun,
    startedAt: new Date(started).toISOString(),
    durationMs: Math.round(deps.now() - started),
    interrupted: deps.interrupted(),
    targets: reports,
    totals: totalsOf(reports),
  };
}
