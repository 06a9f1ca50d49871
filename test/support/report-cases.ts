import type { KeyChanges } from '../../src/core/diff.js';
import type {
  PipelineReport,
  SecretChange,
  SyncReport,
  TargetReport,
} from '../../src/pipeline/report.js';
import { NOT_SYNCED, totalsOf } from '../../src/pipeline/report.js';

/*
 * Report values for the golden tests of every format (test/fixtures/golden/): a real run and a
 * dry run that between them hold every case the report must tell apart.
 */

const NO_KEYS: KeyChanges = { added: [], removed: [], changed: [] };

function change(
  name: string,
  action: SecretChange['action'],
  keys: Partial<KeyChanges> = {},
  tagsChanged = false,
): SecretChange {
  return { name, action, keys: { ...NO_KEYS, ...keys }, tagsChanged };
}

const okMerge = (secrets: number): TargetReport['merge'] => ({
  status: 'ok',
  durationMs: 80,
  secrets,
  store: { written: 1, removed: 0, unchanged: secrets - 1, generation: '4' },
});

function synced(
  accountId: string,
  applied: boolean,
  rest: Partial<Extract<SyncReport, { status: 'ok' }>>,
): Extract<SyncReport, { status: 'ok' }> {
  return {
    status: 'ok',
    durationMs: 300,
    accountId,
    roleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
    counts: { added: 0, modified: 0, removed: 0, unchanged: 0 },
    changes: [],
    failures: [],
    keptOrphans: [],
    notStarted: 0,
    applied,
    ...rest,
  };
}

/** Staging's plan: each kind of change, an orphan deleted (or, in a dry run, to delete). */
const stagingChanges = [
  change('staging/api/keys', 'create', { added: ['primary', 'secondary'] }),
  change('staging/config/database', 'update', { added: ['ssl'], changed: ['host'] }, true),
  change('staging/config/flags', 'tag', {}, true),
  change('staging/config/queue', 'restore', { added: ['url'] }),
  change('staging/old', 'delete'),
];
const stagingCounts = { added: 2, modified: 2, removed: 1, unchanged: 3 };

/** Analytics holds orphans that delete_orphans (off) keeps. */
const analytics = (applied: boolean): TargetReport => ({
  name: 'Analytics',
  region: 'us-east-1',
  merge: applied ? okMerge(4) : { status: 'ok', durationMs: 80, secrets: 4, store: undefined },
  sync: synced('333333333333', applied, {
    counts: { added: 0, modified: 0, removed: 0, unchanged: 4 },
    keptOrphans: ['analytics/retired/a', 'analytics/retired/b'],
  }),
});

const runTargets: TargetReport[] = [
  {
    name: 'Staging',
    region: 'us-east-1',
    merge: okMerge(6),
    sync: synced('111111111111', true, { counts: stagingCounts, changes: stagingChanges }),
  },
  analytics(true),
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
    sync: { status: 'skipped', reason: NOT_SYNCED },
  },
  {
    name: 'Leaf',
    region: 'us-east-1',
    merge: { status: 'skipped', reason: 'not merged: it imports Production, which failed' },
    sync: { status: 'skipped', reason: NOT_SYNCED },
  },
  {
    name: 'Twig',
    region: 'us-east-1',
    merge: { status: 'skipped', reason: 'not merged: it imports Leaf, which was skipped' },
    sync: { status: 'skipped', reason: NOT_SYNCED },
  },
  {
    name: 'Demo',
    region: 'eu-west-1',
    merge: okMerge(2),
    sync: {
      ...synced('444444444444', true, {
        counts: { added: 0, modified: 0, removed: 0, unchanged: 1 },
        failures: [
          {
            name: 'demo/bad name',
            path: 'bad name',
            reason: '"demo/bad name" has characters Secrets Manager does not allow in names',
          },
        ],
      }),
      status: 'failed',
      error: {
        code: 'secrets_failed',
        fault: 'user',
        outcome: undefined,
        requestId: undefined,
        message: '1 secret(s) failed',
      },
    },
  },
  {
    name: 'Bulk',
    region: 'us-east-1',
    merge: okMerge(1500),
    sync: {
      ...synced('555555555555', true, {
        counts: { added: 3, modified: 0, removed: 0, unchanged: 255 },
        changes: ['bulk/s0000', 'bulk/s0001', 'bulk/s0002'].map((name) => change(name, 'create')),
        notStarted: 1242,
      }),
      status: 'failed',
      error: {
        code: 'secrets_failed',
        fault: 'dependency',
        outcome: undefined,
        requestId: undefined,
        message: '1242 planned write(s) not started: the run was interrupted',
      },
    },
  },
];

/** A real run: changes of each kind, orphans deleted and kept, a failed merge with skipped descendants, a failed secret, an interrupted target. */
export const RUN_REPORT: PipelineReport = {
  runId: '00000000-0000-4000-8000-000000000001',
  mode: 'full',
  dryRun: false,
  startedAt: '2026-11-29T04:00:00.000Z',
  durationMs: 1234,
  interrupted: true,
  targets: runTargets,
  totals: totalsOf(runTargets),
};

const dryTargets: TargetReport[] = [
  {
    name: 'Staging',
    region: 'us-east-1',
    merge: { status: 'ok', durationMs: 80, secrets: 6, store: undefined },
    sync: synced('111111111111', false, { counts: stagingCounts, changes: stagingChanges }),
  },
  analytics(false),
  {
    name: 'Large',
    region: 'us-east-1',
    merge: { status: 'ok', durationMs: 80, secrets: 40, store: undefined },
    sync: synced('666666666666', false, {
      counts: { added: 40, modified: 0, removed: 0, unchanged: 0 },
      changes: Array.from({ length: 40 }, (_, i) =>
        change(`large/s${String(i).padStart(2, '0')}`, 'create', { added: ['value'] }),
      ),
    }),
  },
];

/** A dry run: the conditional, an orphan to delete, orphans kept, a list over the cap. */
export const DRY_RUN_REPORT: PipelineReport = {
  ...RUN_REPORT,
  runId: '00000000-0000-4000-8000-000000000002',
  dryRun: true,
  interrupted: false,
  targets: dryTargets,
  totals: totalsOf(dryTargets),
};
