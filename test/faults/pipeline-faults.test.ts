import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedVault } from '../../dev/seed.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { runCliCaptured } from '../support/cli-run.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';
import { startAwsFaultProxy } from './aws-fault-proxy.js';

const VAULT_FAULTS_NEED_LOCAL =
  'Vault fault injection (seal, 429, 412, delay, reset) needs our Vault-compatible server';

const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];
const REQ3 =
  /\[req=[0-9a-f-]{36}\] failed to [a-z ]+ at path "[^"]+" after \d+ms \(retries: \d+\): /;

let vault: VaultPeer;
let aws: AwsPeer;
let proxy: Awaited<ReturnType<typeof startAwsFaultProxy>>;
let config: string;
let env: Record<string, string>;
const outcomes: string[] = [];

beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  proxy = await startAwsFaultProxy(aws.endpoint);
  await seedVault(vault.address, vault.rootToken);
  const dir = mkdtempSync(join(tmpdir(), 'secretsync-faults-'));
  config = join(dir, 'config.yaml');
  // Short request timeout so slow answers time out quickly; the rest is the example config.
  writeFileSync(
    config,
    readFileSync('examples/secretsync.yaml', 'utf8').replace(
      'continue_on_error: true',
      'continue_on_error: true\n  request_timeout: 400ms\n  max_attempts: 3',
    ),
  );
  env = {
    VAULT_ADDR: vault.address,
    VAULT_TOKEN: vault.rootToken,
    AWS_ENDPOINT_URL: proxy.url,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    SECRETSYNC_LOG_LEVEL: 'error',
  };
  // An unowned secret under a target prefix in every account: it must survive every fault.
  for (const account of ACCOUNTS)
    await (
      await client(account)
    ).send(
      new CreateSecretCommand({
        Name: `${prefixOf(account)}unowned`,
        SecretString: '{"keep":true}',
      }),
    );
}, 60_000);

afterAll(async () => {
  process.stdout.write(`\nfault outcomes:\n${outcomes.map((line) => `  ${line}`).join('\n')}\n`);
  await proxy.close();
  await Promise.all([vault.close(), aws.close()]);
});

function prefixOf(account: string): string {
  return (
    {
      '111111111111': 'staging/',
      '222222222222': 'production/',
      '333333333333': 'analytics/',
      '444444444444': 'demo/',
    }[account] ?? ''
  );
}

async function client(account: string): Promise<SecretsManagerClient> {
  const sts = new STSClient({ endpoint: aws.endpoint, region: 'us-east-1' });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'verifier',
    }),
  );
  return new SecretsManagerClient({
    endpoint: aws.endpoint,
    region: 'us-east-1',
    credentials: {
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
    },
  });
}

/** Every secret of every account, read directly from moto (not through the fault proxy). */
async function snapshot(): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const account of ACCOUNTS) {
    const sm = await client(account);
    const list = await sm.send(new ListSecretsCommand({ MaxResults: 100 }));
    for (const entry of list.SecretList ?? []) {
      const value = await sm.send(new GetSecretValueCommand({ SecretId: entry.ARN }));
      values.set(`${account}:${entry.Name ?? ''}`, value.SecretString ?? '');
    }
  }
  return values;
}

/** Every error message in a JSON report. */
function errorsOf(report: string): string[] {
  const parsed = JSON.parse(report) as {
    targets: {
      merge: { error?: { message: string }; reason?: string } | null;
      sync: { error?: { message: string }; reason?: string; failures?: { error: string }[] } | null;
    }[];
  };
  return parsed.targets
    .flatMap((t) => [
      t.merge?.error?.message ?? t.merge?.reason ?? '',
      t.sync?.error?.message ?? t.sync?.reason ?? '',
      ...(t.sync?.failures?.map((f) => f.error) ?? []),
    ])
    .filter((m) => m !== '');
}

/** Runs the faulted pipeline, then converges without faults, and checks nothing went wrong. */
async function faultScenario(
  name: string,
  arrange: () => unknown,
  expected: 'completed' | 'failed cleanly',
) {
  const before = await snapshot();
  await arrange();
  const faulted = await runCliCaptured(['pipeline', '-c', config, '-o', 'json'], env);
  proxy.clear();
  if (vault.local) {
    await vault.control('DELETE', 'faults');
    await vault.control('POST', 'state', { state: 'active' });
  }
  const after = await snapshot();
  const converge = await runCliCaptured(['pipeline', '-c', config, '-o', 'json'], env);
  const again = await runCliCaptured(
    ['pipeline', '-c', config, '--exit-code', '-o', 'compact'],
    env,
  );
  const final = await snapshot();
  const outcome = faulted.code === 0 ? 'completed' : 'failed cleanly';
  outcomes.push(`${name.padEnd(52)} ${outcome}`);
  expect(outcome).toBe(expected);
  expect(faulted.stderr).not.toMatch(/\n\s+at /);
  if (faulted.code !== 0)
    expect(errorsOf(faulted.stdout).some((message) => REQ3.test(message))).toBe(true);
  expect(converge.code).toBe(0);
  expect(again.code).toBe(0);
  // No partial or wrong value: after the faulted run each secret holds its old value or the final one.
  for (const [key, value] of after) expect([before.get(key), final.get(key)], key).toContain(value);
  // Nothing unowned deleted.
  for (const account of ACCOUNTS)
    expect(final.get(`${account}:${prefixOf(account)}unowned`)).toBe('{"keep":true}');
  return faulted;
}

describe('pipeline under injected faults', () => {
  it('AWS throttling on CreateSecret twice: completes after retries', async () => {
    await faultScenario(
      'AWS ThrottlingException x2 on CreateSecret',
      () => {
        proxy.add({ action: 'CreateSecret', fault: 'throttle', times: 2 });
      },
      'completed',
    );
  });

  it('AWS 500 on every PutSecretValue: fails cleanly with the requirement-3 error, then converges', async () => {
    const current = (await vault.api('GET', 'secret/data/common/api/keys')).body as {
      data: { data: Record<string, unknown> };
    };
    await vault.api('POST', 'secret/data/common/api/keys', {
      data: { ...current.data.data, rotated: 'v2' },
    });
    const faulted = await faultScenario(
      'AWS 500 on every PutSecretValue',
      () => {
        proxy.add({ action: 'PutSecretValue', fault: 'error500' });
      },
      'failed cleanly',
    );
    expect(
      errorsOf(faulted.stdout).some((m) => m.includes('failed to put secret value at path')),
    ).toBe(true);
  });

  it('AWS 503 on ListSecrets once: completes', async () => {
    await faultScenario(
      'AWS 503 once on ListSecrets',
      () => {
        proxy.add({ action: 'ListSecrets', fault: 'unavailable503', times: 1 });
      },
      'completed',
    );
  });

  it('AWS answer slower than the timeout on BatchGetSecretValue once: completes', async () => {
    await faultScenario(
      'AWS slow (> request_timeout) once on BatchGetSecretValue',
      () => {
        proxy.add({ action: 'BatchGetSecretValue', fault: 'slow', delayMs: 1_500, times: 1 });
      },
      'completed',
    );
  });

  it('connection resets on ListSecrets: completes', async () => {
    await faultScenario(
      'AWS connection reset x2 on ListSecrets',
      () => {
        proxy.add({ action: 'ListSecrets', fault: 'reset', times: 2 });
      },
      'completed',
    );
  });

  it('STS throttling on AssumeRole: completes', async () => {
    await faultScenario(
      'STS Throttling x2 on AssumeRole',
      () => {
        proxy.add({ action: 'AssumeRole', fault: 'throttle', times: 2 });
      },
      'completed',
    );
  });

  it('AWS gone for the whole run: every target fails cleanly after its retries; back again, it converges', async () => {
    const current = (await vault.api('GET', 'secret/data/common/api/keys')).body as {
      data: { data: Record<string, unknown> };
    };
    await vault.api('POST', 'secret/data/common/api/keys', {
      data: { ...current.data.data, rotated: 'v3' },
    });
    const faulted = await faultScenario(
      'AWS Secrets Manager down (every call reset)',
      () => {
        proxy.add({ action: 'ListSecrets', fault: 'reset' });
      },
      'failed cleanly',
    );
    // Each account has its own breaker (ADR 0006): three resets per target stay below the
    // threshold, so every target reports its own exhausted retries rather than an open circuit.
    const listFailures = errorsOf(faulted.stdout).filter((m) =>
      /failed to list secrets at path "[^"]+" after \d+ms \(retries: 2\)/.test(m),
    );
    expect(listFailures).toHaveLength(ACCOUNTS.length);
  });

  it('Vault sealed: fails cleanly, nothing synced', async ({ skip }) => {
    if (!vault.local) skip(VAULT_FAULTS_NEED_LOCAL);
    const faulted = await faultScenario(
      'Vault sealed (503 on every path)',
      () => vault.control('POST', 'state', { state: 'sealed' }),
      'failed cleanly',
    );
    expect(errorsOf(faulted.stdout).some((m) => m.includes('Vault is sealed'))).toBe(true);
  });

  it('Vault rate limit (429 + Retry-After) on LIST twice: completes', async ({ skip }) => {
    if (!vault.local) skip(VAULT_FAULTS_NEED_LOCAL);
    await faultScenario(
      'Vault 429 with Retry-After x2 on LIST',
      () =>
        vault.control('POST', 'faults', {
          path: 'metadata',
          method: 'LIST',
          status: 429,
          retry_after: 0,
          count: 2,
        }),
      'completed',
    );
  });

  it('Vault standby not yet consistent (412) on reads once: completes', async ({ skip }) => {
    if (!vault.local) skip(VAULT_FAULTS_NEED_LOCAL);
    await faultScenario(
      'Vault 412 once on a read',
      () =>
        vault.control('POST', 'faults', {
          path: 'secret/data/',
          method: 'GET',
          status: 412,
          count: 1,
        }),
      'completed',
    );
  });

  it('Vault slower than the timeout once: completes', async ({ skip }) => {
    if (!vault.local) skip(VAULT_FAULTS_NEED_LOCAL);
    await faultScenario(
      'Vault slow (> request_timeout) once',
      () => vault.control('POST', 'faults', { path: 'analytics/data/', delay_ms: 1_500, count: 1 }),
      'completed',
    );
  });

  it('Vault connection reset on reads: completes', async ({ skip }) => {
    if (!vault.local) skip(VAULT_FAULTS_NEED_LOCAL);
    await faultScenario(
      'Vault connection reset x2',
      () => vault.control('POST', 'faults', { path: 'secret/data/', reset: true, count: 2 }),
      'completed',
    );
  });

  it('leaves secrets it does not own alone even with delete_orphans on', async () => {
    const described = await (
      await client('111111111111')
    ).send(new DescribeSecretCommand({ SecretId: 'staging/unowned' }));
    expect(described.DeletedDate).toBeUndefined();
  });
});
