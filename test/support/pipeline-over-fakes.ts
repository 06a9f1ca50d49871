import type { Config, Source } from '../../src/config/types.js';
import type { Bundle, JsonObject } from '../../src/core/json.js';
import type { PipelineEvents } from '../../src/pipeline/phase-context.js';
import type { MergeStore, SecretTarget } from '../../src/pipeline/ports.js';
import type { PipelineReport } from '../../src/pipeline/report.js';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import type { PipelineOptions } from '../../src/pipeline/run-pipeline.js';
import type { RunLocks } from '../../src/pipeline/run-locks.js';
import { buildTargetGraph } from '../../src/plan/target-graph.js';

/** Source name → its secrets, as a test's sources return them. */
export type TestSources = Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;

/** What a test may change about one run over the fakes. */
export interface FakeRunOverrides {
  readonly options?: Partial<PipelineOptions>;
  readonly events?: Partial<PipelineEvents>;
  readonly interrupted?: () => boolean;
  /** The run lock; omitted, the run takes none. */
  readonly locks?: RunLocks;
}

const QUIET: PipelineEvents = {
  phaseStarted: () => undefined,
  phaseFinished: () => undefined,
  mergeDone: () => undefined,
  syncDone: () => undefined,
  secretApplied: () => undefined,
};

/**
 * One `runPipeline` over every target of the config, with sources answering from `sources` (a
 * source missing there is unreachable) and the given target port and merge store — in unit tests
 * the in-memory fakes (test/support/memory-aws.ts, test/fakes/merge-store/).
 */
export function runOverFakes(
  config: Config,
  target: SecretTarget,
  store: MergeStore,
  sources: TestSources,
  overrides: FakeRunOverrides = {},
): Promise<PipelineReport> {
  const readSource = (source: Source): Promise<Bundle> => {
    const entries = sources[source.name];
    return entries === undefined
      ? Promise.reject(new Error(`source ${source.name} is unreachable`))
      : Promise.resolve(new Map(Object.entries(entries)));
  };
  return runPipeline(
    config,
    config.targets,
    buildTargetGraph([...config.sources.keys()], [...config.targets.values()]),
    {
      runId: 'test-run',
      mode: 'full',
      dryRun: false,
      continueOnError: config.pipeline.continueOnError,
      mergeParallel: 2,
      syncParallel: 2,
      ...overrides.options,
    },
    {
      readSource,
      store,
      target,
      events: { ...QUIET, ...overrides.events },
      interrupted: overrides.interrupted ?? (() => false),
      now: () => 0,
      ...(overrides.locks === undefined ? {} : { locks: overrides.locks }),
    },
  );
}
