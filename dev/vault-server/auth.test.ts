import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, control } from './http-test-client.js';
import { startVaultServer } from './server.js';
import type { RunningVaultServer } from './server.js';

let server: RunningVaultServer;

beforeAll(async () => {
  server = await startVaultServer({ rootToken: 'the-root' });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  await control(server, 'POST', 'reset');
  await control(server, 'POST', 'policies', {
    name: 'reader',
    rules: [
      { path: 'secret/data/app/*', capabilities: ['read'] },
      { path: 'secret/metadata/app/*', capabilities: ['list'] },
    ],
  });
});

interface AuthBlock {
  client_token: string;
  accessor: string;
  policies: string[];
  token_policies: string[];
  metadata: Record<string, string> | null;
  lease_duration: number;
  renewable: boolean;
  token_type: string;
}

const authOf = (body: unknown): AuthBlock => (body as { auth: AuthBlock }).auth;

async function tokenWith(spec: Record<string, unknown>): Promise<string> {
  const created = (await control(server, 'POST', 'tokens', spec)) as { client_token: string };
  return created.client_token;
}

describe('tokens and policies', () => {
  it('answers a request without a token with 403 plain "permission denied", as Vault 1.14', async () => {
    const response = await call(server, 'GET', '/v1/secret/data/app/x', { token: null });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ errors: ['permission denied'] });
  });

  it('answers an unknown token with 403 plain "permission denied", as Vault 1.14', async () => {
    const response = await call(server, 'GET', '/v1/secret/data/app/x', { token: 'nope' });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ errors: ['permission denied'] });
  });

  it('grants what a policy allows and refuses the rest with 403', async () => {
    await call(server, 'POST', '/v1/secret/data/app/x', { body: { data: { a: 1 } } });
    const token = await tokenWith({ policies: ['reader'] });
    expect((await call(server, 'GET', '/v1/secret/data/app/x', { token })).status).toBe(200);
    expect((await call(server, 'LIST', '/v1/secret/metadata/app/', { token })).status).toBe(200);
    const write = await call(server, 'POST', '/v1/secret/data/app/x', {
      token,
      body: { data: { a: 2 } },
    });
    expect(write.status).toBe(403);
    expect(write.body).toEqual({ errors: ['1 error occurred:\n\t* permission denied\n\n'] });
    const outside = await call(server, 'GET', '/v1/secret/data/other', { token });
    expect(outside.status).toBe(403);
    const listRoot = await call(server, 'LIST', '/v1/secret/metadata/', { token });
    expect(listRoot.status).toBe(403);
  });

  it('returns 403 (not 404) for a path with no mount when the token has no grant', async () => {
    const token = await tokenWith({ policies: ['reader'] });
    expect((await call(server, 'GET', '/v1/nomount/x', { token })).status).toBe(403);
    expect((await call(server, 'GET', '/v1/nomount/x')).status).toBe(404);
  });

  it('accepts Authorization: Bearer', async () => {
    const response = await call(server, 'GET', '/v1/auth/token/lookup-self', {
      token: null,
      headers: { authorization: 'Bearer the-root' },
    });
    expect(response.status).toBe(200);
    expect((response.body as { data: { id: string } }).data.id).toBe('the-root');
  });

  it('looks a token up: id, accessor, policies, ttl, expire_time, renewable, type', async () => {
    const token = await tokenWith({ policies: ['reader'], ttl: '1h', renewable: true });
    const response = await call(server, 'GET', '/v1/auth/token/lookup-self', { token });
    const data = (response.body as { data: Record<string, unknown> }).data;
    expect(data).toMatchObject({
      id: token,
      policies: ['default', 'reader'],
      renewable: true,
      type: 'service',
      creation_ttl: 3600,
    });
    expect(data.ttl).toBeGreaterThan(3590);
    expect(typeof data.accessor).toBe('string');
    expect(Date.parse(data.expire_time as string)).toBeGreaterThan(Date.now());
  });

  it('renews up to the max TTL and no further, with a warning', async () => {
    const token = await tokenWith({ policies: ['reader'], ttl: 60, max_ttl: 300 });
    const renewed = await call(server, 'POST', '/v1/auth/token/renew-self', {
      token,
      body: { increment: '10m' },
    });
    expect(renewed.status).toBe(200);
    const auth = authOf(renewed.body);
    expect(auth.client_token).toBe(token);
    expect(auth.renewable).toBe(true);
    expect(auth.lease_duration).toBeGreaterThanOrEqual(299);
    expect(auth.lease_duration).toBeLessThanOrEqual(300);
    expect((renewed.body as { warnings: string[] }).warnings[0]).toMatch(/capped/);
  });

  it('refuses to renew a non-renewable token with 400', async () => {
    const token = await tokenWith({ policies: ['reader'], ttl: 60, renewable: false });
    const response = await call(server, 'POST', '/v1/auth/token/renew-self', { token, body: {} });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errors: ['lease is not renewable'] });
  });

  it('expires a token by the server clock: afterwards 403', async () => {
    const token = await tokenWith({ policies: ['reader'], ttl: 30 });
    expect((await call(server, 'GET', '/v1/auth/token/lookup-self', { token })).status).toBe(200);
    await control(server, 'POST', 'clock', { advance_ms: 31_000 });
    const expired = await call(server, 'GET', '/v1/auth/token/lookup-self', { token });
    expect(expired.status).toBe(403);
    expect(expired.body).toEqual({ errors: ['permission denied'] });
  });

  it('creates child tokens through auth/token/create, limited to the parent policies', async () => {
    const created = await call(server, 'POST', '/v1/auth/token/create', {
      body: { policies: ['reader'], ttl: '15m' },
    });
    const auth = authOf(created.body);
    expect(auth.policies).toEqual(['default', 'reader']);
    expect(auth.lease_duration).toBe(900);
    const child = await call(server, 'POST', '/v1/auth/token/create', {
      token: auth.client_token,
      body: { policies: ['admin'] },
    });
    expect(child.status).toBe(403);
  });

  it('refuses a child token with policies the parent lacks', async () => {
    await control(server, 'POST', 'policies', {
      name: 'minter',
      rules: [{ path: 'auth/token/create', capabilities: ['update'] }],
    });
    const token = await tokenWith({ policies: ['minter'] });
    const refused = await call(server, 'POST', '/v1/auth/token/create', {
      token,
      body: { policies: ['reader'] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ errors: ['child policies must be subset of parent'] });
    const allowed = await call(server, 'POST', '/v1/auth/token/create', {
      token,
      body: { policies: null, ttl: null },
    });
    expect(authOf(allowed.body).policies).toEqual(['default', 'minter']);
  });

  it('revokes itself', async () => {
    const token = await tokenWith({ policies: [] });
    expect((await call(server, 'POST', '/v1/auth/token/revoke-self', { token })).status).toBe(204);
    expect((await call(server, 'GET', '/v1/auth/token/lookup-self', { token })).status).toBe(403);
  });
});

describe('AppRole', () => {
  beforeEach(async () => {
    await control(server, 'POST', 'approle/roles', {
      role_name: 'sync',
      role_id: 'role-1',
      secret_id: 'secret-1',
      policies: ['reader'],
      ttl: '20m',
    });
  });

  it('logs in with role_id and secret_id and gets a token with its TTL', async () => {
    const response = await call(server, 'POST', '/v1/auth/approle/login', {
      token: null,
      body: { role_id: 'role-1', secret_id: 'secret-1' },
    });
    expect(response.status).toBe(200);
    const auth = authOf(response.body);
    expect(auth).toMatchObject({
      policies: ['default', 'reader'],
      token_policies: ['default', 'reader'],
      metadata: { role_name: 'sync' },
      lease_duration: 1200,
      renewable: true,
      token_type: 'service',
    });
    expect(auth.client_token).toMatch(/^hvs\./);
    const lookup = await call(server, 'GET', '/v1/auth/token/lookup-self', {
      token: auth.client_token,
    });
    expect(lookup.status).toBe(200);
  });

  it('refuses wrong credentials with the statuses and texts of Vault 1.14 (a 500 included)', async () => {
    const cases: [Record<string, string>, number, string][] = [
      [{ role_id: 'wrong', secret_id: 'secret-1' }, 400, 'invalid role ID'],
      [{ role_id: 'role-1', secret_id: 'wrong' }, 500, 'invalid secret id'],
      [{ role_id: 'role-1' }, 400, 'missing secret_id'],
      [{}, 500, 'failed to determine alias name from login request'],
    ];
    for (const [body, status, message] of cases) {
      const response = await call(server, 'POST', '/v1/auth/approle/login', { token: null, body });
      expect(response.status).toBe(status);
      expect(response.body).toEqual({ errors: [message] });
    }
  });

  it('refuses custom token ids with a hvs. prefix or a dot, as Vault does', async () => {
    for (const [id, message] of [
      ['hvs.mine', "custom token ID cannot have the 'hvs.' prefix"],
      ['a.b', "custom token ID cannot have a '.' in the value"],
    ]) {
      const response = await call(server, 'POST', '/v1/auth/token/create', { body: { id } });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ errors: [message] });
    }
  });

  it('serves a custom mount path', async () => {
    await control(server, 'POST', 'approle/roles', {
      mount: 'ci/approle',
      role_name: 'ci',
      role_id: 'r',
      secret_id: ['s1', 's2'],
    });
    const response = await call(server, 'POST', '/v1/auth/ci/approle/login', {
      token: null,
      body: { role_id: 'r', secret_id: 's2' },
    });
    expect(authOf(response.body).lease_duration).toBe(768 * 3600);
  });
});

describe('Kubernetes auth', () => {
  beforeEach(async () => {
    await control(server, 'POST', 'kubernetes/roles', {
      role: 'syncer',
      jwt: 'eyJ.pod.jwt',
      policies: ['reader'],
      ttl: 600,
      service_account_name: 'secretsync',
      service_account_namespace: 'tools',
    });
  });

  it('logs in with a configured role and JWT', async () => {
    const response = await call(server, 'POST', '/v1/auth/kubernetes/login', {
      token: null,
      body: { role: 'syncer', jwt: 'eyJ.pod.jwt' },
    });
    expect(response.status).toBe(200);
    expect(authOf(response.body)).toMatchObject({
      policies: ['default', 'reader'],
      lease_duration: 600,
      metadata: {
        role: 'syncer',
        service_account_name: 'secretsync',
        service_account_namespace: 'tools',
      },
    });
  });

  it('refuses a JWT it does not accept with 403 and an unknown role with 400', async () => {
    const badJwt = await call(server, 'POST', '/v1/auth/kubernetes/login', {
      token: null,
      body: { role: 'syncer', jwt: 'other' },
    });
    expect(badJwt.status).toBe(403);
    const badRole = await call(server, 'POST', '/v1/auth/kubernetes/login', {
      token: null,
      body: { role: 'nobody', jwt: 'eyJ.pod.jwt' },
    });
    expect(badRole.status).toBe(400);
    expect(badRole.body).toEqual({ errors: ['invalid role name "nobody"'] });
  });
});
