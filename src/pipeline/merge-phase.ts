import type { Source } from '../config/types.js';
import { mapLimit } from '../core/concurrency.js';
import { mergeBundles } from '../core/deep-merge.js';
import { InternalError, StoreStateError } from '../core/errors.js';
import type { Bundle } from '../core/json.js';
import { describeError } from '../context/describe-error.js';
import type { TargetGraph } from '../plan/target-graph.js';
import { refuseEmptySources, sourcesFeeding } from './empty-sources.js';
import type { MergeStore } from './ports.js';
import type { PhaseContext } from './phase-context.js';
import type { MergeReport } from './report.js';
import { elapsed } from './run-state.js';

/**
 * Merges every target of the graph level by level (targets of one level in parallel), deep-merging
 * imports in order: sources through the source port (each read once per run), parents from this
 * run. Nothing is written for a failed target, and its descendants are skipped. In dry-run the
 * bundles stay in memory.
 */
export async function runMergePhase(
  ctx: PhaseContext,
  graph: TargetGraph,
  sources: ReadonlyMap<string, Source>,
): Promise<Map<string, MergeReport>> {
  const reports = new Map<string, MergeReport>();
  const empty = new Set<string>();
  const readSource = onceEach(async (name: string) => {
    const source = sources.get(name);
    if (source === undefined) throw new InternalError(`unknown source ${name}`);
    const bundle = await ctx.readSource(source, (count) => ctx.events.secretsRead?.(count));
    if (bundle.size === 0) empty.add(name);
    return bundle;
  });
  // The sources of a target that returned nothing this run, once its imports are read.
  const emptyFeeding = (name: string): Source[] =>
    sourcesFeeding(name, graph).flatMap((feeding) =>
      empty.has(feeding) ? (sources.get(feeding) ?? []) : [],
    );
  for (const level of graph.levels) {
    await mapLimit(level, ctx.limits.mergeParallel, async (name) => {
      const report = await mergeTarget(ctx, name, graph, { readSource, emptyFeeding });
      reports.set(name, report);
      ctx.events.mergeDone(name, report);
    });
  }
  return reports;
}

/** `load` memoized per key: each source is read once per run, whoever asks first. */
function onceEach<V>(load: (key: string) => Promise<V>): (key: string) => Promise<V> {
  const loads = new Map<string, Promise<V>>();
  return (key) => {
    let pending = loads.get(key);
    if (pending === undefined) {
      pending = load(key);
      loads.set(key, pending);
    }
    return pending;
  };
}

/** How a target's merge reads its sources, and which of them came back empty. */
interface SourceReads {
  readonly readSource: (name: string) => Promise<Bundle>;
  readonly emptyFeeding: (name: string) => Source[];
}

async function mergeTarget(
  ctx: PhaseContext,
  name: string,
  graph: TargetGraph,
  reads: SourceReads,
): Promise<MergeReport> {
  const imports = graph.targets.get(name)?.imports ?? [];
  const skipped = (reason: string): MergeReport => ({ status: 'skipped', reason });
  const refusal = ctx.state.takeRefusal(name);
  if (refusal !== undefined)
    return { status: 'failed', durationMs: 0, error: describeError(refusal.error) };
  const blocked = ctx.state.blocked();
  if (blocked !== undefined) {
    ctx.state.failed.set(name, blocked);
    return skipped(blocked);
  }
  const brokenParent = ctx.state.failedImport(imports);
  if (brokenParent !== undefined) {
    // Descendants of a target that was not merged must not be merged either.
    const message = `not merged: ${brokenParent}`;
    ctx.state.skip(name, message);
    return skipped(message);
  }
  const started = ctx.now();
  try {
    const parts = await Promise.all(
      imports.map((imported) => importBundle(imported, graph, ctx, reads.readSource)),
    );
    await refuseEmptySources(name, reads.emptyFeeding(name), ctx.store);
    const bundle = mergeBundles(parts);
    ctx.state.bundles.set(name, bundle);
    ctx.locks?.check(name);
    const store = ctx.dryRun ? undefined : await ctx.store.writeBundle(name, bundle);
    if (store !== undefined) ctx.state.generations.set(name, store.generation);
    return { status: 'ok', durationMs: elapsed(started, ctx.now), secrets: bundle.size, store };
  } catch (error) {
    const described = describeError(error);
    ctx.state.fail(name, described.message);
    return { status: 'failed', durationMs: elapsed(started, ctx.now), error: described };
  }
}

async function importBundle(
  name: string,
  graph: TargetGraph,
  ctx: PhaseContext,
  readSource: (name: string) => Promise<Bundle>,
): Promise<Bundle> {
  if (!graph.targets.has(name) && !ctx.state.bundles.has(name)) {
    // A name outside this run's graph: a source, or a parent target merged in an earlier run.
    return graph.sources.includes(name) ? readSource(name) : readStored(name, ctx.store);
  }
  return ctx.state.bundles.get(name) ?? readStored(name, ctx.store);
}

async function readStored(name: string, store: MergeStore): Promise<Bundle> {
  const bundle = await store.readBundle(name);
  if (bundle === undefined)
    throw new StoreStateError(
      `no merged bundle of ${name} at ${store.locate(name)}: run the merge phase for ${name} first`,
    );
  return bundle.entries;
}
