import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsClientFactory } from '../../src/clients/aws/client-factory.js';
import { SecretsManagerTarget } from '../../src/clients/aws/secrets-manager-target.js';
import type { Target } from '../../src/config/types.js';
import { OperationError } from '../../src/context/operation-error.js';
import { startAwsFaultProxy } from '../faults/aws-fault-proxy.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { configFrom, counterValue, testRuntime } from '../support/runtime.js';
import { createExternalCaller } from '../../src/resilience/external-caller.js';
import { planTarget } from '../../src/pipeline/plan-target.js';
import { applyPlan } from '../../src/pipeline/apply-plan.js';
import { secretsClientIn } from '../support/account-secrets.js';
import { ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';

/*
 * The call wrapper installed as SDK middleware by the client factory: credential resolution
 * inside a call is its own classified operation, inner errors pass through with one request id,
 * and breakers are kept per service, account and region.
 */

let peer: AwsPeer;
let proxy: Awaited<ReturnType<typeof startAwsFaultProxy>>;
beforeAll(async () => {
  peer = await startAwsPeer();
  proxy = await startAwsFaultProxy(peer.endpoint);
});
afterAll(async () => {
  await proxy.close();
  await peer.close();
});
beforeEach(async () => {
  proxy.clear();
  await peer.reset();
});

function setup(options: { timeoutMs?: number } = {}) {
  const config = configFrom(
    `
aws: {region: us-east-1, endpoint: '${proxy.url}'}
sources: {s: {vault: {mount: secret}}}
merge_store: {vault: {mount: merged}}
circuit_breaker: {failure_threshold: 3}
targets:
  Stg: {account_id: '111111111111', imports: [s], secret_prefix: stg/}
  Prod: {account_id: '222222222222', imports: [s], secret_prefix: prod/}
`,
    { VAULT_ADDR: 'http://127.0.0.1:1' },
  );
  const runtime = testRuntime(config);
  const call =
    options.timeoutMs === undefined
      ? runtime.call
      : createExternalCaller({
          breaker: config.circuitBreaker,
          logger: runtime.logger,
          metrics: runtime.metrics,
          retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 100 },
          timeoutMs: options.timeoutMs,
        }).call;
  const factory = new AwsClientFactory(config.aws, { call, metrics: runtime.metrics }, {});
  const target = new SecretsManagerTarget(factory, {
    writeConcurrency: 4,
    writesPerSecond: 1000,
    recoveryWindowDays: 7,
    forceDeleteWithoutRecovery: false,
  });
  const targetOf = (name: string) => config.targets.get(name) as Target;
  return { runtime, factory, target, targetOf };
}

/** The rejection of a promise, which must reject with an OperationError. */
async function operationErrorOf(promise: Promise<unknown>): Promise<OperationError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(OperationError);
  return error as OperationError;
}

const requestIdPrefixes = (message: string) => message.match(/\[req=/g)?.length ?? 0;

describe('AWS calls through the SDK middleware', () => {
  it('reports a refused AssumeRole as that operation, once, with its own request id', async () => {
    const { target, targetOf, runtime } = setup();
    proxy.add({ action: 'AssumeRole', fault: 'denied', match: '111111111111' });
    const error = await operationErrorOf(target.list(targetOf('Stg')));
    expect(error.fields.operation).toBe('aws.assume_role');
    expect(error.fields.outcome).toBe('access_denied');
    expect(error.fault).toBe('dependency');
    expect(error.fields.path).toBe('arn:aws:iam::111111111111:role/OrganizationAccountAccessRole');
    expect(requestIdPrefixes(error.message)).toBe(1);
    expect(error.message).toContain('not authorized');
    // Denied is never retried, and ListSecrets never reached the service.
    expect(proxy.seen.get('AssumeRole')).toBe(1);
    expect(proxy.seen.get('ListSecrets')).toBeUndefined();
    // The outer ListSecrets call counts neither as a success nor as a failure of Secrets Manager.
    const breaker = runtime.breakers.forDependency('aws:secretsmanager:111111111111:us-east-1');
    expect(breaker?.state).toBe('closed');
    // The other account is reached as usual.
    await expect(target.list(targetOf('Prod'))).resolves.toMatchObject({
      account: { accountId: '222222222222' },
    });
  });

  it('opens the breaker of a throttled account only; the healthy account keeps working', async () => {
    const { target, targetOf, runtime } = setup();
    proxy.add({ action: 'ListSecrets', fault: 'throttle', match: 'stg/' });
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await operationErrorOf(target.list(targetOf('Stg')));
      expect(['throttled', 'circuit_open']).toContain(error.fields.outcome);
      expect(requestIdPrefixes(error.message)).toBe(1);
    }
    const throttled = runtime.breakers.forDependency('aws:secretsmanager:111111111111:us-east-1');
    const healthy = runtime.breakers.forDependency('aws:secretsmanager:222222222222:us-east-1');
    expect(throttled?.state).toBe('open');
    await expect(target.list(targetOf('Prod'))).resolves.toMatchObject({ secrets: [] });
    expect(healthy?.state).toBe('closed');
    const refused = await operationErrorOf(target.list(targetOf('Stg')));
    expect(refused.fields.outcome).toBe('circuit_open');
    expect(refused.message).toContain('aws:secretsmanager:111111111111:us-east-1');
  });

  it('reports a credential chain that finds nothing as aws.resolve_credentials, with the fix', async () => {
    const saved = { ...process.env };
    const empty = mkdtempSync(join(tmpdir(), 'secretsync-nocreds-'));
    writeFileSync(join(empty, 'config'), '');
    writeFileSync(join(empty, 'credentials'), '');
    for (const name of Object.keys(process.env))
      if (name.startsWith('AWS_') && name !== 'AWS_REGION')
        Reflect.deleteProperty(process.env, name);
    Object.assign(process.env, {
      AWS_CONFIG_FILE: join(empty, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(empty, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    try {
      const { factory, runtime } = setup();
      const error = await operationErrorOf(factory.callerIdentity());
      expect(error.fields.operation).toBe('aws.resolve_credentials');
      expect(error.fields.outcome).toBe('access_denied');
      expect(error.fault).toBe('dependency');
      expect(requestIdPrefixes(error.message)).toBe(1);
      expect(error.message).toContain('AWS_ACCESS_KEY_ID');
      expect(proxy.seen.get('GetCallerIdentity')).toBeUndefined();
      expect(
        await counterValue(runtime.metrics, 'secretsync_aws_requests_total', {
          operation: 'aws.resolve_credentials',
        }),
      ).toBe(1);
    } finally {
      for (const name of Object.keys(process.env))
        if (!(name in saved)) Reflect.deleteProperty(process.env, name);
      Object.assign(process.env, saved);
    }
  });

  it('labels each call with the service and operation of its SDK command', async () => {
    const { target, targetOf, runtime } = setup();
    const listing = await target.list(targetOf('Prod'));
    expect(listing.secrets).toEqual([]);
    expect(
      await counterValue(runtime.metrics, 'secretsync_aws_requests_total', {
        service: 'secretsmanager',
        operation: 'aws.list_secrets',
      }),
    ).toBe(1);
    expect(
      await counterValue(runtime.metrics, 'secretsync_aws_requests_total', {
        service: 'sts',
        operation: 'aws.assume_role',
      }),
    ).toBe(1);
  });

  it('retries a create and a put whose answers were lost as the same request: one secret, one version each', async () => {
    const { target, targetOf } = setup({ timeoutMs: 300 });
    const sync = async (value: Record<string, string>) => {
      const plan = await planTarget(targetOf('Prod'), new Map([['db', value]]), undefined, target);
      return applyPlan(plan, target, {
        concurrency: 1,
        stopped: () => false,
        onApplied: () => undefined,
      });
    };
    // AWS carries out the call at once; its answer arrives after the wrapper gave up on it.
    proxy.add({ action: 'CreateSecret', fault: 'late', delayMs: 800, times: 1 });
    const created = await sync({ password: 'one' });
    expect(created.failures).toEqual([]);
    expect(created.applied.map((secret) => secret.action)).toEqual(['create']);
    expect(proxy.seen.get('CreateSecret')).toBe(2);
    proxy.add({ action: 'PutSecretValue', fault: 'late', delayMs: 800, times: 1 });
    const updated = await sync({ password: 'two' });
    expect(updated.failures).toEqual([]);
    expect(proxy.seen.get('PutSecretValue')).toBe(2);
    const client = await secretsClientIn(peer.endpoint, '222222222222');
    const versions = await client.send(new ListSecretVersionIdsCommand({ SecretId: 'prod/db' }));
    expect(versions.Versions?.map((version) => version.VersionStages?.[0]).sort()).toEqual([
      'AWSCURRENT',
      'AWSPREVIOUS',
    ]);
  });
});
