import type { PipelineReport, TargetReport } from '../pipeline/report.js';
import { notStartedMessage, problemOf, ranSync } from '../pipeline/report.js';
import { countsText } from './counts-text.js';
import { causeOf } from './first-failure.js';
import { capLines, moreText, planLines } from './plan-lines.js';

/**
 * GitHub Actions on stdout: a group per target with its plan (capped), one error annotation per
 * failed target and one per failed secret (capped), a warning naming each skipped target, and a
 * notice with the totals. Outputs and the step summary are written on every run (see publish).
 */
export function formatGithub(report: PipelineReport, diff: boolean): string {
  const lines: string[] = [];
  for (const target of report.targets) {
    lines.push(`::group::${escapeData(`Target ${target.name}`)}`, ...groupLines(target, diff));
    lines.push('::endgroup::', ...annotations(target));
  }
  const { totals } = report;
  lines.push(
    `::notice title=SecretSync::${escapeData(`${report.dryRun ? 'dry run: ' : ''}${countsText(totals, totals.keptOrphans, !report.dryRun)}`)}`,
  );
  return `${lines.join('\n')}\n`;
}

function groupLines(target: TargetReport, diff: boolean): string[] {
  const { merge, sync } = target;
  const lines: string[] = [];
  if (merge !== undefined)
    lines.push(`merge: ${merge.status}, ${merge.status === 'ok' ? merge.secrets : 0} secret(s)`);
  const ran = ranSync(target);
  if (sync !== undefined && ran === undefined) lines.push(`sync: ${sync.status}`);
  if (sync === undefined || ran === undefined) return lines;
  lines.push(
    `sync: ${sync.status}, ${countsText(ran.counts, ran.keptOrphans.length, ran.applied)}`,
  );
  const { shown, more } = capLines(planLines(ran, diff));
  lines.push(...shown.map((line) => `${line.symbol} ${line.text}`));
  if (more > 0) lines.push(moreText(more));
  if (ran.notStarted > 0) lines.push(`! ${notStartedMessage(ran.notStarted)}`);
  return lines;
}

/** The target's cause once (an error), each failed secret (capped), or why it was skipped. */
function annotations(target: TargetReport): string[] {
  const title = (name: string) => escapeProperty(`SecretSync ${name}`);
  const cause = causeOf(target);
  if (cause === undefined) {
    const skipped = problemOf(target.merge) ?? problemOf(target.sync);
    return skipped === undefined
      ? []
      : [`::warning title=${title(target.name)}::${escapeData(`skipped: ${skipped}`)}`];
  }
  const { shown } = capLines(ranSync(target)?.failures ?? []);
  return [
    `::error title=${title(target.name)}::${escapeData(cause)}`,
    ...shown.map(
      (failure) => `::error title=${title(failure.name)}::${escapeData(failure.reason)}`,
    ),
  ];
}

/** Escapes a workflow-command message (`%`, CR, LF). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow-command property (also `:` and `,`). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
