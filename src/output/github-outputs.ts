import type { PipelineReport } from '../pipeline/report.js';
import { hasChanges } from '../pipeline/report.js';

/**
 * The GitHub Actions step outputs, written on every run whatever the report format. Names are
 * kebab-case like the action's inputs; `zero_sum` stays as an alias of `zero-sum` so existing
 * workflows keep working (docs/github-action.rst).
 */
export function githubOutputsOf(report: PipelineReport): Readonly<Record<string, string>> {
  const { totals } = report;
  const zeroSum = String(!hasChanges(report));
  return {
    changes: String(totals.added + totals.modified + totals.removed),
    added: String(totals.added),
    removed: String(totals.removed),
    modified: String(totals.modified),
    unchanged: String(totals.unchanged),
    'kept-orphans': String(totals.keptOrphans),
    'failed-targets': String(totals.failedTargets),
    'zero-sum': zeroSum,
    zero_sum: zeroSum,
  };
}
