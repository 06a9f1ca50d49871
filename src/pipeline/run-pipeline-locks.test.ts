import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { MemoryLeaseStore } from '../../test/fakes/merge-store/memory-lease-store.js';
import { MemoryMergeStore } from '../../test/fakes/merge-store/memory-merge-store.js';
import { memoryAws } from '../../test/support/memory-aws.js';
import { runOverFakes } from '../../test/support/pipeline-over-fakes.js';
import type { TestSources } from '../../test/support/pipeline-over-fakes.js';
import { configFrom } from '../../test/support/runtime.js';
import type { Lease, SecretTarget } from './ports.js';
import type { PipelineMode } from './report.js';
import { RunLocks } from './run-locks.js';

/*
 * The run lock and the stale-plan check inside the pipeline, over the real Secrets Manager adapter
 * with AWS, the merge store and the leases in memory: a target the run cannot hold, or whose
 * bundle changed after planning, gets nothing written; every account is read back afterwards.
 */

const ACCOUNT = '111111111111';
const YAML = `
aws: {region: us-east-1, endpoint: 'http://aws.fake'}
sources: {app: {vault: {mount: secret, path: app}}}
merge_store: {vault: {mount: merged}}
targets:
  Base: {account_id: '${ACCOUNT}', imports: [app], secret_prefix: base/}
  Child: {account_id: '${ACCOUNT}', imports: [Base], secret_prefix: child/}
  Other: {account_id: '${ACCOUNT}', imports: [app], secret_prefix: other/}
`;
const SOURCES: TestSources = { app: { db: { password: 'one' }, api: { key: 'k' } } };

const held = (runId: string): Lease => ({
  holder: 'ci@runner-7',
  host: 'runner-7',
  pid: 4242,
  runId,
  startedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 600_000).toISOString(),
  released: false,
});

function harness() {
  const config = configFrom(YAML, { VAULT_ADDR: 'http://127.0.0.1:1' });
  const aws = memoryAws(config);
  const store = new MemoryMergeStore();
  const leases = new MemoryLeaseStore();
  const locksFor = (runId: string) =>
    new RunLocks({
      store: leases,
      owner: { runId, holder: 'me@host-a', host: 'host-a', pid: 1 },
      settings: { timeoutMs: 0, ttlMs: 120_000 },
      now: Date.now,
      sleep: () => Promise.resolve(),
      processAlive: () => true,
      notice: () => undefined,
    });
  const run = (
    options: { mode?: PipelineMode; dryRun?: boolean; target?: SecretTarget; runId?: string } = {},
  ) =>
    runOverFakes(config, options.target ?? aws.target, store, SOURCES, {
      options: {
        mode: options.mode ?? 'full',
        dryRun: options.dryRun ?? false,
        mergeParallel: 1,
        syncParallel: 1,
      },
      locks: locksFor(options.runId ?? 'run-me'),
    });
  /** Every secret name in the account, read back from it. */
  const names = async () => {
    const listed = await aws.clientIn(ACCOUNT).send(new ListSecretsCommand({}));
    return (listed.SecretList ?? []).map((secret) => secret.Name ?? '').sort();
  };
  return { config, aws, store, leases, run, names };
}

describe('the run lock in the pipeline', () => {
  it('fails a target another run holds before reading anything, skips what imports it, and goes on with the rest', async () => {
    const { store, leases, run, names } = harness();
    leases.seed('Base', held('run-other'));
    const report = await run();
    const byName = new Map(report.targets.map((t) => [t.name, t]));
    expect(byName.get('Base')?.merge).toMatchObject({
      status: 'failed',
      error: { code: 'lock_held', fault: 'user' },
    });
    expect(byName.get('Base')?.sync).toMatchObject({ status: 'skipped' });
    expect(byName.get('Child')?.merge).toMatchObject({
      status: 'skipped',
      reason: 'not merged: it imports Base, which failed',
    });
    expect(byName.get('Other')?.sync).toMatchObject({ status: 'ok' });
    expect(store.stored('Base')).toBeUndefined();
    expect(await names()).toEqual(['other/api', 'other/db']);
    // This run's leases are released; the other run's stays.
    expect(leases.stored('Other')).toMatchObject({ runId: 'run-me', released: true });
    expect(leases.stored('Child')).toMatchObject({ runId: 'run-me', released: true });
    expect(leases.stored('Base')).toMatchObject({ runId: 'run-other', released: false });
  });

  it('reports a held target of a --sync-only run on its sync', async () => {
    const { leases, run, names } = harness();
    await run({ mode: 'merge-only' });
    leases.seed('Other', held('run-other'));
    const report = await run({ mode: 'sync-only' });
    const other = report.targets.find((t) => t.name === 'Other');
    expect(other?.merge).toBeUndefined();
    expect(other?.sync).toMatchObject({ status: 'failed', error: { code: 'lock_held' } });
    expect(await names()).toEqual(['base/api', 'base/db', 'child/api', 'child/db']);
  });

  it('takes no lock in a dry run, and a held lock does not stop one', async () => {
    const { leases, run, names } = harness();
    leases.seed('Base', held('run-other'));
    const report = await run({ dryRun: true });
    expect(report.targets.every((t) => t.merge?.status === 'ok')).toBe(true);
    expect(leases.stored('Other')).toBeUndefined();
    expect(await names()).toEqual([]);
  });

  it('refuses a plan whose bundle changed between planning and apply, writing nothing for it', async () => {
    const { aws, store, run, names } = harness();
    // Another writer stores a new generation of Other's bundle while Other is being planned.
    const racing: SecretTarget = {
      list: async (target) => {
        const listing = await aws.target.list(target);
        if (target.name === 'Other') store.replace('Other', new Map([['db', { password: 'two' }]]));
        return listing;
      },
      readValues: (...args) => aws.target.readValues(...args),
      applyAction: (...args) => aws.target.applyAction(...args),
    };
    const report = await run({ target: racing });
    const other = report.targets.find((t) => t.name === 'Other');
    expect(other?.sync).toMatchObject({
      status: 'failed',
      applied: false,
      error: { code: 'stale_plan', fault: 'dependency' },
    });
    if (other?.sync?.status === 'failed')
      expect(other.sync.error.message).toMatch(
        /^the bundle of Other changed after this run planned it \(generation 1, now 2 at memory:Other\): the plan was not applied/,
      );
    expect(await names()).toEqual(['base/api', 'base/db', 'child/api', 'child/db']);
  });
});
