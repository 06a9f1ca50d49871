import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { secretsClientIn } from '../support/account-secrets.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { peerEnv } from '../support/cli-run.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

/*
 * Overlapping runs, runs cut short and a password rotation between them, end to end: the built
 * CLI as separate processes against the Vault-compatible server (its fault delays order the runs
 * deterministically) and moto. After each case every secret of the account is read back and
 * compared with what Vault held: no state that never existed in Vault may reach AWS.
 */

const ACCOUNT = '111111111111';
const SECRETS = 20;

let vault: VaultPeer;
let aws: AwsPeer;
let client: SecretsManagerClient;
let config: string;
let env: Record<string, string>;
let round = 0;

beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  client = await secretsClientIn(aws.endpoint, ACCOUNT);
  env = { ...peerEnv(vault, aws.endpoint), SECRETSYNC_LOG_LEVEL: 'info' };
}, 60_000);
afterAll(async () => {
  client.destroy();
  await Promise.all([vault.close(), aws.close()]);
});

/** A fresh source, merge store and prefix per test, holding `password` in every secret. */
beforeEach(async () => {
  round += 1;
  await vault.mount(`apps${round}`, 2);
  await vault.mount(`merged${round}`, 2);
  await seed('old');
  const dir = mkdtempSync(join(tmpdir(), 'secretsync-lock-'));
  config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    `vault: {address: '\${VAULT_ADDR}'}\nsources: {apps: {vault: {mount: apps${round}}}}\nmerge_store: {vault: {mount: merged${round}}}\npipeline: {lock: {ttl: 30s}}\ntargets:\n  Prod: {account_id: '${ACCOUNT}', imports: [apps], secret_prefix: 'r${round}/'}\n`,
  );
});

function seed(password: string): Promise<void> {
  return vault.seed(
    `apps${round}`,
    Object.fromEntries(
      Array.from({ length: SECRETS }, (_, i) => [`app/s${i}`, { password, index: i }]),
    ),
  );
}

/** Holds back the next matching request(s) by `delayMs`, or fails them with 503. */
function fault(path: string, effect: { delay_ms: number } | { status: 503 }, count = 1) {
  return vault.control('POST', 'faults', { path, ...effect, count });
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the built CLI as its own process; resolves when it exits. */
function start(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['dist/src/main.js', 'pipeline', '-c', config, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    }),
  );
}

/** Every secret of this test's prefix in the account: name → password. */
async function passwords(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListSecretsCommand({
        Filters: [{ Key: 'name', Values: [`r${round}/`] }],
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    for (const secret of page.SecretList ?? []) {
      const value = await client.send(new GetSecretValueCommand({ SecretId: secret.ARN }));
      const parsed = JSON.parse(value.SecretString ?? '{}') as { password: string };
      found.set(secret.Name ?? '', parsed.password);
    }
    token = page.NextToken;
  } while (token !== undefined);
  return found;
}

/** True when every one of the SECRETS secrets holds `password`. */
async function allHold(password: string): Promise<boolean> {
  const found = await passwords();
  return found.size === SECRETS && [...found.values()].every((value) => value === password);
}

/** Resolves once the fault list no longer has the fault (it was applied). */
async function faultApplied(): Promise<void> {
  for (;;) {
    const { faults } = (await vault.control('GET', 'faults')) as { faults: unknown[] };
    if (faults.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('run lock and bundle generations, end to end', () => {
  it('two runs started at once: one does the work, the other refuses naming the holder; a third changes nothing', async ({
    skip,
  }) => {
    if (!vault.local) skip('needs fault delays, which only our Vault-compatible server has');
    // Whoever takes the lock first is held back 2 s reading the source, so the runs overlap.
    await fault(`^apps${round}/metadata/$`, { delay_ms: 2_000 });
    const [a, b] = await Promise.all([start(['-o', 'json']), start(['-o', 'json'])]);
    const runs = [a, b].sort((x, y) => (x.code ?? 9) - (y.code ?? 9));
    const [winner, loser] = runs as [Run, Run];
    expect(winner.code).toBe(0);
    expect(loser.code).toBe(1);
    const refused = JSON.parse(loser.stdout) as {
      targets: { merge: { status: string; error: { code: string; message: string } } }[];
    };
    const merge = refused.targets[0]?.merge;
    expect(merge?.status).toBe('failed');
    expect(merge?.error.code).toBe('lock_held');
    expect(merge?.error.message).toMatch(
      new RegExp(
        `^Prod is locked by another run: .*@.* \\(run [0-9a-f-]{36}, pid \\d+\\) holds it since .*Nothing was read or written for Prod.*remove vault merged${round}/\\.secretsync/Prod/lock`,
      ),
    );
    expect(await allHold('old')).toBe(true);
    const third = await start(['--exit-code', '-o', 'compact']);
    expect(third.code).toBe(0);
  }, 60_000);

  it('a run that planned before a rotation cannot roll it back: the later run waits for the lock and writes the new value', async ({
    skip,
  }) => {
    if (!vault.local) skip('needs fault delays, which only our Vault-compatible server has');
    // Run A reads "old", then its bundle write is held back 8 s while it holds the lock (long
    // enough for run B to start even on a loaded machine).
    await fault(`^merged${round}/data/Prod/app/s0$`, { delay_ms: 8_000 });
    const slow = start(['-o', 'compact']);
    await faultApplied();
    await seed('new');
    const late = await start(['-o', 'compact', '--lock-timeout', '60s']);
    const early = await slow;
    expect(early.code).toBe(0);
    expect(late.code).toBe(0);
    expect(late.stderr).toMatch(/waiting up to 60s for Prod: .* holds it since/);
    expect(await allHold('new')).toBe(true);
  }, 60_000);

  it('a merge cut short by Vault errors, then --sync-only: the last whole generation is synced, never a mix', async ({
    skip,
  }) => {
    if (!vault.local) skip('needs fault injection, which only our Vault-compatible server has');
    expect((await start(['-o', 'compact'])).code).toBe(0);
    await seed('new');
    // The merge store refuses one entry (every retry): the merge stops half-written.
    await fault(`^merged${round}/data/Prod/app/s7$`, { status: 503 }, 10);
    const cut = await start(['--merge-only', '-o', 'compact']);
    expect(cut.code).toBe(1);
    await vault.control('DELETE', 'faults');
    const synced = await start(['--sync-only', '-o', 'compact']);
    expect(synced.code).toBe(0);
    // All "old": the generation the cut-short merge did not replace.
    expect(await allHold('old')).toBe(true);
    // A whole run then brings every secret to "new".
    expect((await start(['-o', 'compact'])).code).toBe(0);
    expect(await allHold('new')).toBe(true);
  }, 60_000);

  it('a first merge cut short leaves no generation: --sync-only refuses, naming the target and the fix', async ({
    skip,
  }) => {
    if (!vault.local) skip('needs fault injection, which only our Vault-compatible server has');
    await fault(`^merged${round}/data/Prod/app/s7$`, { status: 503 }, 10);
    expect((await start(['--merge-only', '-o', 'compact'])).code).toBe(1);
    await vault.control('DELETE', 'faults');
    const refused = await start(['--sync-only', '-o', 'json']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'has entries but no bundle index: a merge was cut short before it stored its first generation',
    );
    expect(await passwords()).toEqual(new Map());
  }, 60_000);
});
