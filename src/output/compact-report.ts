import type { PipelineReport } from '../pipeline/report.js';
import { seconds } from './duration-text.js';
import { firstFailure } from './first-failure.js';

/** One line: the totals, the failures and the first cause, the duration, dry-run or not. */
export function formatCompact(report: PipelineReport): string {
  const { totals } = report;
  const flags = [report.dryRun ? 'dry-run' : '', report.interrupted ? 'interrupted' : ''].filter(
    Boolean,
  );
  const extra = flags.length > 0 ? `, ${flags.join(', ')}` : '';
  const kept = totals.keptOrphans > 0 ? `, ${totals.keptOrphans} orphans kept` : '';
  const first = firstFailure(report);
  const cause = first === undefined ? '' : `; first failure: ${first}`;
  return `secretsync: ${totals.added} added, ${totals.modified} modified, ${totals.removed} removed, ${totals.unchanged} unchanged${kept}, ${totals.failedTargets} failed targets (${report.targets.length} targets, ${seconds(report.durationMs)}${extra})${cause}\n`;
}
