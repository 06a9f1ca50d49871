import { REPORTED_FIELD } from '../observability/annotations.js';
import type { AppLogger } from '../observability/logger.js';
import type { PipelineEvents } from '../pipeline/phase-context.js';
import type { MergeReport, PipelineReport, SyncReport } from '../pipeline/report.js';

/** What the run-start line says: the run, its mode and how many targets it covers. */
export interface RunStart {
  readonly runId: string;
  readonly mode: PipelineReport['mode'];
  readonly dryRun: boolean;
  readonly targets: number;
}

/** The one info line a run writes when it starts. */
export function logRunStart(logger: AppLogger, run: RunStart): void {
  const dry = run.dryRun ? ' (dry run)' : '';
  logger.info(
    {
      event: 'run_start',
      mode: run.mode,
      dry_run: run.dryRun,
      targets: run.targets,
    },
    `run ${run.runId} started: ${run.mode}${dry}, ${run.targets} target(s)`,
  );
}

/**
 * The one line a run writes when it ends: totals, duration and the requests it sent (every
 * attempt, from the metrics); a warning when it was interrupted.
 */
export function logRunEnd(logger: AppLogger, report: PipelineReport, requests: number): void {
  const { totals } = report;
  const ended = report.interrupted ? 'interrupted' : 'finished';
  logger[report.interrupted ? 'warn' : 'info'](
    {
      event: 'run_end',
      targets: report.targets.length,
      added: totals.added,
      modified: totals.modified,
      removed: totals.removed,
      unchanged: totals.unchanged,
      kept_orphans: totals.keptOrphans,
      failed_targets: totals.failedTargets,
      failed_secrets: totals.failedSecrets,
      requests,
      duration_ms: report.durationMs,
    },
    `run ${report.runId} ${ended} in ${report.durationMs}ms: ${totals.added} added, ${totals.modified} modified, ${totals.removed} removed, ${totals.unchanged} unchanged; ${totals.failedTargets} failed target(s); ${requests} request(s) to Vault and AWS`,
  );
}

/**
 * Adds one log line per target and phase when it ends: info when it went well or was skipped,
 * error when it failed (with the error's code, fault and request id). Names and counts only.
 */
export function logPhaseOutcomes(events: PipelineEvents, logger: AppLogger): PipelineEvents {
  return {
    ...events,
    mergeDone: (target, report) => {
      logMerge(logger, target, report);
      events.mergeDone(target, report);
    },
    syncDone: (target, report) => {
      logSync(logger, target, report);
      events.syncDone(target, report);
    },
  };
}

function logMerge(logger: AppLogger, target: string, report: MergeReport): void {
  const base = { event: 'phase_end', target, phase: 'merge', status: report.status };
  if (report.status === 'skipped') {
    logger.info({ ...base, reason: report.reason }, `merge ${target}: skipped (${report.reason})`);
  } else if (report.status === 'failed') {
    logFailure(logger, base, report.durationMs, report.error);
  } else {
    logger.info(
      { ...base, secrets: report.secrets, duration_ms: report.durationMs },
      `merge ${target}: ok, ${report.secrets} secret(s) in ${report.durationMs}ms`,
    );
  }
}

function logSync(logger: AppLogger, target: string, report: SyncReport): void {
  const base = { event: 'phase_end', target, phase: 'sync', status: report.status };
  if (report.status === 'skipped') {
    logger.info({ ...base, reason: report.reason }, `sync ${target}: skipped (${report.reason})`);
    return;
  }
  const { added, modified, removed, unchanged } = report.counts;
  const fields = {
    ...base,
    account_id: report.accountId,
    added,
    modified,
    removed,
    unchanged,
    failed_secrets: report.failures.length,
    applied: report.applied,
  };
  if (report.status === 'failed') {
    logFailure(logger, fields, report.durationMs, report.error);
    return;
  }
  logger.info(
    { ...fields, duration_ms: report.durationMs },
    `sync ${target}: ok, ${added} added, ${modified} modified, ${removed} removed, ${unchanged} unchanged in ${report.durationMs}ms`,
  );
}

function logFailure(
  logger: AppLogger,
  fields: { readonly target: string; readonly phase: string },
  durationMs: number,
  error: Extract<MergeReport, { status: 'failed' }>['error'],
): void {
  logger.error(
    {
      ...fields,
      duration_ms: durationMs,
      code: error.code,
      fault: error.fault,
      outcome: error.outcome,
      failed_request_id: error.requestId,
      // The report annotates failed targets under GitHub Actions; the log line does not again.
      [REPORTED_FIELD]: true,
    },
    `${fields.phase} ${fields.target}: failed in ${durationMs}ms: ${error.message}`,
  );
}
