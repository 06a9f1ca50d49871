import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PipelineReport } from '../pipeline/report.js';
import { totalsOf } from '../pipeline/report.js';
import { renderReport } from './report-format.js';
import type { ReportFormat } from './report-format.js';

const targets: PipelineReport['targets'] = [
  {
    name: 'Staging',
    region: 'us-east-1',
    merge: {
      status: 'ok',
      durationMs: 120,
      secrets: 3,
      store: { written: 1, removed: 0, unchanged: 2, generation: '4' },
    },
    sync: {
      status: 'ok',
      durationMs: 340,
      accountId: '111111111111',
      roleArn: 'arn:aws:iam::111111111111:role/OrganizationAccountAccessRole',
      counts: { added: 1, modified: 1, removed: 1, unchanged: 1 },
      changes: [
        {
          name: 'staging/api/keys',
          action: 'create',
          keys: { added: ['primary', 'secondary'], removed: [], changed: [] },
          tagsChanged: true,
        },
        {
          name: 'staging/config/database',
          action: 'update',
          keys: { added: ['ssl'], removed: [], changed: ['host'] },
          tagsChanged: false,
        },
        {
          name: 'staging/old',
          action: 'delete',
          keys: { added: [], removed: [], changed: [] },
          tagsChanged: false,
        },
      ],
      failures: [],
      applied: true,
    },
  },
  {
    name: 'Production',
    region: 'us-east-1',
    merge: {
      status: 'failed',
      durationMs: 15,
      error: {
        code: 'operation_failed',
        fault: 'dependency',
        outcome: 'access_denied',
        requestId: '1b2c',
        message:
          '[req=1b2c] failed to list secrets at path "analytics/metadata/" after 12ms (retries: 0): permission denied',
      },
    },
    sync: { status: 'skipped', reason: 'not synced: [req=1b2c] failed' },
  },
  {
    name: 'Demo',
    region: 'eu-west-1',
    merge: {
      status: 'ok',
      durationMs: 80,
      secrets: 2,
      store: { written: 0, removed: 0, unchanged: 2, generation: '4' },
    },
    sync: {
      status: 'failed',
      durationMs: 200,
      accountId: '444444444444',
      roleArn: undefined,
      counts: { added: 0, modified: 0, removed: 0, unchanged: 1 },
      changes: [],
      failures: [
        {
          name: 'demo/bad name',
          path: 'bad name',
          reason: '"demo/bad name" has characters Secrets Manager does not allow in names',
        },
      ],
      applied: true,
      error: {
        code: 'secrets_failed',
        fault: 'user',
        outcome: undefined,
        requestId: undefined,
        message: '1 secret(s) failed',
      },
    },
  },
];

const report: PipelineReport = {
  runId: '00000000-0000-4000-8000-000000000001',
  mode: 'full',
  dryRun: false,
  startedAt: '2026-11-29T04:00:00.000Z',
  durationMs: 1234,
  interrupted: false,
  targets,
  totals: totalsOf(targets),
};

/** Compares with test/fixtures/golden/<name>; UPDATE_GOLDEN=1 rewrites the files. */
function golden(name: string, actual: string): void {
  const path = `test/fixtures/golden/${name}`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('renderReport', () => {
  it.each(['human', 'json', 'github', 'compact'] as const satisfies readonly ReportFormat[])(
    '%s matches its golden file',
    (format) => {
      const rendered = renderReport(report, format, true);
      golden(`report.${format}.txt`, rendered.stdout);
    },
  );

  it('github writes the step outputs and a Markdown summary', () => {
    const rendered = renderReport(report, 'github', false);
    expect(rendered.githubOutputs).toEqual({
      changes: '3',
      added: '1',
      removed: '1',
      modified: '1',
      unchanged: '2',
      zero_sum: 'false',
    });
    golden('report.github-summary.md', rendered.githubSummary ?? '');
  });

  it('json keeps errors without a diff and omits per-secret changes', () => {
    const parsed = JSON.parse(renderReport(report, 'json', false).stdout) as {
      targets: { sync: Record<string, unknown> }[];
    };
    expect(parsed.targets[0]?.sync).not.toHaveProperty('changes');
    expect(parsed.targets[2]?.sync.failures).toEqual([
      {
        name: 'demo/bad name',
        error: '"demo/bad name" has characters Secrets Manager does not allow in names',
      },
    ]);
  });

  it('json carries each failed phase as a structured error and each skipped one with its reason', () => {
    const parsed = JSON.parse(renderReport(report, 'json', false).stdout) as {
      format: string;
      targets: { merge: Record<string, unknown>; sync: Record<string, unknown> }[];
    };
    expect(parsed.format).toBe('secretsync-report/v2');
    expect(parsed.targets[1]?.merge).toEqual({
      status: 'failed',
      duration_ms: 15,
      error: {
        code: 'operation_failed',
        fault: 'dependency',
        outcome: 'access_denied',
        request_id: '1b2c',
        message: expect.stringContaining('permission denied') as unknown,
      },
    });
    expect(parsed.targets[1]?.sync).toEqual({
      status: 'skipped',
      reason: 'not synced: [req=1b2c] failed',
    });
    expect(parsed.targets[2]?.sync.error).toMatchObject({ code: 'secrets_failed', fault: 'user' });
  });

  it('human shows the dry-run banner and a clear zero-change line', () => {
    const quiet: PipelineReport = { ...report, dryRun: true, targets: [], totals: totalsOf([]) };
    const text = renderReport(quiet, 'human', false).stdout;
    expect(text.startsWith('=== DRY RUN ===')).toBe(true);
    expect(text).toContain('No changes: every secret is already in step.');
  });
});
