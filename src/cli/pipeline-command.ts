import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import type { Config } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import { exitCodeFor } from '../core/exit-code.js';
import { withRun } from '../context/request-context.js';
import { createMetrics } from '../observability/metrics.js';
import { requestsSent } from '../observability/request-count.js';
import { startMetricsServer } from '../observability/metrics-server.js';
import { pushRunMetrics } from '../observability/pushgateway.js';
import { recordRunInfo } from '../observability/run-info.js';
import type { MetricsServer } from '../observability/metrics-server.js';
import { colourWanted } from '../output/colour.js';
import { renderReport, REPORT_FORMATS } from '../output/report-format.js';
import type { ReportFormat } from '../output/report-format.js';
import { hasChanges, hasFailures } from '../pipeline/report.js';
import type { PipelineMode, PipelineReport } from '../pipeline/report.js';
import type { PipelineEvents } from '../pipeline/phase-context.js';
import { runPipeline } from '../pipeline/run-pipeline.js';
import { buildTargetGraph, selectTargets } from '../plan/target-graph.js';
import { createApp } from './app.js';
import { configOption, loadChosenConfig } from './config-option.js';
import { logConfigWarnings } from './config-warnings.js';
import { discoverForRun, discoverOption, staticTargetsForRun } from './discovery.js';
import { booleanFlag } from './env-option.js';
import { addGuardrailOptions, guardrailLimits } from './guardrail-options.js';
import type { GuardrailFlags } from './guardrail-options.js';
import type { CliIo, StopSignal } from './io.js';
import { parseNameList } from './name-list.js';
import { logPhaseOutcomes, logRunEnd, logRunStart } from './log-events.js';
import { createRunLocks, lockTimeoutOption } from './run-lock.js';
import { progressOption, runProgress } from './progress-option.js';
import type { RunProgress } from './progress-option.js';
import { pushgatewayOption, pushgatewayUrl } from './pushgateway-option.js';
import { addRuntimeOptions, commandLogger, metricsPort } from './runtime-options.js';
import type { RuntimeFlags } from './runtime-options.js';

interface PipelineFlags extends RuntimeFlags, GuardrailFlags {
  readonly config?: string;
  readonly dryRun?: boolean;
  readonly diff?: boolean;
  readonly output: ReportFormat;
  readonly exitCode?: boolean;
  readonly targets?: string;
  readonly mergeOnly?: boolean;
  readonly syncOnly?: boolean;
  readonly parallel?: string;
  readonly discover?: boolean;
  readonly lockTimeout?: string;
  readonly pushgateway?: string;
  readonly progress: boolean;
}

/** `secretsync pipeline`: merge then sync, with plan/diff/dry-run and exit codes. */
export function pipelineCommand(io: CliIo, finish: (code: number) => void): Command {
  const command = new Command('pipeline')
    .description(
      "merge each target's imports and sync the result into its AWS account (plan, then apply)",
    )
    .addOption(configOption())
    .addOption(
      booleanFlag(
        '--dry-run',
        'plan and report the changes, write nothing (also pipeline.dry_run)',
        'SECRETSYNC_DRY_RUN',
      ),
    )
    .addOption(
      booleanFlag(
        '--diff',
        'list every changed secret with the key names added, removed and changed (never values)',
        'SECRETSYNC_DIFF',
      ),
    )
    .addOption(
      new Option('-o, --output <format>', 'report format on stdout')
        .choices(REPORT_FORMATS)
        .default('human')
        .env('SECRETSYNC_OUTPUT'),
    )
    .addOption(
      booleanFlag(
        '--exit-code',
        'exit 0 when nothing changed, 1 when something changed, 2 on any error',
        'SECRETSYNC_EXIT_CODE',
      ),
    )
    .addOption(
      new Option(
        '--targets <names>',
        'comma-separated targets to run; the targets they inherit from are added',
      ).env('SECRETSYNC_TARGETS'),
    )
    .addOption(
      booleanFlag(
        '--merge-only',
        'run the merge phase only (update the merge store)',
        'SECRETSYNC_MERGE_ONLY',
      ).conflicts('syncOnly'),
    )
    .addOption(
      booleanFlag(
        '--sync-only',
        'run the sync phase only, from the bundles in the merge store',
        'SECRETSYNC_SYNC_ONLY',
      ),
    )
    .addOption(
      new Option(
        '--parallel <n>',
        'targets processed at once in each phase (overrides pipeline.merge/sync.parallel)',
      ).env('SECRETSYNC_PARALLEL'),
    )
    .addOption(lockTimeoutOption())
    .addOption(progressOption())
    .addOption(discoverOption('discovery runs as the caller before planning'))
    .addOption(pushgatewayOption());
  addRuntimeOptions(addGuardrailOptions(command)).addHelpText(
    'after',
    `
Exit codes: 0 success, 1 failure; with --exit-code: 0 no changes, 1 changes, 2 any error.
A target whose plan is over a guardrail (--max-deletes, max_changes, ...) is refused before apply
and counts as a failure. A run holds a lock on its targets in the merge store while it writes; a
target another run holds fails at once (lock_held, naming the holder) unless --lock-timeout waits.
SIGINT/SIGTERM stop cleanly: in-flight calls finish, nothing new starts, the report says what was done.

Examples:
  $ secretsync pipeline --config config.yaml --dry-run --diff
  $ secretsync pipeline --targets Production --output json
  $ secretsync pipeline --discover --dry-run
  $ secretsync pipeline --sync-only --exit-code --metrics-port 9090`,
  );
  return command.action(async (flags: PipelineFlags) => {
    const stop = io.watchStop();
    const progress = runProgress(io, flags.progress, Date.now);
    try {
      const runId = randomUUID();
      const report = await withRun(() => runCommand(flags, progress, stop, runId), runId);
      const exitMode = flags.exitCode === true;
      finish(
        exitCodeFor(
          hasFailures(report) ? 'failure' : hasChanges(report) ? 'changes' : 'success',
          exitMode,
        ),
      );
    } finally {
      progress.close();
      stop.dispose();
    }
  });
}

async function runCommand(
  flags: PipelineFlags,
  { io, events }: RunProgress,
  stop: StopSignal,
  runId: string,
): Promise<PipelineReport> {
  const selected = parseNameList(flags.targets, { flag: '--targets', env: 'SECRETSYNC_TARGETS' });
  const { config, warnings } = await loadChosenConfig(flags.config, io);
  const pushUrl = pushgatewayUrl(flags.pushgateway, config);
  const { logger, metrics, server } = await startObservability(flags, config, io, runId);
  logConfigWarnings(logger, warnings);
  const app = createApp(config, io.env, logger, metrics);
  try {
    const set =
      flags.discover === true
        ? await discoverForRun(config, app.directory, logger)
        : staticTargetsForRun(config, logger);
    const graph = selectTargets(
      buildTargetGraph([...config.sources.keys()], [...set.targets.values()]),
      selected,
      { names: [...config.dynamicTargets.keys()], discovered: flags.discover === true },
    );
    const started = Date.now();
    const options = pipelineOptions(flags, config, runId);
    const locks = createRunLocks(config, flags.lockTimeout, options.runId, app.leases, logger);
    logRunStart(logger, { ...options, targets: graph.targets.size });
    const report = await runPipeline(config, set.targets, graph, options, {
      readSource: app.readSource,
      store: app.store,
      target: app.target,
      events: logPhaseOutcomes(instrument(events, metrics), logger),
      interrupted: stop.stopped,
      now: Date.now,
      locks,
    });
    metrics.pipelineDuration.observe((Date.now() - started) / 1000);
    logRunEnd(logger, report, await requestsSent(metrics));
    await publish(report, flags, io);
    await pushRunMetrics(metrics.registry, pushUrl, { ...options, targets: selected }, logger);
    return report;
  } finally {
    app.close();
    await server?.close();
  }
}

/** The run's logger and metrics, and the /metrics endpoint when a port is given. */
async function startObservability(flags: PipelineFlags, config: Config, io: CliIo, runId: string) {
  const logger = commandLogger(flags, config, io);
  const metrics = createMetrics();
  recordRunInfo(metrics.registry, runId);
  const port = metricsPort(flags, io.env);
  const server: MetricsServer | undefined =
    port === undefined
      ? undefined
      : await startMetricsServer(metrics.registry, port, flags.metricsAddr ?? '127.0.0.1');
  if (server !== undefined)
    logger.info({ url: `${server.url}/metrics` }, `metrics at ${server.url}/metrics`);
  return { logger, metrics, server };
}

/** Prints the report in the chosen format; writes the GitHub outputs and summary whenever set. */
async function publish(report: PipelineReport, flags: PipelineFlags, io: CliIo): Promise<void> {
  const colour = colourWanted(io.env, io.stdoutIsTty);
  const rendered = renderReport(report, flags.output, { diff: flags.diff === true, colour });
  io.writeOut(rendered.stdout);
  await writeGithubFiles(rendered.githubOutputs, rendered.githubSummary, io);
}

function pipelineOptions(flags: PipelineFlags, config: Config, runId: string) {
  if (flags.mergeOnly === true && flags.syncOnly === true)
    throw new UsageError(
      '--merge-only and --sync-only cannot be combined: choose one phase, or neither for both',
    );
  const mode: PipelineMode =
    flags.mergeOnly === true ? 'merge-only' : flags.syncOnly === true ? 'sync-only' : 'full';
  const parallel = flags.parallel === undefined ? undefined : Number(flags.parallel);
  if (parallel !== undefined && (!Number.isInteger(parallel) || parallel < 1))
    throw new UsageError(
      `--parallel must be a whole number of at least 1, got "${flags.parallel ?? ''}"`,
    );
  return {
    runId,
    mode,
    dryRun: flags.dryRun === true || config.pipeline.dryRun,
    continueOnError: config.pipeline.continueOnError,
    mergeParallel: parallel ?? config.pipeline.mergeParallel,
    syncParallel: parallel ?? config.pipeline.syncParallel,
    guardrails: guardrailLimits(flags, config),
  };
}

function instrument(
  events: PipelineEvents,
  metrics: ReturnType<typeof createMetrics>,
): PipelineEvents {
  return {
    ...events,
    mergeDone: (name, report) => {
      if (report.status !== 'skipped') metrics.mergeDuration.observe(report.durationMs / 1000);
      events.mergeDone(name, report);
    },
    syncDone: (name, report) => {
      if (report.status !== 'skipped') metrics.syncDuration.observe(report.durationMs / 1000);
      events.syncDone(name, report);
    },
    secretApplied: (name, action) => {
      metrics.secretsSynced.inc({ action });
      events.secretApplied(name, action);
    },
  };
}

async function writeGithubFiles(
  outputs: Readonly<Record<string, string>>,
  summary: string,
  io: CliIo,
): Promise<void> {
  const outputFile = io.env.GITHUB_OUTPUT;
  if (outputFile !== undefined && outputFile !== '') {
    await appendFile(
      outputFile,
      Object.entries(outputs)
        .map(([key, value]) => `${key}=${value}\n`)
        .join(''),
    );
  }
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile !== undefined && summaryFile !== '') await appendFile(summaryFile, summary);
}
