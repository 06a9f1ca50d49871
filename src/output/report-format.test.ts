import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DRY_RUN_REPORT, RUN_REPORT } from '../../test/support/report-cases.js';
import type { PipelineReport } from '../pipeline/report.js';
import { totalsOf } from '../pipeline/report.js';
import { renderReport, REPORT_FORMATS } from './report-format.js';

/**
 * Compares with test/fixtures/golden/<name>. To update on purpose, run
 * `UPDATE_GOLDEN=1 npx vitest run src/output/report-format.test.ts` and review every diff by eye.
 */
function golden(name: string, actual: string): void {
  const path = `test/fixtures/golden/${name}`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const CASES = [
  // The real run with --diff (key names), the dry run without.
  { name: 'run', report: RUN_REPORT, diff: true },
  { name: 'dry-run', report: DRY_RUN_REPORT, diff: false },
] as const;

const plain = { colour: false } as const;

describe('renderReport', () => {
  describe.each(CASES)('$name', ({ name, report, diff }) => {
    it.each(REPORT_FORMATS)('%s matches its golden file', (format) => {
      golden(
        `report.${name}.${format}.txt`,
        renderReport(report, format, { diff, ...plain }).stdout,
      );
    });

    it('the GitHub step summary matches its golden file, whatever the format', () => {
      for (const format of REPORT_FORMATS)
        golden(
          `report.${name}.github-summary.md`,
          renderReport(report, format, { diff, ...plain }).githubSummary,
        );
    });
  });

  it('writes the GitHub outputs in every format, kebab-case with the zero_sum alias', () => {
    for (const format of REPORT_FORMATS)
      expect(renderReport(RUN_REPORT, format, { diff: false, ...plain }).githubOutputs).toEqual({
        changes: '8',
        added: '5',
        removed: '1',
        modified: '2',
        unchanged: '263',
        'kept-orphans': '2',
        'failed-targets': '3',
        'zero-sum': 'false',
        zero_sum: 'false',
      });
  });

  it('json lists every change, past the cap, and key names only with --diff', () => {
    const parsed = JSON.parse(
      renderReport(DRY_RUN_REPORT, 'json', { diff: false, ...plain }).stdout,
    ) as { targets: { sync: { changes: Record<string, unknown>[] } }[] };
    const large = parsed.targets[2]?.sync.changes ?? [];
    expect(large).toHaveLength(40);
    expect(large[39]).toEqual({ name: 'large/s39', action: 'create' });
  });

  it('json carries each failed phase as a structured error and each skipped one with its reason', () => {
    const parsed = JSON.parse(
      renderReport(RUN_REPORT, 'json', { diff: false, ...plain }).stdout,
    ) as {
      format: string;
      targets: { merge: Record<string, unknown>; sync: Record<string, unknown> }[];
    };
    expect(parsed.format).toBe('secretsync-report/v2');
    expect(parsed.targets[2]?.merge).toMatchObject({
      status: 'failed',
      error: { code: 'operation_failed', outcome: 'access_denied', request_id: '1b2c' },
    });
    expect(parsed.targets[2]?.sync).toEqual({
      status: 'skipped',
      reason: 'not synced: its merge did not complete',
    });
    expect(parsed.targets[6]?.sync).toMatchObject({ not_started: 1242, failures: [] });
  });

  it('the human plan is coloured only when asked: green, yellow, red and dim', () => {
    const coloured = renderReport(DRY_RUN_REPORT, 'human', { diff: false, colour: true }).stdout;
    expect(coloured).toContain('\x1b[32m+ staging/api/keys\x1b[0m');
    expect(coloured).toContain('\x1b[33m~ staging/config/database\x1b[0m');
    expect(coloured).toContain('\x1b[31m- staging/old (orphan: would delete)\x1b[0m');
    expect(coloured).toContain('\x1b[2m= analytics/retired/a (orphan kept: delete_orphans is off)');
    const uncoloured = renderReport(DRY_RUN_REPORT, 'human', { diff: false, ...plain }).stdout;
    expect(uncoloured).not.toContain('\x1b[');
    for (const format of ['json', 'github', 'compact'] as const)
      expect(
        renderReport(DRY_RUN_REPORT, format, { diff: false, colour: true }).stdout,
      ).not.toContain('\x1b[');
  });

  it('human shows the dry-run banner and a clear zero-change line', () => {
    const quiet: PipelineReport = {
      ...DRY_RUN_REPORT,
      targets: [],
      totals: totalsOf([]),
    };
    const text = renderReport(quiet, 'human', { diff: false, ...plain }).stdout;
    expect(text.startsWith('=== DRY RUN ===')).toBe(true);
    expect(text).toContain('No changes: every secret is already in step.');
  });
});
