import type { Config, Source } from '../config/types.js';
import { mapLimit } from '../core/concurrency.js';
import { mergeBundles } from '../core/deep-merge.js';
import { InternalError, PlanError } from '../core/errors.js';
import type { Bundle } from '../core/json.js';
import type { TargetGraph } from '../plan/target-graph.js';
import type { MergeStore } from './ports.js';
import type { MergeReport } from './report.js';
import { elapsed } from './run-state.js';
import type { RunState } from './run-state.js';

/** What the merge phase needs. */
export interface MergeDeps {
  readonly readSource: (source: Source) => Promise<Bundle>;
  readonly store: MergeStore;
  readonly now: () => number;
  readonly onDone: (target: string, report: MergeReport) => void;
}

/**
 * Merges every target of the graph level by level (targets of one level in parallel), deep-merging
 * imports in order: sources through the source port (each read once per run), parents from this
 * run. Nothing is written for a failed target, and its descendants are skipped. In dry-run the
 * bundles stay in memory.
 */
export async function runMergePhase(
  config: Config,
  graph: TargetGraph,
  state: RunState,
  dryRun: boolean,
  deps: MergeDeps,
): Promise<Map<string, MergeReport>> {
  const reports = new Map<string, MergeReport>();
  const sourceReads = new Map<string, Promise<Bundle>>();
  const readSource = (name: string): Promise<Bundle> => {
    let read = sourceReads.get(name);
    if (read === undefined) {
      const source = config.sources.get(name);
      read =
        source === undefined
          ? Promise.reject(new InternalError(`unknown source ${name}`))
          : deps.readSource(source);
      sourceReads.set(name, read);
    }
    return read;
  };
  for (const level of graph.levels) {
    await mapLimit(level, config.pipeline.mergeParallel, async (name) => {
      const report = await mergeTarget(name, graph, state, dryRun, deps, readSource);
      reports.set(name, report);
      deps.onDone(name, report);
    });
  }
  return reports;
}

async function mergeTarget(
  name: string,
  graph: TargetGraph,
  state: RunState,
  dryRun: boolean,
  deps: MergeDeps,
  readSource: (name: string) => Promise<Bundle>,
): Promise<MergeReport> {
  const imports = graph.targets.get(name)?.imports ?? [];
  const skipped = (error: string): MergeReport => ({
    status: 'skipped',
    durationMs: 0,
    secrets: 0,
    store: undefined,
    error,
  });
  const blocked = state.blocked();
  if (blocked !== undefined) {
    state.failed.set(name, blocked);
    return skipped(blocked);
  }
  const brokenParent = state.failedImport(imports);
  if (brokenParent !== undefined) {
    const message = `not merged: it imports ${brokenParent}, which failed`;
    state.fail(name, message);
    return skipped(message);
  }
  const started = deps.now();
  try {
    const parts = await Promise.all(
      imports.map((imported) => importBundle(imported, graph, state, readSource, deps.store)),
    );
    const bundle = mergeBundles(parts);
    state.bundles.set(name, bundle);
    const store = dryRun ? undefined : await deps.store.writeBundle(name, bundle);
    return {
      status: 'ok',
      durationMs: elapsed(started, deps.now),
      secrets: bundle.size,
      store,
      error: undefined,
    };
  } catch (error) {
    const message = (error as Error).message;
    state.fail(name, message);
    return {
      status: 'failed',
      durationMs: elapsed(started, deps.now),
      secrets: 0,
      store: undefined,
      error: message,
    };
  }
}

async function importBundle(
  name: string,
  graph: TargetGraph,
  state: RunState,
  readSource: (name: string) => Promise<Bundle>,
  store: MergeStore,
): Promise<Bundle> {
  if (!graph.targets.has(name) && !state.bundles.has(name)) {
    // A name outside this run's graph: a source, or a parent target merged in an earlier run.
    return graph.sources.includes(name) ? readSource(name) : readStored(name, store);
  }
  return state.bundles.get(name) ?? readStored(name, store);
}

async function readStored(name: string, store: MergeStore): Promise<Bundle> {
  const bundle = await store.readBundle(name);
  if (bundle === undefined)
    throw new PlanError(
      `no merged bundle of ${name} at ${store.locate(name)}: run the merge phase for ${name} first`,
    );
  return bundle;
}
