import type {
  MergeReport,
  PipelineReport,
  SecretChange,
  TargetReport,
} from '../pipeline/report.js';
import { hasChanges, problemOf } from '../pipeline/report.js';
import { seconds } from './duration-text.js';

const SYMBOLS = { create: '+', restore: '+', update: '~', tag: '~', delete: '-' } as const;

/** The report for people: banner, per-target outcome and changes, summary, zero-change line. */
export function formatHuman(report: PipelineReport, diff: boolean): string {
  const lines: string[] = [];
  if (report.dryRun)
    lines.push('=== DRY RUN === nothing was written; this is what a real run would change', '');
  lines.push(`SecretSync ${report.mode} run ${report.runId} (${seconds(report.durationMs)})`, '');
  for (const target of report.targets)
    lines.push(...targetLines(target, diff || report.dryRun), '');
  const { totals } = report;
  const verb = report.dryRun ? 'would be' : 'were';
  lines.push(
    `Summary: ${totals.added} added, ${totals.modified} modified, ${totals.removed} removed, ${totals.unchanged} unchanged across ${report.targets.length} target(s); ${totals.failedTargets} target(s) failed.`,
  );
  if (report.interrupted)
    lines.push('Interrupted: in-flight calls finished; targets marked "skipped" were not started.');
  if (!hasChanges(report) && totals.failedTargets === 0)
    lines.push(`No changes: every secret is already in step.`);
  else if (hasChanges(report))
    lines.push(`${totals.added + totals.modified + totals.removed} change(s) ${verb} made.`);
  return `${lines.join('\n')}\n`;
}

function targetLines(target: TargetReport, diff: boolean): string[] {
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
  const { added, modified, removed, unchanged } = sync.counts;
  lines.push(
    `  sync: ${sync.status}, ${added} added, ${modified} modified, ${removed} removed, ${unchanged} unchanged`,
  );
  // A plan refused before apply (a guardrail) lists what it would have done, and why not.
  if (sync.status === 'failed' && sync.error.code !== 'secrets_failed')
    lines.push(`    ! not applied: ${sync.error.message}`);
  if (diff || !sync.applied)
    lines.push(...sync.changes.map((change) => `    ${changeLine(change)}`));
  lines.push(...sync.failures.map((failure) => `    ! ${failure.name}: ${failure.reason}`));
  return lines;
}

function mergeLine(merge: MergeReport): string {
  if (merge.status !== 'ok') return `${merge.status}: ${problemOf(merge) ?? ''}`;
  const store =
    merge.store === undefined
      ? ''
      : ` — store: ${merge.store.written} written, ${merge.store.removed} removed, ${merge.store.unchanged} unchanged`;
  return `ok, ${merge.secrets} secret(s)${store}`;
}

/** `~ prod/db (changed: host; added: ssl)` — key names only. */
export function changeLine(change: SecretChange): string {
  const parts = [
    change.keys.added.length > 0 ? `added: ${change.keys.added.join(', ')}` : '',
    change.keys.changed.length > 0 ? `changed: ${change.keys.changed.join(', ')}` : '',
    change.keys.removed.length > 0 ? `removed: ${change.keys.removed.join(', ')}` : '',
    change.tagsChanged ? 'tags/metadata' : '',
    change.action === 'restore' ? 'restored from scheduled deletion' : '',
    change.action === 'delete' ? 'orphan deleted' : '',
  ].filter(Boolean);
  return `${SYMBOLS[change.action]} ${change.name}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}`;
}
