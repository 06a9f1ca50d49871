import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsClientFactory } from '../../src/clients/aws/client-factory.js';
import { SecretsManagerTarget } from '../../src/clients/aws/secrets-manager-target.js';
import type { SecretsManagerOptions } from '../../src/clients/aws/secrets-manager-target.js';
import type { Target } from '../../src/config/types.js';
import type { JsonObject } from '../../src/core/json.js';
import { MANAGED_BY_TAG, TARGET_TAG } from '../../src/core/sync-plan.js';
import { nextSyncRecord } from '../../src/core/next-sync-record.js';
import { applyPlan } from '../../src/pipeline/apply-plan.js';
import { planTarget } from '../../src/pipeline/plan-target.js';
import type { TargetPlan } from '../../src/pipeline/plan-target.js';
import type { SecretTarget } from '../../src/pipeline/ports.js';
import type { SyncRecord } from '../../src/core/sync-record.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { configFrom, counterValue, testRuntime } from '../support/runtime.js';

/** Applies a plan as the sync phase does, without interruption. */
function applyAll(port: SecretTarget, plan: TargetPlan) {
  return applyPlan(plan, port, {
    concurrency: OPTIONS.writeConcurrency,
    stopped: () => false,
    onApplied: () => undefined,
  });
}

let peer: AwsPeer;
beforeAll(async () => {
  peer = await startAwsPeer();
});
afterAll(async () => {
  await peer.close();
});
beforeEach(async () => {
  await peer.reset();
});

const OPTIONS: SecretsManagerOptions = {
  writeConcurrency: 8,
  // moto has no quota; the limiter itself is tested in account-write-limiter.test.ts.
  writesPerSecond: 1000,
  recoveryWindowDays: 7,
  forceDeleteWithoutRecovery: false,
};

function setup(options: { deleteOrphans?: boolean } = {}) {
  const config = configFrom(
    `
aws: {region: us-east-1, endpoint: '${peer.endpoint}'}
sources: {s: {vault: {mount: secret}}}
merge_store: {vault: {mount: merged}}
pipeline: {sync: {delete_orphans: ${String(options.deleteOrphans ?? false)}}}
targets:
  Stg: {account_id: '111111111111', imports: [s], secret_prefix: stg/, tags: {Env: stg}}
  Prod: {account_id: '222222222222', imports: [s], secret_prefix: prod/}
`,
    { VAULT_ADDR: 'http://127.0.0.1:1' },
  );
  const runtime = testRuntime(config);
  const factory = new AwsClientFactory(
    config.aws,
    { call: runtime.call, metrics: runtime.metrics },
    {},
  );
  const target = new SecretsManagerTarget(factory, OPTIONS);
  const targetOf = (name: string) => config.targets.get(name) as Target;
  /** A plain SDK client acting in an account through the same role session SecretSync uses. */
  const clientIn = (accountId: string) =>
    new SecretsManagerClient({
      endpoint: peer.endpoint,
      region: 'us-east-1',
      credentials: factory.sessions.providerFor(
        `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
      ),
    });
  const sync = async (name: string, bundle: Map<string, JsonObject>) => {
    const plan = await planTarget(targetOf(name), bundle, undefined, target);
    const outcome = await applyAll(target, plan);
    return { plan, outcome };
  };
  return { config, runtime, factory, target, targetOf, clientIn, sync };
}

async function namesIn(client: SecretsManagerClient): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListSecretsCommand({
        MaxResults: 100,
        IncludePlannedDeletion: true,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    names.push(...(page.SecretList ?? []).map((s) => s.Name ?? ''));
    token = page.NextToken;
  } while (token);
  return names.sort();
}

describe('Secrets Manager target', () => {
  it('writes each target into its own account through AssumeRole, nothing into the caller account', async () => {
    const { sync, clientIn } = setup();
    await sync('Stg', new Map([['db', { host: 'a' }]]));
    await sync(
      'Prod',
      new Map([
        ['db', { host: 'b' }],
        ['api', { k: 1 }],
      ]),
    );
    expect(await namesIn(clientIn('111111111111'))).toEqual(['stg/db']);
    expect(await namesIn(clientIn('222222222222'))).toEqual(['prod/api', 'prod/db']);
    const caller = new SecretsManagerClient({ endpoint: peer.endpoint, region: 'us-east-1' });
    expect(await namesIn(caller)).toEqual([]);
  });

  it('creates, updates, and leaves an unchanged secret without a new version', async () => {
    const { sync, clientIn } = setup();
    const first = await sync(
      'Stg',
      new Map<string, JsonObject>([
        ['db', { host: 'a', port: 1 }],
        ['same', { k: 'v' }],
      ]),
    );
    expect(first.outcome.applied.map((s) => [s.name, s.action])).toEqual([
      ['stg/db', 'create'],
      ['stg/same', 'create'],
    ]);
    const second = await sync(
      'Stg',
      new Map<string, JsonObject>([
        ['db', { port: 1, host: 'b', ssl: true }],
        ['same', { k: 'v' }],
      ]),
    );
    expect(second.plan.plan.secrets.map((s) => [s.name, s.action, s.keys])).toEqual([
      ['stg/db', 'update', { added: ['ssl'], removed: [], changed: ['host'] }],
      ['stg/same', 'unchanged', { added: [], removed: [], changed: [] }],
    ]);
    const versions = await clientIn('111111111111').send(
      new ListSecretVersionIdsCommand({ SecretId: 'stg/same' }),
    );
    expect(versions.Versions).toHaveLength(1);
    const described = await clientIn('111111111111').send(
      new DescribeSecretCommand({ SecretId: 'stg/db' }),
    );
    expect(Object.fromEntries((described.Tags ?? []).map((t) => [t.Key, t.Value]))).toMatchObject({
      [MANAGED_BY_TAG]: 'secretsync',
      [TARGET_TAG]: 'Stg',
      Env: 'stg',
    });
  });

  it('updates tags without writing a new value', async () => {
    const { sync, clientIn, config, factory } = setup();
    await sync('Stg', new Map([['db', { host: 'a' }]]));
    const retagged = new SecretsManagerTarget(factory, OPTIONS);
    const target = {
      ...(config.targets.get('Stg') as Target),
      tags: { Env: 'staging', Team: 'platform' },
    };
    const plan = await planTarget(target, new Map([['db', { host: 'a' }]]), undefined, retagged);
    expect(plan.plan.secrets.map((s) => [s.action, s.tags])).toEqual([
      ['tag', { set: { Env: 'staging', Team: 'platform' }, remove: [] }],
    ]);
    await applyAll(retagged, plan);
    const described = await clientIn('111111111111').send(
      new DescribeSecretCommand({ SecretId: 'stg/db' }),
    );
    expect(Object.fromEntries((described.Tags ?? []).map((t) => [t.Key, t.Value]))).toMatchObject({
      Env: 'staging',
      Team: 'platform',
    });
    expect(
      (await clientIn('111111111111').send(new ListSecretVersionIdsCommand({ SecretId: 'stg/db' })))
        .Versions,
    ).toHaveLength(1);
  });

  it('restores a secret pending deletion when it is desired again', async () => {
    const { sync, clientIn } = setup();
    await sync('Stg', new Map([['db', { host: 'a' }]]));
    await clientIn('111111111111').send(
      new DeleteSecretCommand({ SecretId: 'stg/db', RecoveryWindowInDays: 7 }),
    );
    const again = await sync('Stg', new Map([['db', { host: 'b' }]]));
    expect(again.outcome.applied.map((s) => s.action)).toEqual(['restore']);
    const described = await clientIn('111111111111').send(
      new DescribeSecretCommand({ SecretId: 'stg/db' }),
    );
    expect(described.DeletedDate).toBeUndefined();
  });

  it('deletes only its own tagged orphans under the prefix, with a recovery window', async () => {
    const { sync, clientIn } = setup({ deleteOrphans: true });
    await sync(
      'Stg',
      new Map([
        ['keep', { a: 1 }],
        ['orphan', { a: 1 }],
      ]),
    );
    await clientIn('111111111111').send(
      new CreateSecretCommand({ Name: 'stg/handmade', SecretString: '{}' }),
    );
    await clientIn('111111111111').send(
      new CreateSecretCommand({
        Name: 'other/x',
        SecretString: '{}',
        Tags: [
          { Key: MANAGED_BY_TAG, Value: 'secretsync' },
          { Key: TARGET_TAG, Value: 'Stg' },
        ],
      }),
    );
    const result = await sync('Stg', new Map([['keep', { a: 1 }]]));
    expect(result.outcome.applied.map((s) => [s.name, s.action])).toEqual([
      ['stg/orphan', 'delete'],
    ]);
    const orphan = await clientIn('111111111111').send(
      new DescribeSecretCommand({ SecretId: 'stg/orphan' }),
    );
    expect(orphan.DeletedDate).toBeInstanceOf(Date);
    const handmade = await clientIn('111111111111').send(
      new DescribeSecretCommand({ SecretId: 'stg/handmade' }),
    );
    expect(handmade.DeletedDate).toBeUndefined();
  });

  it('fails only the oversized or badly named secret; the rest are written', async () => {
    const { sync, clientIn } = setup();
    const result = await sync(
      'Stg',
      new Map<string, JsonObject>([
        ['ok', { a: 1 }],
        ['bad name!', { a: 1 }],
        ['huge', { blob: 'x'.repeat(66_000) }],
      ]),
    );
    expect(result.plan.plan.failures.map((f) => f.name)).toEqual(['stg/bad name!', 'stg/huge']);
    expect(await namesIn(clientIn('111111111111'))).toEqual(['stg/ok']);
  });

  it('refuses to overwrite a secret SecretSync did not create', async () => {
    const { sync, clientIn } = setup();
    await clientIn('111111111111').send(
      new CreateSecretCommand({ Name: 'stg/theirs', SecretString: '{"mine":true}' }),
    );
    const result = await sync('Stg', new Map([['theirs', { a: 1 }]]));
    expect(result.plan.plan.failures[0]?.reason).toContain('was not created by SecretSync');
    expect(result.outcome.applied).toEqual([]);
  });

  it('reads 2,500 secrets through every list page, and a second sync of 1,000 unchanged writes nothing', async () => {
    const { sync, runtime } = setup();
    const big = new Map<string, JsonObject>(
      Array.from({ length: 2500 }, (_, i) => [
        `app${i % 10}/secret-${i}`,
        { i, env: 'stg', nested: { n: i % 7 } },
      ]),
    );
    await sync('Stg', big);
    const before = await counterValue(runtime.metrics, 'secretsync_aws_requests_total', {
      operation: 'aws.list_secrets',
    });
    const again = setup();
    const replan = await planTarget(again.targetOf('Stg'), big, undefined, again.target);
    expect(replan.plan.secrets.filter((s) => s.action === 'unchanged')).toHaveLength(2500);
    expect(before).toBeGreaterThan(0);

    const fresh = setup();
    const thousand = new Map([...big].slice(0, 1000));
    await planTarget(fresh.targetOf('Prod'), thousand, undefined, fresh.target).then((plan) =>
      applyAll(fresh.target, plan),
    );
    const counted = setup();
    const second = await counted.sync('Prod', thousand);
    expect(second.outcome.applied).toEqual([]);
    const count = (operation: string) =>
      counterValue(counted.runtime.metrics, 'secretsync_aws_requests_total', {
        service: 'secretsmanager',
        operation,
      });
    const writes = await Promise.all(
      [
        'aws.create_secret',
        'aws.put_secret_value',
        'aws.tag_resource',
        'aws.delete_secret',
        'aws.update_secret',
      ].map(count),
    );
    expect(writes).toEqual([0, 0, 0, 0, 0]);
    expect(await count('aws.list_secrets')).toBeLessThanOrEqual(10);
    expect(await count('aws.batch_get_secret_value')).toBeLessThanOrEqual(50);
    process.stdout.write(
      `second sync of 1,000: ${await count('aws.list_secrets')} list + ${await count('aws.batch_get_secret_value')} batch reads, 0 writes\n`,
    );
  }, 180_000);
});

describe('Secrets Manager target with a sync record', () => {
  /** Syncs a bundle and returns the record the pipeline would store afterwards. */
  async function syncAndRecord(
    context: ReturnType<typeof setup>,
    name: string,
    bundle: Map<string, JsonObject>,
    record?: SyncRecord,
  ) {
    const plan = await planTarget(context.targetOf(name), bundle, record, context.target);
    const outcome = await applyAll(context.target, plan);
    const next = nextSyncRecord({
      accountId: plan.account.accountId,
      region: plan.target.region,
      planned: plan.plan.secrets,
      applied: new Set(outcome.applied.map((secret) => secret.name)),
      hashes: plan.plan.hashes,
      listed: plan.listed,
      written: outcome.written,
    });
    return { plan, outcome, record: next };
  }
  const batchReads = (context: ReturnType<typeof setup>) =>
    counterValue(context.runtime.metrics, 'secretsync_aws_requests_total', {
      service: 'secretsmanager',
      operation: 'aws.batch_get_secret_value',
    });
  const bundleOf = (count: number) =>
    new Map<string, JsonObject>(
      Array.from({ length: count }, (_, i) => [`svc${i % 3}/s${i}`, { i, pw: `value-${i}` }]),
    );

  it('plans a re-sync with list calls only, and still finds a value edited outside SecretSync', async () => {
    const bundle = bundleOf(45);
    const first = await syncAndRecord(setup(), 'Stg', bundle);
    expect(first.record.secrets.size).toBe(45);
    expect([...first.record.secrets.values()].every((s) => s.version !== undefined)).toBe(true);

    const noop = setup();
    const second = await syncAndRecord(noop, 'Stg', bundle, first.record);
    expect(await batchReads(noop)).toBe(0);
    expect(second.plan.plan.secrets.every((s) => s.action === 'unchanged')).toBe(true);
    // Same values and versions; the no-op also learns each secret's last-changed date.
    const strip = (record: SyncRecord) =>
      [...record.secrets].map(([name, { hash, version }]) => [name, hash, version]);
    expect(strip(second.record)).toEqual(strip(first.record));
    expect([...second.record.secrets.values()].every((s) => s.changed !== undefined)).toBe(true);

    // Someone edits a secret by hand: its version moves, so it is read and put back.
    const editor = setup().clientIn('111111111111');
    await editor.send(
      new PutSecretValueCommand({ SecretId: 'stg/svc1/s4', SecretString: '{"pw":"by-hand"}' }),
    );
    const afterEdit = setup();
    const third = await syncAndRecord(afterEdit, 'Stg', bundle, second.record);
    expect(await batchReads(afterEdit)).toBe(1);
    expect(
      third.plan.plan.secrets
        .filter((s) => s.action !== 'unchanged')
        .map((s) => [s.name, s.action]),
    ).toEqual([['stg/svc1/s4', 'update']]);
    const value = await editor.send(new GetSecretValueCommand({ SecretId: 'stg/svc1/s4' }));
    expect(JSON.parse(value.SecretString ?? '')).toEqual({ i: 4, pw: 'value-4' });
  });

  it('reads the values of secrets whose desired value changed, and of no other', async () => {
    const bundle = bundleOf(30);
    const first = await syncAndRecord(setup(), 'Stg', bundle);
    const changed = new Map(bundle).set('svc0/s0', { i: 0, pw: 'rotated' });
    const context = setup();
    const second = await syncAndRecord(context, 'Stg', changed, first.record);
    expect(await batchReads(context)).toBe(1);
    expect(second.outcome.applied.map((s) => s.name)).toEqual(['stg/svc0/s0']);
    expect(second.record.secrets.get('stg/svc0/s0')?.version).not.toBe(
      first.record.secrets.get('stg/svc0/s0')?.version,
    );
  });

  it('ignores a record made for another account, reading every value', async () => {
    const bundle = bundleOf(25);
    const first = await syncAndRecord(setup(), 'Stg', bundle);
    const context = setup();
    const moved: SyncRecord = { ...first.record, accountId: '999999999999' };
    const second = await syncAndRecord(context, 'Stg', bundle, moved);
    expect(await batchReads(context)).toBe(2);
    expect(second.plan.plan.secrets.every((s) => s.action === 'unchanged')).toBe(true);
  });
});
