import { spawn } from 'node:child_process';
import {
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Smaller under CI; the shape of the test is the same.
const SECRETS = process.env.CI === 'true' ? 150 : 400;
const KILLS = process.env.CI === 'true' ? 2 : 4;
const ACCOUNT = '111111111111';

let vault: VaultPeer;
let aws: AwsPeer;
let config: string;
let env: Record<string, string>;
const desired = new Map<string, string>();

beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await vault.mount('apps', 2);
  await vault.mount('merged', 2);
  const secrets: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < SECRETS; i++) {
    secrets[`svc${i % 9}/secret-${i}`] = { index: i, text: `value-${i}`.padEnd(200, '.') };
    desired.set(
      `crash/svc${i % 9}/secret-${i}`,
      JSON.stringify({ index: i, text: `value-${i}`.padEnd(200, '.') }),
    );
  }
  await vault.seed('apps', secrets);
  const dir = mkdtempSync(join(tmpdir(), 'secretsync-crash-'));
  config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    `vault: {address: '\${VAULT_ADDR}'}\nsources: {apps: {vault: {mount: apps}}}\nmerge_store: {vault: {mount: merged}}\ntargets:\n  Crash: {account_id: '${ACCOUNT}', imports: [apps], secret_prefix: crash/}\n`,
  );
  env = {
    ...(process.env as Record<string, string>),
    VAULT_ADDR: vault.address,
    VAULT_TOKEN: vault.rootToken,
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    SECRETSYNC_LOG_LEVEL: 'error',
  };
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

/** Starts the built CLI; resolves with its exit code and stdout. `signal` after `delayMs`. */
function run(
  args: string[],
  signal?: { name: NodeJS.Signals; delayMs?: number; when?: () => Promise<boolean> },
): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  const child = spawn(process.execPath, ['dist/src/main.js', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  if (signal?.delayMs !== undefined) setTimeout(() => child.kill(signal.name), signal.delayMs);
  const when = signal?.when;
  if (when !== undefined) {
    // Poll until the condition holds (e.g. the apply has begun), then send the signal.
    const poll = async (): Promise<void> => {
      if (child.exitCode !== null) return;
      if (await when()) child.kill(signal?.name);
      else setTimeout(() => void poll(), 50);
    };
    void poll();
  }
  return new Promise((resolve) =>
    child.on('close', (code, killedBy) => {
      resolve({ code, signal: killedBy, stdout });
    }),
  );
}

let cachedClient: SecretsManagerClient | undefined;

/** A Secrets Manager client inside the target account (AssumeRole, as SecretSync does). */
async function accountClient(): Promise<SecretsManagerClient> {
  if (cachedClient !== undefined) return cachedClient;
  const sts = new STSClient({
    endpoint: aws.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'verifier',
    }),
  );
  cachedClient = new SecretsManagerClient({
    endpoint: aws.endpoint,
    region: 'us-east-1',
    credentials: {
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
    },
  });
  return cachedClient;
}

async function accountSecrets(): Promise<Map<string, string>> {
  const client = await accountClient();
  const values = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListSecretsCommand({
        MaxResults: 100,
        IncludePlannedDeletion: true,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const entry of page.SecretList ?? [])
      values.set(
        entry.Name ?? '',
        (await client.send(new GetSecretValueCommand({ SecretId: entry.ARN }))).SecretString ?? '',
      );
    token = page.NextToken;
  } while (token);
  return values;
}

/** How many of the late secrets exist yet: one cheap ListSecrets call. */
async function lateSecretCount(): Promise<number> {
  const client = await accountClient();
  const page = await client.send(
    new ListSecretsCommand({ MaxResults: 5, Filters: [{ Key: 'name', Values: ['crash/late/'] }] }),
  );
  return page.SecretList?.length ?? 0;
}

function expectNoCorruption(values: Map<string, string>): void {
  for (const [name, value] of values)
    expect(JSON.parse(value), name).toEqual(JSON.parse(desired.get(name) ?? 'null'));
}

describe('crash safety', () => {
  it('SIGKILL at random points of a large apply, then a re-run converges with no duplicate or corrupted secret', async () => {
    for (let kill = 0; kill < KILLS; kill++) {
      const killed = await run(['pipeline', '-c', config], {
        name: 'SIGKILL',
        delayMs: 600 + Math.floor(Math.random() * 1_500),
      });
      expect(killed.signal === 'SIGKILL' || killed.code === 0).toBe(true);
      // Whatever landed before the kill is whole and correct.
      expectNoCorruption(await accountSecrets());
    }
    const converged = await run(['pipeline', '-c', config, '--exit-code', '-o', 'compact']);
    expect([0, 1]).toContain(converged.code);
    const final = await accountSecrets();
    expect([...final.keys()].sort()).toEqual([...desired.keys()].sort());
    expectNoCorruption(final);
    const again = await run(['pipeline', '-c', config, '--exit-code', '-o', 'compact']);
    expect(again.code).toBe(0);
  }, 180_000);

  it('SIGTERM ends cleanly: in-flight writes finish, nothing new starts, the report says so, exit non-zero', async () => {
    await vault.seed(
      'apps',
      Object.fromEntries([...Array(300).keys()].map((i) => [`late/secret-${i}`, { late: i }])),
    );
    for (let i = 0; i < 300; i++)
      desired.set(`crash/late/secret-${i}`, JSON.stringify({ late: i }));
    const applying = async () => (await lateSecretCount()) > 0;
    const stopped = await run(['pipeline', '-c', config], { name: 'SIGTERM', when: applying });
    const values = await accountSecrets();
    expectNoCorruption(values);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain('Interrupted: in-flight calls finished');
    // One summary line for the writes never started, not a line per unwritten secret.
    expect(stopped.stdout).not.toContain('not written');
    expect(
      stopped.stdout.match(/planned write\(s\) not started: the run was interrupted/g),
    ).toHaveLength(1);
    expect(values.size).toBeLessThan(desired.size);
    const converged = await run(['pipeline', '-c', config, '-o', 'compact']);
    expect(converged.code).toBe(0);
    expect((await accountSecrets()).size).toBe(desired.size);
  }, 120_000);
});
