import type { MergeReport, PipelineReport, SyncResult, TargetReport } from '../pipeline/report.js';
import { hasChanges, notStartedMessage, problemOf } from '../pipeline/report.js';
import type { Paint } from './colour.js';
import { painter } from './colour.js';
import { seconds } from './duration-text.js';
import { countsText } from './counts-text.js';
import { capLines, moreText, planLines } from './plan-lines.js';

/**
 * The report for people: banner, per-target outcome and plan (every changed secret, capped),
 * summary, zero-change line. `diff` adds key names; `colour` paints the plan.
 */
export function formatHuman(report: PipelineReport, diff: boolean, colour = false): string {
  const paint = painter(colour);
  const lines: string[] = [];
  if (report.dryRun)
    lines.push(
      paint('bold', '=== DRY RUN === nothing was written; this is what a real run would change'),
      '',
    );
  lines.push(`SecretSync ${report.mode} run ${report.runId} (${seconds(report.durationMs)})`, '');
  for (const target of report.targets) lines.push(...targetLines(target, diff, paint), '');
  const { totals } = report;
  lines.push(
    `Summary: ${countsText(totals, totals.keptOrphans, !report.dryRun)} across ${report.targets.length} target(s); ${totals.failedTargets} target(s) failed.`,
  );
  if (report.interrupted)
    lines.push('Interrupted: in-flight calls finished; targets marked "skipped" were not started.');
  const kept =
    totals.keptOrphans > 0
      ? ` ${totals.keptOrphans} orphan(s) kept in AWS: delete_orphans is off.`
      : '';
  if (!hasChanges(report) && totals.failedTargets === 0)
    lines.push(`No changes: every secret is already in step.${kept}`);
  else if (hasChanges(report))
    lines.push(
      `${totals.added + totals.modified + totals.removed} change(s) ${report.dryRun ? 'would be' : 'were'} made.${kept}`,
    );
  else if (kept !== '') lines.push(kept.trim());
  return `${lines.join('\n')}\n`;
}

function targetLines(target: TargetReport, diff: boolean, paint: Paint): string[] {
  const sync = target.sync;
  const account = sync === undefined || sync.status === 'skipped' ? undefined : sync.accountId;
  const lines = [
    `Target ${target.name}${account === undefined ? '' : ` (account ${account}, ${target.region})`}`,
  ];
  const merge = target.merge;
  if (merge !== undefined) lines.push(`  merge: ${mergeLine(merge)}`);
  if (sync === undefined) return lines;
  if (
    sync.status === 'skipped' ||
    (sync.status === 'failed' && sync.changes.length === 0 && sync.failures.length === 0)
  ) {
    lines.push(`  sync: ${sync.status}: ${problemOf(sync) ?? ''}`);
    return lines;
  }
  lines.push(
    `  sync: ${sync.status}, ${countsText(sync.counts, sync.keptOrphans.length, sync.applied)}`,
  );
  // A plan refused before apply (a guardrail) lists what it would have done, and why not.
  if (sync.status === 'failed' && sync.error.code !== 'secrets_failed')
    lines.push(`    ${paint('fail', `! not applied: ${sync.error.message}`)}`);
  return [...lines, ...planOf(sync, diff, paint)];
}

/** The target's plan lines, capped, then what an interrupt left undone. */
function planOf(sync: SyncResult, diff: boolean, paint: Paint): string[] {
  const { shown, more } = capLines(planLines(sync, diff));
  return [
    ...shown.map((line) => `    ${paint(line.tone, `${line.symbol} ${line.text}`)}`),
    ...(more > 0 ? [`    ${paint('quiet', moreText(more))}`] : []),
    ...(sync.notStarted > 0
      ? [`    ${paint('fail', `! ${notStartedMessage(sync.notStarted)}`)}`]
      : []),
  ];
}

function mergeLine(merge: MergeReport): string {
  if (merge.status !== 'ok') return `${merge.status}: ${problemOf(merge) ?? ''}`;
  const store =
    merge.store === undefined
      ? ''
      : ` — store: ${merge.store.written} written, ${merge.store.removed} removed, ${merge.store.unchanged} unchanged`;
  return `ok, ${merge.secrets} secret(s)${store}`;
}
