import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, control, dataOf } from './http-test-client.js';
import { startVaultServer } from './server.js';
import type { RunningVaultServer } from './server.js';

let server: RunningVaultServer;

beforeAll(async () => {
  server = await startVaultServer({
    mounts: [
      { path: 'secret', version: 2 },
      { path: 'team/kv', version: 2 },
      { path: 'legacy', version: 1 },
    ],
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  await control(server, 'POST', 'reset');
});

const preflight = (path: string) =>
  `preflight capability check returned 403, please ensure client's policies grant access to path "${path}"`;

describe('sys/internal/ui/mounts', () => {
  it('describes the mount for the bare mount path and for a path inside it', async () => {
    for (const path of ['secret', 'secret/', 'secret/app/db']) {
      const response = await call(server, 'GET', `/v1/sys/internal/ui/mounts/${path}`);
      expect(response.status).toBe(200);
      expect(dataOf(response)).toMatchObject({
        path: 'secret/',
        type: 'kv',
        options: { version: '2' },
      });
    }
  });

  it('finds multi-segment mounts and KV v1 mounts', async () => {
    const team = await call(server, 'GET', '/v1/sys/internal/ui/mounts/team/kv/app');
    expect(dataOf(team)).toMatchObject({ path: 'team/kv/', options: { version: '2' } });
    const legacy = await call(server, 'GET', '/v1/sys/internal/ui/mounts/legacy/x');
    expect(dataOf(legacy)).toMatchObject({ path: 'legacy/', options: { version: '1' } });
  });

  it('answers 403 with the preflight message for an unknown mount', async () => {
    const response = await call(server, 'GET', '/v1/sys/internal/ui/mounts/nope/deeper');
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ errors: [preflight('nope/deeper/')] });
  });

  it('answers the same 403 when the token has no grant anywhere in the mount', async () => {
    await control(server, 'POST', 'policies', {
      name: 'team-only',
      rules: [{ path: 'team/kv/data/*', capabilities: ['read'] }],
    });
    const { client_token: token } = (await control(server, 'POST', 'tokens', {
      policies: ['team-only'],
    })) as { client_token: string };
    const denied = await call(server, 'GET', '/v1/sys/internal/ui/mounts/secret/x', { token });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ errors: [preflight('secret/x/')] });
    const allowed = await call(server, 'GET', '/v1/sys/internal/ui/mounts/team/kv', { token });
    expect(allowed.status).toBe(200);
  });
});

describe('sys/internal/ui/mounts without a path', () => {
  it('lists the mounts the token may use', async () => {
    const data = dataOf(await call(server, 'GET', '/v1/sys/internal/ui/mounts'));
    expect(Object.keys(data.secret as object)).toEqual(['legacy/', 'secret/', 'team/kv/']);
  });
});

describe('sys/mounts', () => {
  it('lists mounts keyed with a trailing slash', async () => {
    const data = dataOf(await call(server, 'GET', '/v1/sys/mounts'));
    expect(data['secret/']).toMatchObject({ type: 'kv', options: { version: '2' } });
    expect(data['legacy/']).toMatchObject({ type: 'kv', options: { version: '1' } });
    expect(data['sys/']).toMatchObject({ type: 'system' });
  });

  it('enables a KV v2 mount with 204, then serves it; a taken path is 400', async () => {
    const enabled = await call(server, 'POST', '/v1/sys/mounts/apps', {
      body: { type: 'kv', options: { version: '2' } },
    });
    expect(enabled.status).toBe(204);
    expect(enabled.text).toBe('');
    const write = await call(server, 'POST', '/v1/apps/data/x', { body: { data: { a: 1 } } });
    expect(write.status).toBe(200);
    const again = await call(server, 'POST', '/v1/sys/mounts/apps', { body: { type: 'kv' } });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ errors: ['path is already in use at apps/'] });
  });

  it('accepts null parameters (as hvac sends them), reads one mount, and disables it', async () => {
    const enabled = await call(server, 'POST', '/v1/sys/mounts/nulls', {
      body: { type: 'kv-v2', description: null, config: {}, options: null, local: false },
    });
    expect(enabled.status).toBe(204);
    const read = await call(server, 'GET', '/v1/sys/mounts/nulls');
    expect(dataOf(read)).toMatchObject({ type: 'kv', options: { version: '2' } });
    expect((await call(server, 'DELETE', '/v1/sys/mounts/nulls')).status).toBe(204);
    expect((await call(server, 'GET', '/v1/sys/mounts/nulls')).status).toBe(400);
  });

  it('refuses engines other than kv with 400', async () => {
    const response = await call(server, 'POST', '/v1/sys/mounts/db', {
      body: { type: 'database' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errors: ['plugin not found in the catalog: database'] });
  });
});

describe('sys/health and availability', () => {
  const health = (query = '') => call(server, 'GET', `/v1/sys/health${query}`, { token: null });

  it('reports 200 when active, with the documented fields', async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ initialized: true, sealed: false, standby: false });
    const body = response.body as Record<string, unknown>;
    for (const field of ['version', 'cluster_name', 'server_time_utc'])
      expect(body).toHaveProperty(field);
  });

  it('reports 429 standby, 473 performance standby, 501 uninitialized, 503 sealed', async () => {
    const expected = {
      standby: 429,
      performance_standby: 473,
      uninitialized: 501,
      sealed: 503,
    } as const;
    for (const [state, status] of Object.entries(expected)) {
      await control(server, 'POST', 'state', { state });
      expect((await health()).status).toBe(status);
    }
    expect((await health()).body).toMatchObject({ sealed: true, initialized: true });
  });

  it('honours standbyok and the *code overrides', async () => {
    await control(server, 'POST', 'state', { state: 'standby' });
    expect((await health('?standbyok=true')).status).toBe(200);
    expect((await health('?standbycode=299')).status).toBe(299);
  });

  it('answers every logical path with 503 Vault is sealed while sealed', async () => {
    await control(server, 'POST', 'state', { state: 'sealed' });
    for (const path of ['/v1/secret/data/x', '/v1/auth/token/lookup-self', '/v1/sys/mounts']) {
      const response = await call(server, 'GET', path);
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ errors: ['Vault is sealed'] });
    }
    await control(server, 'POST', 'state', { state: 'active' });
    expect((await call(server, 'GET', '/v1/sys/mounts')).status).toBe(200);
  });

  it('answers HEAD with the status only, and seal-status even while sealed', async () => {
    await control(server, 'POST', 'state', { state: 'sealed' });
    const head = await call(server, 'HEAD', '/v1/sys/health', { token: null });
    expect(head.status).toBe(503);
    expect(head.text).toBe('');
    const seal = await call(server, 'GET', '/v1/sys/seal-status', { token: null });
    expect(seal.status).toBe(200);
    expect(seal.body).toMatchObject({ sealed: true, initialized: true, type: 'shamir' });
  });

  it('answers API calls on a standby with 503', async () => {
    await control(server, 'POST', 'state', { state: 'standby' });
    expect((await call(server, 'GET', '/v1/secret/data/x')).status).toBe(503);
  });
});

describe('namespaces', () => {
  beforeEach(async () => {
    await control(server, 'POST', 'mounts', { namespace: 'team/app', path: 'secret' });
    await control(server, 'POST', 'secrets', {
      namespace: 'team/app',
      mount: 'secret',
      secrets: { 'db/creds': { user: 'ns-user' } },
    });
    await control(server, 'POST', 'secrets', {
      mount: 'secret',
      secrets: { 'db/creds': { user: 'root-user' } },
    });
  });

  it('reads the namespace by header and by path prefix, separately from the root', async () => {
    const byHeader = await call(server, 'GET', '/v1/secret/data/db/creds', {
      headers: { 'x-vault-namespace': 'team/app' },
    });
    expect(dataOf(byHeader)).toMatchObject({ data: { user: 'ns-user' } });
    const byPrefix = await call(server, 'GET', '/v1/team/app/secret/data/db/creds');
    expect(dataOf(byPrefix)).toMatchObject({ data: { user: 'ns-user' } });
    const mixed = await call(server, 'GET', '/v1/app/secret/data/db/creds', {
      headers: { 'x-vault-namespace': 'team/' },
    });
    expect(dataOf(mixed)).toMatchObject({ data: { user: 'ns-user' } });
    const root = await call(server, 'GET', '/v1/secret/data/db/creds');
    expect(dataOf(root)).toMatchObject({ data: { user: 'root-user' } });
  });

  it('keeps mounts per namespace: a root mount is not visible inside the namespace', async () => {
    const response = await call(server, 'GET', '/v1/team/app/legacy/x');
    expect(response.status).toBe(404);
    const mounts = await call(server, 'GET', '/v1/sys/internal/ui/mounts/secret/db', {
      headers: { 'x-vault-namespace': 'team/app' },
    });
    expect(dataOf(mounts)).toMatchObject({ path: 'secret/' });
    const missing = await call(server, 'GET', '/v1/sys/internal/ui/mounts/legacy', {
      headers: { 'x-vault-namespace': 'team/app' },
    });
    expect(missing.status).toBe(403);
  });

  it('creates a mount through sys/mounts inside a namespace', async () => {
    const created = await call(server, 'POST', '/v1/sys/mounts/kv1', {
      headers: { 'x-vault-namespace': 'team/app' },
      body: { type: 'kv', options: { version: '1' } },
    });
    expect(created.status).toBe(204);
    expect((await call(server, 'POST', '/v1/team/app/kv1/a', { body: { x: 1 } })).status).toBe(204);
    expect((await call(server, 'GET', '/v1/kv1/a')).status).toBe(404);
  });

  it('creates and lists namespaces through sys/namespaces', async () => {
    const created = await call(server, 'POST', '/v1/sys/namespaces/other', { body: {} });
    expect(dataOf(created)).toMatchObject({ path: 'other/' });
    expect(dataOf(await call(server, 'LIST', '/v1/sys/namespaces'))).toEqual({
      keys: ['other/', 'team/'],
    });
    const child = await call(server, 'GET', '/v1/sys/namespaces/app', {
      headers: { 'x-vault-namespace': 'team' },
    });
    expect(dataOf(child)).toMatchObject({ path: 'team/app/' });
    expect((await call(server, 'GET', '/v1/sys/namespaces/none')).status).toBe(404);
  });

  it('applies policies relative to the token namespace', async () => {
    await control(server, 'POST', 'policies', {
      name: 'ns-reader',
      rules: [{ path: 'secret/data/*', capabilities: ['read'] }],
    });
    const { client_token: token } = (await control(server, 'POST', 'tokens', {
      policies: ['ns-reader'],
      namespace: 'team/app',
    })) as { client_token: string };
    expect((await call(server, 'GET', '/v1/team/app/secret/data/db/creds', { token })).status).toBe(
      200,
    );
    expect((await call(server, 'GET', '/v1/secret/data/db/creds', { token })).status).toBe(403);
  });
});
