import type { PipelineReport } from '../pipeline/report.js';

/**
 * The JSON report (stable, versioned shape; documented in docs/). Errors are messages; per-secret
 * changes appear only with `diff`. Never values.
 */
export function formatJson(report: PipelineReport, diff: boolean): string {
  const document = {
    format: 'secretsync-report/v1',
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
    },
    targets: report.targets.map((target) => ({
      name: target.name,
      region: target.region,
      merge:
        target.merge === undefined
          ? null
          : {
              status: target.merge.status,
              duration_ms: target.merge.durationMs,
              secrets: target.merge.secrets,
              store: target.merge.store ?? null,
              error: target.merge.error ?? null,
            },
      sync:
        target.sync === undefined
          ? null
          : {
              status: target.sync.status,
              duration_ms: target.sync.durationMs,
              account_id: target.sync.accountId ?? null,
              role_arn: target.sync.roleArn ?? null,
              applied: target.sync.applied,
              counts: target.sync.counts,
              ...(diff
                ? {
                    changes: target.sync.changes.map((c) => ({
                      name: c.name,
                      action: c.action,
                      keys_added: c.keys.added,
                      keys_removed: c.keys.removed,
                      keys_changed: c.keys.changed,
                      tags_changed: c.tagsChanged,
                    })),
                  }
                : {}),
              failures: target.sync.failures.map((f) => ({ name: f.name, error: f.reason })),
              error: target.sync.error ?? null,
            },
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
