import type { PipelineReport } from '../pipeline/report.js';
import { countsOf, hasChanges, problemOf } from '../pipeline/report.js';
import { changeLine } from './human-report.js';
import type { RenderedReport } from './rendered-report.js';

/** GitHub Actions: groups and annotations on stdout, step outputs, and a Markdown summary. */
export function formatGithub(report: PipelineReport, diff: boolean): RenderedReport {
  const lines: string[] = [];
  for (const target of report.targets) {
    lines.push(`::group::${escapeData(`Target ${target.name}`)}`);
    const merge = target.merge;
    if (merge !== undefined)
      lines.push(`merge: ${merge.status}, ${merge.status === 'ok' ? merge.secrets : 0} secret(s)`);
    const sync = target.sync;
    if (sync !== undefined) {
      const { added, modified, removed, unchanged } = countsOf(sync);
      lines.push(
        `sync: ${sync.status}, ${added} added, ${modified} modified, ${removed} removed, ${unchanged} unchanged`,
      );
      if ((diff || report.dryRun) && sync.status !== 'skipped')
        lines.push(...sync.changes.map(changeLine));
    }
    lines.push('::endgroup::');
    for (const error of [
      merge?.status === 'failed' ? merge.error.message : undefined,
      problemOf(sync),
    ]) {
      if (error !== undefined && error !== '')
        lines.push(
          `::error title=${escapeProperty(`SecretSync ${target.name}`)}::${escapeData(error)}`,
        );
    }
    for (const failure of sync === undefined || sync.status === 'skipped' ? [] : sync.failures) {
      lines.push(
        `::error title=${escapeProperty(`SecretSync ${failure.name}`)}::${escapeData(failure.reason)}`,
      );
    }
  }
  const { totals } = report;
  const changes = totals.added + totals.modified + totals.removed;
  lines.push(
    `::notice title=SecretSync::${escapeData(`${report.dryRun ? 'dry run: ' : ''}${totals.added} added, ${totals.modified} modified, ${totals.removed} removed, ${totals.unchanged} unchanged`)}`,
  );
  return {
    stdout: `${lines.join('\n')}\n`,
    githubOutputs: {
      changes: String(changes),
      added: String(totals.added),
      removed: String(totals.removed),
      modified: String(totals.modified),
      unchanged: String(totals.unchanged),
      zero_sum: String(!hasChanges(report)),
    },
    githubSummary: summaryMarkdown(report),
  };
}

function summaryMarkdown(report: PipelineReport): string {
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
  ].join('\n');
}

/** Escapes a workflow-command message (`%`, CR, LF). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow-command property (also `:` and `,`). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
