import type { Config, Source, Target } from '../config/types.js';
import type { Bundle } from '../core/json.js';
import type { TargetGraph } from '../plan/target-graph.js';
import { Guardrails, NO_LIMITS } from './guardrails.js';
import type { GuardrailLimits } from './guardrails.js';
import { runMergePhase } from './merge-phase.js';
import type { PhaseContext, PipelineEvents } from './phase-context.js';
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
  /** Limits on the size of a change; omitted: none beyond each target's own. */
  readonly guardrails?: GuardrailLimits;
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
  const ctx = phaseContext(config, options, deps);
  const merges =
    options.mode === 'sync-only'
      ? new Map<string, MergeReport>()
      : await phase(ctx, 'merge', graph.targets.size, () =>
          runMergePhase(ctx, graph, config.sources),
        );
  const ordered = graph.levels.flat().flatMap((name) => targets.get(name) ?? []);
  const syncs =
    options.mode === 'merge-only'
      ? new Map<string, SyncReport>()
      : await phase(ctx, 'sync', ordered.length, () => runSyncPhase(ctx, ordered));
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

/** What both phases of this run share. */
function phaseContext(config: Config, options: PipelineOptions, deps: PipelineDeps): PhaseContext {
  return {
    state: new RunState(options.continueOnError, deps.interrupted),
    dryRun: options.dryRun,
    now: deps.now,
    limits: {
      mergeParallel: options.mergeParallel,
      syncParallel: options.syncParallel,
      writeConcurrency: config.pipeline.writeConcurrency,
    },
    guardrails: new Guardrails(options.guardrails ?? NO_LIMITS),
    readSource: deps.readSource,
    store: deps.store,
    target: deps.target,
    events: deps.events,
  };
}

/** Runs one phase between its start and finish events. */
async function phase<T>(
  ctx: PhaseContext,
  name: 'merge' | 'sync',
  targets: number,
  run: () => Promise<T>,
): Promise<T> {
  ctx.events.phaseStarted(name, targets);
  const phaseStart = ctx.now();
  const result = await run();
  ctx.events.phaseFinished(name, ctx.now() - phaseStart);
  return result;
}
