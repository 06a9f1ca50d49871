import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { VaultTokenSource } from '../../src/clients/vault/auth.js';
import { createVaultHttp } from '../../src/clients/vault/http.js';
import { KvClient } from '../../src/clients/vault/kv.js';
import { VaultConnections } from '../../src/clients/vault/vault-connections.js';
import { VaultSecretSource } from '../../src/clients/vault/vault-source.js';
import type { Source } from '../../src/config/types.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';
import { configFrom, counterValue, testRuntime } from '../support/runtime.js';

/*
 * Token lifetime against the Vault-compatible server: background renewal at two-thirds of the
 * TTL (fake timers for the schedule, the server's clock for expiry), a new login when renewal is
 * refused, a clear failure for a token that cannot last, and a real run longer than a short TTL.
 */

let peer: VaultPeer;
beforeAll(async () => {
  peer = await startVaultPeer();
  await peer.seed('secret', { 'app/db': { host: 'a' } });
});
afterAll(async () => {
  await peer.close();
});
afterEach(async () => {
  vi.useRealTimers();
  if (peer.local) await peer.control('DELETE', 'faults');
});

/** The server's clock, moved together with the fake timers and the token source's clock. */
async function serverClock() {
  let now = ((await peer.control('GET', 'clock')) as { now_ms: number }).now_ms;
  const advance = async (ms: number) => {
    now += ms;
    await peer.control('POST', 'clock', { advance_ms: ms });
    await vi.advanceTimersByTimeAsync(ms);
  };
  return { now: () => now, advance };
}

/**
 * Lets real I/O (a background request to the server) finish while timers are fake: waits until
 * `done` or `ms` of real time passed (short when the test expects nothing to happen).
 */
async function settle(done: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done()) && Date.now() < deadline) await nextTurn();
}

async function approle(role: string, ttl: string, maxTtl = '1h') {
  await peer.policy('reader', [{ path: 'secret/*', capabilities: ['read', 'list'] }]);
  await peer.control('POST', 'approle/roles', {
    role_name: role,
    role_id: `${role}-id`,
    secret_id: `${role}-secret`,
    policies: ['reader'],
    ttl,
    max_ttl: maxTtl,
  });
  return {
    method: 'approle',
    mount: 'approle',
    roleId: `${role}-id`,
    secretId: `${role}-secret`,
  } as const;
}

function calls(runtime: ReturnType<typeof testRuntime>, operation: string) {
  return counterValue(runtime.metrics, 'secretsync_vault_requests_total', { operation });
}

const ttlOf = async (token: string) =>
  (
    (await peer.api('GET', 'auth/token/lookup-self', undefined, token)).body as {
      data?: { ttl: number };
    }
  ).data?.ttl;

describe('Vault token lifetime', () => {
  it('renews in the background at two-thirds of the TTL, with no call needed, until closed', async ({
    skip,
  }) => {
    if (!peer.local) skip('needs server clock control, which only our Vault-compatible server has');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const runtime = testRuntime();
    const http = createVaultHttp({ address: peer.address }, runtime.call);
    const clock = await serverClock();
    const tokens = new VaultTokenSource(http, await approle('bg', '60s'), runtime.logger, {
      now: clock.now,
    });
    const token = await tokens.token();
    await clock.advance(39_000);
    await settle(async () => (await calls(runtime, 'vault.renew')) > 0, 300);
    expect(await calls(runtime, 'vault.renew')).toBe(0);
    await clock.advance(2_000);
    await settle(async () => (await calls(runtime, 'vault.renew')) > 0);
    expect(await calls(runtime, 'vault.renew')).toBe(1);
    expect(await ttlOf(token)).toBeGreaterThanOrEqual(59);
    // The next renewal is scheduled two-thirds into the new TTL; closing cancels it.
    tokens.close();
    await clock.advance(60_000);
    await settle(() => Promise.resolve(false), 300);
    expect(await calls(runtime, 'vault.renew')).toBe(1);
    expect(await tokens.token()).not.toBe(undefined);
    http.close();
  });

  it('logs a refused renewal and logs in again with AppRole', async ({ skip }) => {
    if (!peer.local) skip('needs server clock control, which only our Vault-compatible server has');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await peer.control('POST', 'faults', {
      path: 'auth/token/renew-self',
      status: 403,
      errors: ['permission denied'],
    });
    const runtime = testRuntime();
    const http = createVaultHttp({ address: peer.address }, runtime.call);
    const clock = await serverClock();
    const tokens = new VaultTokenSource(http, await approle('refused', '30s'), runtime.logger, {
      now: clock.now,
    });
    const first = await tokens.token();
    await clock.advance(21_000);
    await settle(async () => (await calls(runtime, 'vault.login')) > 1);
    expect(await calls(runtime, 'vault.login')).toBe(2);
    expect(runtime.logs.text()).toContain('Vault token renewal refused');
    const second = await tokens.token();
    expect(second).not.toBe(first);
    await clock.advance(15_000);
    // The first token has expired on the server; the new one still works.
    expect((await peer.api('GET', 'secret/data/app/db', undefined, second)).status).toBe(200);
    tokens.close();
    http.close();
  });

  it('fails a given token that cannot be renewed, once expired, saying so and what to do', async ({
    skip,
  }) => {
    if (!peer.local) skip('needs server clock control, which only our Vault-compatible server has');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const created = (await peer.control('POST', 'tokens', {
      policies: ['reader'],
      ttl: '30s',
      renewable: false,
    })) as { client_token: string };
    const runtime = testRuntime();
    const http = createVaultHttp({ address: peer.address }, runtime.call);
    const clock = await serverClock();
    const tokens = new VaultTokenSource(
      http,
      { method: 'token', token: created.client_token },
      runtime.logger,
      { now: clock.now },
    );
    await tokens.token();
    const expiry = new Date(clock.now() + 30_000).toISOString().slice(0, 16);
    await clock.advance(21_000);
    await settle(() => Promise.resolve(runtime.logs.text().includes('cannot be extended')));
    expect(runtime.logs.text()).toContain(
      'the Vault token cannot be extended (it is not renewable)',
    );
    expect(await tokens.token()).toBe(created.client_token);
    await clock.advance(10_000);
    await expect(tokens.token()).rejects.toThrow(
      new RegExp(
        `^the Vault token expired at ${expiry}.* and cannot be renewed \\(it is not renewable\\): give a token that lasts the whole run .*or use a login method \\(AppRole, Kubernetes, JWT or AWS IAM\\)`,
      ),
    );
    tokens.close();
    http.close();
  });

  it('does not suggest a policy fix when Vault says the token is invalid', async ({ skip }) => {
    // Vault 1.14 answers a revoked token with a bare "permission denied", the same as a policy
    // denial; later Vault versions add "invalid token", which is what this recognizes. Only our
    // server can be made to answer in that later form.
    if (!peer.local) skip('needs fault injection, which only our Vault-compatible server has');
    const runtime = testRuntime();
    const http = createVaultHttp({ address: peer.address }, runtime.call);
    const token = await peer.token(['default']);
    await peer.control('POST', 'faults', {
      path: 'secret/data/app/db',
      status: 403,
      errors: ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'],
      count: 1,
    });
    const kv = new KvClient(http, { path: 'secret/', version: 2 }, () => Promise.resolve(token));
    const refused = kv.read('app/db', 'grant read on secret/data/app/db in the policy');
    await expect(refused).rejects.toThrow(/expired or revoked\), so no policy change helps/);
    await expect(refused).rejects.not.toThrow(/grant read/);
    http.close();
  });

  it('keeps a renewable 2-second token alive over a run longer than its TTL (real time)', async () => {
    await peer.policy('reader', [{ path: 'secret/*', capabilities: ['read', 'list'] }]);
    const token = await peer.token(['default', 'reader'], { ttl: '2s', maxTtl: '1h' });
    const config = configFrom(
      `vault: {address: ${peer.address}}\nsources: {s: {vault: {mount: secret}}}\nmerge_store: {vault: {mount: merged}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n`,
      { VAULT_TOKEN: token },
    );
    const runtime = testRuntime(config);
    const connections = new VaultConnections(config.vault, runtime.call, runtime.logger);
    const source = new VaultSecretSource(connections, 4, runtime.logger, runtime.metrics);
    const read = () => source.readAll(config.sources.get('s') as Source);
    expect((await read()).get('app/db')).toEqual({ host: 'a' });
    // No Vault call for 3.5 s: only a background renewal keeps the token valid.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect((await read()).get('app/db')).toEqual({ host: 'a' });
    expect(await calls(runtime, 'vault.renew')).toBeGreaterThanOrEqual(1);
    connections.close();
  }, 10_000);
});
