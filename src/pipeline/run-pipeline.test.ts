import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { MemoryMergeStore } from '../../test/fakes/merge-store/memory-merge-store.js';
import { memoryAws } from '../../test/support/memory-aws.js';
import { runOverFakes } from '../../test/support/pipeline-over-fakes.js';
import { configFrom } from '../../test/support/runtime.js';
import type { Config } from '../config/types.js';
import type { JsonObject } from '../core/json.js';
import type { PipelineReport } from './report.js';
import { NOT_SYNCED, problemOf } from './report.js';
import type { PipelineOptions } from './run-pipeline.js';

/*
 * The pipeline's branches over the real Secrets Manager adapter, client factory and call
 * middleware, with AWS (STS and Secrets Manager) and the merge store in memory (test/fakes/).
 */

const STG = '111111111111';
const PROD = '222222222222';
const OTHER = '333333333333';

const YAML = (extra = '') => `
aws: {region: us-east-1, endpoint: 'http://aws.fake'}
sources:
  common: {vault: {mount: secret, path: common}}
  extra: {vault: {mount: secret, path: extra}}
merge_store: {vault: {mount: merged}}
pipeline: {continue_on_error: true, sync: {delete_orphans: true}}
${extra}
targets:
  Staging: {account_id: '${STG}', imports: [common], secret_prefix: stg/, tags: {Env: stg}}
  Production: {account_id: '${PROD}', imports: [Staging, extra], secret_prefix: prod/}
  Other: {account_id: '${OTHER}', imports: [extra], secret_prefix: other/}
`;

type Sources = Record<string, Record<string, JsonObject>>;

const SOURCES: Sources = {
  common: { db: { host: 'db.internal', password: 'p1' }, api: { key: 'k1' } },
  extra: { queue: { url: 'amqp://q' } },
};

/** One pipeline run over the fakes; `state` carries AWS and the store over to the next run. */
function harness(yaml = YAML()) {
  const config = configFrom(yaml, { VAULT_ADDR: 'http://127.0.0.1:1' });
  const aws = memoryAws(config);
  const store = new MemoryMergeStore();
  const events: string[] = [];
  const run = (sources: Sources, options: Partial<PipelineOptions> & { stopAfter?: number } = {}) =>
    runOnce(config, aws.target, store, sources, events, options);
  return { config, aws, store, events, run };
}

function runOnce(
  config: Config,
  target: ReturnType<typeof memoryAws>['target'],
  store: MemoryMergeStore,
  sources: Sources,
  events: string[],
  options: Partial<PipelineOptions> & { stopAfter?: number },
): Promise<PipelineReport> {
  let applied = 0;
  const { stopAfter, ...pipelineOptions } = options;
  return runOverFakes(config, target, store, sources, {
    options: pipelineOptions,
    events: {
      phaseStarted: (phase) => events.push(`start ${phase}`),
      phaseFinished: (phase) => events.push(`finish ${phase}`),
      mergeDone: (name, report) => events.push(`merge ${name} ${report.status}`),
      syncDone: (name, report) => events.push(`sync ${name} ${report.status}`),
      secretApplied: () => {
        applied += 1;
      },
    },
    // Interrupted once `stopAfter` actions were applied (SIGTERM mid-run).
    interrupted: () => stopAfter !== undefined && applied >= stopAfter,
  });
}

/** The sync phase of a target that ran (ok or failed); the test fails when it did not. */
function ranSync(report: PipelineReport, name: string) {
  const sync = report.targets.find((target) => target.name === name)?.sync;
  if (sync === undefined || sync.status === 'skipped')
    throw new Error(`target ${name} was not synced: ${JSON.stringify(sync)}`);
  return sync;
}

/** Calls the fake received since the `from`-th one. */
const callsOf = (aws: ReturnType<typeof memoryAws>, from = 0) =>
  aws.secretsManager.calls.slice(from);

const writesOf = (aws: ReturnType<typeof memoryAws>, from = 0) =>
  callsOf(aws, from).filter(
    (call) => !['ListSecrets', 'BatchGetSecretValue', 'GetSecretValue'].includes(call.operation),
  );

const valueIn = async (aws: ReturnType<typeof memoryAws>, account: string, name: string) => {
  const value = await aws.clientIn(account).send(new GetSecretValueCommand({ SecretId: name }));
  return JSON.parse(value.SecretString ?? '') as unknown;
};

describe('runPipeline over the in-memory fakes', () => {
  it('merges level by level and writes every target into its own account', async () => {
    const { aws, store, events, run } = harness();
    const report = await run(SOURCES);
    expect(report.totals).toMatchObject({ added: 6, failedTargets: 0 });
    expect(await valueIn(aws, PROD, 'prod/db')).toEqual(SOURCES.common?.db);
    expect(await valueIn(aws, OTHER, 'other/queue')).toEqual(SOURCES.extra?.queue);
    expect([...(store.stored('Production')?.keys() ?? [])]).toEqual(['api', 'db', 'queue']);
    expect(events.slice(0, 1)).toEqual(['start merge']);
    expect(events.indexOf('merge Staging ok')).toBeLessThan(events.indexOf('merge Production ok'));
    expect(store.record('Staging')?.accountId).toBe(STG);
  });

  it('skips the descendants of a target whose merge failed, and writes nothing for them', async () => {
    const { aws, store, run } = harness(
      YAML().replace(
        '\n  Other:',
        `\n  Leaf: {account_id: '${PROD}', imports: [Production], secret_prefix: leaf/}\n  Other:`,
      ),
    );
    store.failNextWrite('Staging', new Error('Vault 503: merge store unavailable'));
    const report = await run(SOURCES);
    const byName = new Map(report.targets.map((target) => [target.name, target]));
    expect(byName.get('Staging')?.merge?.status).toBe('failed');
    expect(byName.get('Production')?.merge).toMatchObject({
      status: 'skipped',
      reason: 'not merged: it imports Staging, which failed',
    });
    // The failure is told once, on Staging's merge; the skipped phases only say they were skipped.
    expect(byName.get('Production')?.sync).toEqual({ status: 'skipped', reason: NOT_SYNCED });
    expect(byName.get('Leaf')?.merge).toMatchObject({
      status: 'skipped',
      reason: 'not merged: it imports Production, which was skipped',
    });
    expect(byName.get('Other')?.sync?.status).toBe('ok');
    const accountsWritten = new Set(writesOf(aws).map((call) => call.account));
    expect([...accountsWritten]).toEqual([OTHER]);
  });

  it('starts nothing new after the first failure when continue_on_error is false', async () => {
    const { aws, run } = harness(
      YAML().replace('continue_on_error: true', 'continue_on_error: false'),
    );
    const report = await run(
      { extra: SOURCES.extra ?? {} },
      { continueOnError: false, mergeParallel: 1, syncParallel: 1 },
    );
    const staging = report.targets.find((target) => target.name === 'Staging');
    expect(staging?.merge?.status).toBe('failed');
    expect(problemOf(staging?.merge)).toContain('source common is unreachable');
    for (const target of report.targets.filter((t) => t.name !== 'Staging')) {
      expect(target.sync?.status).toBe('skipped');
    }
    expect(writesOf(aws)).toEqual([]);
  });

  it('writes nothing in a dry run, and plans the same changes a real run then makes', async () => {
    const { aws, store, run } = harness();
    const dry = await run(SOURCES, { dryRun: true });
    expect(writesOf(aws)).toEqual([]);
    expect(store.stored('Staging')).toBeUndefined();
    expect(store.record('Staging')).toBeUndefined();
    const real = await run(SOURCES);
    expect(real.totals).toEqual(dry.totals);
    const names = ['Staging', 'Production', 'Other'];
    expect(names.map((name) => ranSync(real, name).changes)).toEqual(
      names.map((name) => ranSync(dry, name).changes),
    );
  });

  it('reports writes that never started after an interrupt, and records only what was written', async () => {
    const { aws, store, run } = harness();
    const many: Sources = {
      common: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`s${i}`, { i }])),
      extra: {},
    };
    const report = await run(many, { syncParallel: 1, stopAfter: 3 });
    expect(report.interrupted).toBe(true);
    const staging = ranSync(report, 'Staging');
    const created = writesOf(aws).filter(
      (call) => call.operation === 'CreateSecret' && call.account === STG,
    );
    // One count, not a failure per unwritten secret.
    expect(staging.failures).toEqual([]);
    expect(created.length + staging.notStarted).toBe(12);
    expect(created.length).toBeGreaterThan(0);
    expect(staging.notStarted).toBeGreaterThan(0);
    expect(staging).toMatchObject({
      status: 'failed',
      error: {
        code: 'secrets_failed',
        message: `${staging.notStarted} planned write(s) not started: the run was interrupted`,
      },
    });
    expect(store.record('Staging')?.secrets.size).toBe(created.length);
    // Levels sync in order (Other and Staging, then Production): Production never started.
    expect(report.targets.filter((t) => t.sync?.status === 'skipped').map((t) => t.name)).toEqual([
      'Production',
    ]);
  });

  it('plans a re-sync from the sync record with list calls only, and reads an edited secret', async () => {
    const { aws, run } = harness();
    await run(SOURCES);
    let from = aws.secretsManager.calls.length;
    const again = await run(SOURCES);
    expect(again.totals).toMatchObject({ added: 0, modified: 0, unchanged: 6 });
    expect(callsOf(aws, from).map((call) => call.operation)).toEqual(
      Array.from({ length: 3 }, () => 'ListSecrets'),
    );
    // Someone edits a value by hand: only that secret is read, and it is put back.
    await aws
      .clientIn(STG)
      .send(new PutSecretValueCommand({ SecretId: 'stg/db', SecretString: '{"host":"evil"}' }));
    from = aws.secretsManager.calls.length;
    const third = await run(SOURCES);
    const reads = callsOf(aws, from).filter((c) => c.operation === 'BatchGetSecretValue');
    expect(reads.map((call) => call.secretIds?.length)).toEqual([1]);
    expect(third.totals.modified).toBe(1);
    expect(await valueIn(aws, STG, 'stg/db')).toEqual(SOURCES.common?.db);
  });

  it('retags without writing a value when only the tags changed', async () => {
    const { aws, store, run } = harness();
    await run(SOURCES);
    const from = aws.secretsManager.calls.length;
    const retagged = configFrom(
      YAML().replace('tags: {Env: stg}', 'tags: {Env: staging, Team: platform}'),
      { VAULT_ADDR: 'http://127.0.0.1:1' },
    );
    const report = await runOnce(retagged, aws.target, store, SOURCES, [], {});
    expect(ranSync(report, 'Staging').changes).toEqual([
      expect.objectContaining({ name: 'stg/api', action: 'tag', tagsChanged: true }),
      expect.objectContaining({ name: 'stg/db', action: 'tag', tagsChanged: true }),
    ]);
    expect(writesOf(aws, from).map((call) => call.operation)).toEqual([
      'TagResource',
      'TagResource',
    ]);
    const described = await aws
      .clientIn(STG)
      .send(new DescribeSecretCommand({ SecretId: 'stg/db' }));
    expect(described.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'Env', Value: 'staging' },
        { Key: 'Team', Value: 'platform' },
      ]),
    );
  });

  it('restores an owned secret scheduled for deletion, and deletes an owned orphan', async () => {
    // `extra` empties on purpose here: allow it (an empty source is refused by default).
    const { aws, run } = harness(
      YAML().replace(
        'continue_on_error: true',
        'continue_on_error: true, allow_empty_sources: true',
      ),
    );
    await run(SOURCES);
    await aws
      .clientIn(STG)
      .send(new DeleteSecretCommand({ SecretId: 'stg/api', RecoveryWindowInDays: 7 }));
    await aws
      .clientIn(OTHER)
      .send(new CreateSecretCommand({ Name: 'other/mine', SecretString: '{}' }));
    const report = await run({ ...SOURCES, extra: {} });
    const actions = Object.fromEntries(
      report.targets.map((t) => [
        t.name,
        ranSync(report, t.name).changes.map((c) => `${c.action} ${c.name}`),
      ]),
    );
    expect(actions.Staging).toEqual(['restore stg/api']);
    expect(actions.Other).toEqual(['delete other/queue']);
    expect(await valueIn(aws, STG, 'stg/api')).toEqual(SOURCES.common?.api);
    // A secret SecretSync does not own is never deleted.
    expect(await valueIn(aws, OTHER, 'other/mine')).toEqual({});
  });

  it('fails one secret alone and the target, and keeps going with the others', async () => {
    const { aws, run } = harness();
    aws.secretsManager.failNext('CreateSecret', 'InvalidRequestException', { secretId: 'stg/db' });
    const report = await run(SOURCES);
    const staging = report.targets.find((target) => target.name === 'Staging');
    expect(staging?.sync?.status).toBe('failed');
    expect(ranSync(report, 'Staging').failures.map((f) => f.name)).toEqual(['stg/db']);
    expect(ranSync(report, 'Staging').failures[0]?.reason).toMatch(
      /\[req=[0-9a-f-]{36}\] failed to create secret at path "stg\/db"/,
    );
    expect(await valueIn(aws, STG, 'stg/api')).toEqual(SOURCES.common?.api);
    expect(report.targets.find((t) => t.name === 'Other')?.sync?.status).toBe('ok');
  });

  it('fails a sync-only run cleanly when the merge store has no bundle', async () => {
    const { aws, run } = harness();
    const report = await run(SOURCES, { mode: 'sync-only' });
    expect(report.targets.every((target) => target.merge === undefined)).toBe(true);
    expect(problemOf(report.targets[0]?.sync)).toContain('no merged bundle at memory:');
    expect(report.targets[0]?.sync).toMatchObject({
      status: 'failed',
      error: { code: 'state_invalid', fault: 'user' },
    });
    expect(writesOf(aws)).toEqual([]);
  });
});
