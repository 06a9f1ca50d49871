import type { Config, Source, Target } from '../config/types.js';
import type { Bundle } from '../core/json.js';
import type { TargetGraph } from '../plan/target-graph.js';
import { Guardrails, NO_LIMITS } from './guardrails.js';
import type { GuardrailLimits } from './guardrails.js';
import { runMergePhase } from './merge-phase.js';
import type { PhaseContext, PipelineEvents } from './phase-context.js';
import type { MergeStore, SecretsRead, SecretTarget } from './ports.js';
import { totalsOf } from './report.js';
import type {
  MergeReport,
  PipelineMode,
  PipelineReport,
  SyncReport,
  TargetReport,
} from './report.js';
import type { RunLocks } from './run-locks.js';
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
  readonly readSource: (source: Source, onRead?: SecretsRead) => Promise<Bundle>;
  readonly store: MergeStore;
  readonly target: SecretTarget;
  readonly events: PipelineEvents;
  readonly interrupted: () => boolean;
  readonly now: () => number;
  /** The run lock over the merge store; omitted, runs are not kept apart (tests over fakes). */
  readonly locks?: RunLocks;
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
  const ordered = graph.levels.flat().flatMap((name) => targets.get(name) ?? []);
  const { merges, syncs } = await runLocked(ctx, {
    mode: options.mode,
    graph,
    sources: config.sources,
    ordered,
  });
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

/** What one run covers: its mode, graph, sources and the targets it syncs, in order. */
interface RunScope {
  readonly mode: PipelineMode;
  readonly graph: TargetGraph;
  readonly sources: Config['sources'];
  readonly ordered: readonly Target[];
}

/** Each phase's report per target (empty for a phase the mode skips). */
interface PhaseReports {
  readonly merges: Map<string, MergeReport>;
  readonly syncs: Map<string, SyncReport>;
}

/**
 * The phases the mode asks for, in order, holding the run lock on every target the run writes for
 * (its bundle in the merge phase, its account in the sync phase) from before anything is read.
 */
async function runLocked(ctx: PhaseContext, scope: RunScope): Promise<PhaseReports> {
  const { mode, graph, ordered } = scope;
  const writes = mode === 'sync-only' ? ordered.map((t) => t.name) : [...graph.targets.keys()];
  for (const [name, refusal] of (await ctx.locks?.acquire(writes)) ?? [])
    ctx.state.refuse(name, refusal);
  try {
    return await runPhases(ctx, scope);
  } finally {
    await ctx.locks?.release();
  }
}

/** The phases the mode asks for, in order. */
async function runPhases(ctx: PhaseContext, scope: RunScope): Promise<PhaseReports> {
  const { mode, graph, sources, ordered } = scope;
  const merges =
    mode === 'sync-only'
      ? new Map<string, MergeReport>()
      : await phase(ctx, 'merge', graph.targets.size, () => runMergePhase(ctx, graph, sources));
  const syncs =
    mode === 'merge-only'
      ? new Map<string, SyncReport>()
      : await phase(ctx, 'sync', ordered.length, () => runSyncPhase(ctx, ordered));
  return { merges, syncs };
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
    locks: options.dryRun ? undefined : deps.locks,
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
