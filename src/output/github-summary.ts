import type { PipelineReport, TargetReport } from '../pipeline/report.js';
import { countsOf, ranSync } from '../pipeline/report.js';
import { capLines, moreText, planLines } from './plan-lines.js';

/**
 * The Markdown step summary: a table of targets with their counts, then each target's changed
 * secret names (capped, like the human report). Names only, never values.
 */
export function githubSummaryOf(report: PipelineReport): string {
  const rows = report.targets.map((target) => {
    const sync = target.sync;
    const synced = countsOf(sync);
    const counts =
      sync === undefined
        ? '| | | |'
        : `| ${synced.added} | ${synced.modified} | ${synced.removed} |`;
    const status =
      target.merge?.status === 'failed'
        ? 'merge failed'
        : (sync?.status ?? target.merge?.status ?? '');
    return `| ${target.name} | ${status} ${counts} ${sync === undefined ? '' : synced.unchanged} |`;
  });
  const title = `### SecretSync ${report.dryRun ? 'dry run' : 'run'} (${report.mode})`;
  return [
    title,
    '',
    '| Target | Status | Added | Modified | Removed | Unchanged |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...report.targets.flatMap(targetPlan),
  ].join('\n');
}

/** `#### <target>` and a list of its plan lines, when it has any. */
function targetPlan(target: TargetReport): string[] {
  const sync = ranSync(target);
  if (sync === undefined) return [];
  const { shown, more } = capLines(planLines(sync, false));
  if (shown.length === 0) return [];
  return [
    `#### ${target.name}`,
    '',
    ...shown.map((line) => `- \`${line.symbol}\` ${line.text}`),
    ...(more > 0 ? [`- ${moreText(more)}`] : []),
    '',
  ];
}
