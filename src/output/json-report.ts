import type { PhaseError, PipelineReport, SyncReport, TargetReport } from '../pipeline/report.js';

/** The version of the JSON report's shape (docs/reference/report.rst). */
export const JSON_REPORT_FORMAT = 'secretsync-report/v2';

/**
 * The JSON report (stable, versioned shape; docs/reference/errors.rst). Each phase is `ok`,
 * `failed` with a structured error, or `skipped` with a reason; every changed secret is listed
 * (never capped), with key names only with `diff`. Never values.
 */
export function formatJson(report: PipelineReport, diff: boolean): string {
  const document = {
    format: JSON_REPORT_FORMAT,
    run_id: report.runId,
    mode: report.mode,
    dry_run: report.dryRun,
    started_at: report.startedAt,
    duration_ms: report.durationMs,
    interrupted: report.interrupted,
    totals: {
      added: report.totals.added,
      modified: report.totals.modified,
      removed: report.totals.removed,
      unchanged: report.totals.unchanged,
      failed_targets: report.totals.failedTargets,
      failed_secrets: report.totals.failedSecrets,
      kept_orphans: report.totals.keptOrphans,
    },
    targets: report.targets.map((target) => ({
      name: target.name,
      region: target.region,
      merge: mergeOf(target),
      sync: target.sync === undefined ? null : syncOf(target.sync, diff),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function mergeOf(target: TargetReport) {
  const merge = target.merge;
  if (merge === undefined) return null;
  switch (merge.status) {
    case 'skipped':
      return { status: merge.status, reason: merge.reason };
    case 'failed':
      return { status: merge.status, duration_ms: merge.durationMs, error: errorOf(merge.error) };
    case 'ok':
      return {
        status: merge.status,
        duration_ms: merge.durationMs,
        secrets: merge.secrets,
        store: merge.store ?? null,
      };
  }
}

function syncOf(sync: SyncReport, diff: boolean) {
  if (sync.status === 'skipped') return { status: sync.status, reason: sync.reason };
  return {
    status: sync.status,
    ...(sync.status === 'failed' ? { error: errorOf(sync.error) } : {}),
    duration_ms: sync.durationMs,
    account_id: sync.accountId ?? null,
    role_arn: sync.roleArn ?? null,
    applied: sync.applied,
    counts: sync.counts,
    changes: sync.changes.map((c) => ({
      name: c.name,
      action: c.action,
      ...(diff
        ? {
            keys_added: c.keys.added,
            keys_removed: c.keys.removed,
            keys_changed: c.keys.changed,
            tags_changed: c.tagsChanged,
          }
        : {}),
    })),
    kept_orphans: sync.keptOrphans,
    not_started: sync.notStarted,
    failures: sync.failures.map((f) => ({ name: f.name, error: f.reason })),
  };
}

function errorOf(error: PhaseError) {
  return {
    code: error.code,
    fault: error.fault,
    outcome: error.outcome ?? null,
    request_id: error.requestId ?? null,
    message: error.message,
  };
}
