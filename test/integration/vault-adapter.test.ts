import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultTokenSource } from '../../src/clients/vault/auth.js';
import { createVaultHttp } from '../../src/clients/vault/http.js';
import { VaultConnections } from '../../src/clients/vault/vault-connections.js';
import { VaultMergeStore } from '../../src/clients/vault/vault-merge-store.js';
import { VaultSecretSource } from '../../src/clients/vault/vault-source.js';
import type { Source } from '../../src/config/types.js';
import { OperationError } from '../../src/context/operation-error.js';
import { serviceAccountJwt } from '../../dev/token-review/jwt.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';
import { configFrom, counterValue, testRuntime } from '../support/runtime.js';

let peer: VaultPeer;
beforeAll(async () => {
  peer = await startVaultPeer();
  await peer.mount('analytics', 2);
  await peer.mount('legacy', 1);
  await peer.mount('merged', 2);
  await peer.seed('secret', {
    'team/app/db': { host: 'a', port: 5432 },
    'team/app/api/keys': { primary: 'p1' },
    'team/other/x': { y: 1 },
    top: { level: 0 },
  });
  await peer.seed('analytics', {
    'warehouse/credentials': { user: 'w' },
    'dashboards/config': { theme: 'dark' },
  });
  await peer.api('POST', 'legacy/app/config', { mode: 'v1' });
});
afterAll(async () => {
  await peer.close();
});

function setup(extra = '', env: Record<string, string> = {}) {
  const config = configFrom(
    `vault: {address: ${peer.address}${extra}}\nsources: {s: {vault: {mount: secret}}}\nmerge_store: {vault: {mount: merged}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n`,
    { VAULT_TOKEN: peer.rootToken, ...env },
  );
  const runtime = testRuntime(config);
  const connections = new VaultConnections(config.vault, runtime.call, runtime.logger);
  const source = new VaultSecretSource(
    connections,
    config.vault.concurrency,
    runtime.logger,
    runtime.metrics,
  );
  return { config, runtime, connections, source };
}

function vaultSource(
  mount: string,
  path?: string,
  extra: Partial<Extract<Source, { kind: 'vault' }>> = {},
): Source {
  return {
    kind: 'vault',
    name: 'src',
    mount,
    path,
    include: [],
    address: undefined,
    namespace: undefined,
    maxTraversalDepth: 100,
    maxSecretsPerMount: 100_000,
    queueCompactionThreshold: 1000,
    allowEmpty: false,
    ...extra,
  };
}

describe('Vault source', () => {
  it('reads a bare KV v2 mount recursively as relative paths', async () => {
    const { source, connections } = setup();
    const bundle = await source.readAll(vaultSource('analytics'));
    expect([...bundle]).toEqual([
      ['dashboards/config', { theme: 'dark' }],
      ['warehouse/credentials', { user: 'w' }],
    ]);
    connections.close();
  });

  it('reads a sub-path given in mount or in path identically', async () => {
    const { source, connections } = setup();
    const viaMount = await source.readAll(vaultSource('secret/team/app'));
    const viaPath = await source.readAll(vaultSource('secret', 'team/app'));
    expect([...viaMount.keys()]).toEqual(['api/keys', 'db']);
    expect(viaPath).toEqual(viaMount);
    connections.close();
  });

  it('tells its progress listener of each secret read, and of nothing else', async () => {
    await peer.seed('secret', { 'counted/a': { x: 1 }, 'counted/b/c': { y: 2 } });
    const { source, connections } = setup();
    const counts: number[] = [];
    const bundle = await source.readAll(vaultSource('secret', 'counted'), (count) =>
      counts.push(count),
    );
    expect([...bundle.keys()]).toEqual(['a', 'b/c']);
    expect(counts).toEqual([1, 1]);
    connections.close();
  });

  it('reads KV v1 mounts', async () => {
    const { source, connections } = setup();
    expect([...(await source.readAll(vaultSource('legacy')))]).toEqual([
      ['app/config', { mode: 'v1' }],
    ]);
    connections.close();
  });

  it('applies include globs', async () => {
    const { source, connections } = setup();
    const bundle = await source.readAll(
      vaultSource('secret', undefined, { include: ['team/*/db', 'top'] }),
    );
    expect([...bundle.keys()]).toEqual(['team/app/db', 'top']);
    connections.close();
  });

  it('treats a soft-deleted latest version as absent, not an error', async () => {
    await peer.seed('secret', { 'gone/one': { a: 1 }, 'gone/two': { b: 2 } });
    expect((await peer.api('DELETE', 'secret/data/gone/one')).status).toBe(204);
    const { source, connections } = setup();
    expect([...(await source.readAll(vaultSource('secret', 'gone'))).keys()]).toEqual(['two']);
    connections.close();
  });

  it('fails loudly on 403, naming the path and the policy to grant', async () => {
    await peer.policy('partial', [
      { path: 'sys/internal/ui/mounts/*', capabilities: ['read'] },
      { path: 'secret/metadata/*', capabilities: ['list'] },
      { path: 'secret/data/team/other/*', capabilities: ['read'] },
    ]);
    const token = await peer.token(['partial']);
    const { connections } = setup('', { VAULT_TOKEN: token });
    const config = configFrom(
      `vault: {address: ${peer.address}}\nsources: {s: {vault: {mount: secret}}}\nmerge_store: {vault: {mount: merged}}\ntargets: {T: [s]}\n`,
      { VAULT_TOKEN: token },
    );
    const runtime = testRuntime(config);
    const limited = new VaultSecretSource(
      new VaultConnections(config.vault, runtime.call, runtime.logger),
      4,
      runtime.logger,
      runtime.metrics,
    );
    const error = await limited
      .readAll(vaultSource('secret', 'team'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OperationError);
    expect((error as OperationError).message).toMatch(
      /failed to read secret at path "secret\/data\/team\/app\/(api\/keys|db)" after \d+ms \(retries: 0\): permission denied.*\(the token's policy must grant "read" on secret\/data\/team\/app\//,
    );
    connections.close();
  });

  it('walks a 6-level tree of 5,000 secrets with one request per folder and secret', async () => {
    const secrets: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < 5000; i++)
      secrets[`l1-${i % 5}/l2-${i % 7}/l3-${i % 3}/l4-${i % 2}/l5-${i % 4}/s${i}`] = {
        i,
        tag: `t${i % 10}`,
      };
    await peer.mount('big', 2);
    await peer.seed('big', secrets);
    const { source, connections, runtime } = setup();
    const started = Date.now();
    const bundle = await source.readAll(vaultSource('big'));
    const ms = Date.now() - started;
    expect(bundle.size).toBe(5000);
    expect(bundle.get('l1-0/l2-0/l3-0/l4-0/l5-0/s0')).toEqual({ i: 0, tag: 't0' });
    const folders = new Set(
      Object.keys(secrets).flatMap((path) =>
        path
          .split('/')
          .slice(0, -1)
          .map((_, i, all) => all.slice(0, i + 1).join('/')),
      ),
    );
    const lists = await counterValue(runtime.metrics, 'secretsync_vault_requests_total', {
      operation: 'vault.list',
    });
    const reads = await counterValue(runtime.metrics, 'secretsync_vault_requests_total', {
      operation: 'vault.read',
    });
    expect(lists).toBe(folders.size + 1);
    expect(reads).toBe(5000);
    process.stdout.write(`walk+read of 5,000 secrets: ${ms} ms, ${lists} LIST + ${reads} reads\n`);
    connections.close();
  });
});

describe('Vault namespaces', () => {
  it('reads a source in a namespace (X-Vault-Namespace)', async ({ skip }) => {
    // Namespaces are a Vault Enterprise (and OpenBao 2.3+) feature; Vault 1.14 OSS answers 404.
    if (!peer.local) skip('namespaces need Vault Enterprise; the real peer is Vault 1.14 OSS');
    await peer.control('POST', 'namespaces', { path: 'team' });
    await peer.control('POST', 'mounts', { path: 'kv', version: 2, namespace: 'team' });
    await peer.control('POST', 'secrets', {
      mount: 'kv',
      namespace: 'team',
      secrets: { 'app/db': { ns: 'team' } },
    });
    const { source, connections } = setup();
    const bundle = await source.readAll(vaultSource('kv', undefined, { namespace: 'team' }));
    expect([...bundle]).toEqual([['app/db', { ns: 'team' }]]);
    // The same mount name does not exist in the root namespace.
    await expect(source.readAll(vaultSource('kv'))).rejects.toThrow(
      /failed to look up mount at path "sys\/internal\/ui\/mounts\/kv"/,
    );
    connections.close();
  });
});

describe('Vault merge store', () => {
  it('writes only what changed, removes what left, and reads the bundle back', async () => {
    const { config, runtime, connections } = setup();
    const store = new VaultMergeStore(connections, 'merged', config.vault, runtime.logger);
    expect(await store.readBundle('Prod')).toBeUndefined();
    const first = new Map([
      ['db', { host: 'a' }],
      ['api/keys', { k: 1 }],
      ['old', { x: 1 }],
    ]);
    expect(await store.writeBundle('Prod', first)).toEqual({
      written: 3,
      removed: 0,
      unchanged: 0,
      generation: '1',
    });
    const second = new Map([
      ['db', { host: 'b' }],
      ['api/keys', { k: 1 }],
    ]);
    expect(await store.writeBundle('Prod', second)).toEqual({
      written: 1,
      removed: 1,
      unchanged: 1,
      generation: '2',
    });
    expect([...((await store.readBundle('Prod'))?.entries ?? [])]).toEqual([
      ['api/keys', { k: 1 }],
      ['db', { host: 'b' }],
    ]);
    expect(store.locate('Prod')).toBe('vault merged/Prod/');
    connections.close();
  });
});

describe('Vault auth', () => {
  it('logs in with AppRole and reads with the token it got', async () => {
    await peer.policy('reader', [{ path: 'secret/*', capabilities: ['read', 'list'] }]);
    await peer.approleRole({
      name: 'login-only',
      roleId: 'role-login',
      secretId: 'secret-login',
      policies: ['reader'],
      ttl: '60s',
    });
    const { runtime } = setup();
    const http = createVaultHttp({ address: peer.address }, runtime.call);
    const tokens = new VaultTokenSource(
      http,
      { method: 'approle', mount: 'approle', roleId: 'role-login', secretId: 'secret-login' },
      runtime.logger,
    );
    const token = await tokens.token();
    expect(token).toMatch(/^hvs\./);
    expect((await peer.api('GET', 'secret/data/top', undefined, token)).status).toBe(200);
    expect(
      (await peer.api('GET', 'analytics/data/warehouse/credentials', undefined, token)).status,
    ).toBe(403);
    http.close();
  });

  it('logs in with AppRole, renews before the TTL runs out, and logs in again at max TTL', async ({
    skip,
  }) => {
    if (!peer.local) skip('needs clock control, which only our Vault-compatible server has');
    await peer.policy('reader', [{ path: 'secret/*', capabilities: ['read', 'list'] }]);
    await peer.approleRole({
      name: 'sync',
      roleId: 'role-1',
      secretId: 'secret-1',
      policies: ['reader'],
      ttl: '60s',
      maxTtl: '100s',
    });
    const { runtime } = setup();
    const http = createVaultHttp({ address: peer.address }, runtime.call);
    let now = ((await peer.control('GET', 'clock')) as { now_ms: number }).now_ms;
    const advance = async (ms: number) => {
      now += ms;
      await peer.control('POST', 'clock', { advance_ms: ms });
    };
    const tokens = new VaultTokenSource(
      http,
      { method: 'approle', mount: 'approle', roleId: 'role-1', secretId: 'secret-1' },
      runtime.logger,
      () => now,
    );
    const first = await tokens.token();
    await advance(45_000);
    expect(await tokens.token()).toBe(first);
    expect(
      await counterValue(runtime.metrics, 'secretsync_vault_requests_total', {
        operation: 'vault.renew',
      }),
    ).toBe(1);
    await advance(40_000);
    const second = await tokens.token();
    expect(second).not.toBe(first);
    expect(
      await counterValue(runtime.metrics, 'secretsync_vault_requests_total', {
        operation: 'vault.login',
      }),
    ).toBe(2);
    http.close();
  });

  it('logs in with Kubernetes auth from the service-account token file', async () => {
    await peer.policy('reader', [{ path: 'secret/*', capabilities: ['read', 'list'] }]);
    const jwt = await peer.kubernetesRole({ role: 'sync', policies: ['reader'], ttl: '60s' });
    const dir = mkdtempSync(join(tmpdir(), 'secretsync-k8s-'));
    const tokenPath = join(dir, 'token');
    writeFileSync(tokenPath, `${jwt}\n`);
    const { runtime } = setup();
    const http = createVaultHttp({ address: peer.address }, runtime.call);
    const tokens = new VaultTokenSource(
      http,
      { method: 'kubernetes', role: 'sync', mount: 'kubernetes', tokenPath },
      runtime.logger,
    );
    const token = await tokens.token();
    expect(token).toMatch(/^hvs\./);
    expect((await peer.api('GET', 'secret/data/top', undefined, token)).status).toBe(200);
    const missing = new VaultTokenSource(
      http,
      { method: 'kubernetes', role: 'sync', mount: 'kubernetes', tokenPath: join(dir, 'absent') },
      runtime.logger,
    );
    await expect(missing.token()).rejects.toThrow(
      `Kubernetes auth needs the token file ${join(dir, 'absent')}: ENOENT; set vault.auth.kubernetes.token_path`,
    );
    // Well-formed, for the bound service account, but the cluster no longer accepts it.
    writeFileSync(
      tokenPath,
      serviceAccountJwt({ namespace: 'default', name: 'secretsync', uid: 'uid-deleted' }),
    );
    const refused = new VaultTokenSource(
      http,
      { method: 'kubernetes', role: 'sync', mount: 'kubernetes', tokenPath },
      runtime.logger,
    );
    await expect(refused.token()).rejects.toThrow(
      /^Vault Kubernetes login at auth\/kubernetes\/login as role sync failed: .*permission denied/,
    );
    http.close();
  });

  it('says which method failed and why on bad AppRole credentials', async () => {
    const { runtime } = setup();
    const http = createVaultHttp({ address: peer.address }, runtime.call);
    const tokens = new VaultTokenSource(
      http,
      { method: 'approle', mount: 'approle', roleId: 'nope', secretId: 'nope' },
      runtime.logger,
    );
    await expect(tokens.token()).rejects.toThrow(
      /^Vault AppRole login at auth\/approle\/login failed: .*\(retries: 0\): invalid request: invalid role ID$/,
    );
    http.close();
  });

  it('fails at once, without retries, on a wrong AppRole secret_id (Vault answers 500)', async () => {
    await peer.approleRole({
      name: 'wrong-secret',
      roleId: 'role-ws',
      secretId: 'right',
      policies: [],
    });
    const { runtime } = setup();
    const http = createVaultHttp({ address: peer.address }, runtime.call);
    const tokens = new VaultTokenSource(
      http,
      { method: 'approle', mount: 'approle', roleId: 'role-ws', secretId: 'wrong' },
      runtime.logger,
    );
    await expect(tokens.token()).rejects.toThrow(
      /^Vault AppRole login at auth\/approle\/login failed: .*\(retries: 0\): internal server error: invalid secret id$/,
    );
    expect(
      await counterValue(runtime.metrics, 'secretsync_vault_requests_total', {
        operation: 'vault.login',
      }),
    ).toBe(1);
    http.close();
  });

  it('refuses a bad token with a clear message', async () => {
    const { runtime } = setup();
    const http = createVaultHttp({ address: peer.address }, runtime.call);
    const tokens = new VaultTokenSource(
      http,
      { method: 'token', token: 'not-a-token' },
      runtime.logger,
    );
    await expect(tokens.token()).rejects.toThrow(
      /the Vault token was refused \(token lookup failed\): .*permission denied.*check vault.auth.token or VAULT_TOKEN/,
    );
    http.close();
  });

  it('refuses plain http to a non-loopback address unless allowed', () => {
    const { runtime } = setup();
    expect(() =>
      createVaultHttp({ address: 'http://vault.example.com:8200' }, runtime.call),
    ).toThrow('uses plain http:// to a non-loopback host');
    expect(() => {
      createVaultHttp(
        { address: 'http://vault.example.com:8200', allowInsecureHttp: true },
        runtime.call,
      ).close();
    }).not.toThrow();
  });
});
