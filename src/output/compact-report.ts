import type { PipelineReport } from '../pipeline/report.js';
import { seconds } from './duration-text.js';

/** One line: the totals, the failures, the duration, dry-run or not. */
export function formatCompact(report: PipelineReport): string {
  const { totals } = report;
  const flags = [report.dryRun ? 'dry-run' : '', report.interrupted ? 'interrupted' : ''].filter(
    Boolean,
  );
  const extra = flags.length > 0 ? `, ${flags.join(', ')}` : '';
  return `secretsync: ${totals.added} added, ${totals.modified} modified, ${totals.removed} removed, ${totals.unchanged} unchanged, ${totals.failedTargets} failed targets (${report.targets.length} targets, ${seconds(report.durationMs)}${extra})\n`;
}
