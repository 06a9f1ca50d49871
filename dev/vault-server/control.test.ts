import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, control, dataOf } from './http-test-client.js';
import { startVaultServer } from './server.js';
import type { RunningVaultServer } from './server.js';

let server: RunningVaultServer;

beforeAll(async () => {
  server = await startVaultServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  await control(server, 'POST', 'reset');
});

function secrets(count: number, folders: number): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = {};
  for (let index = 0; index < count; index += 1) {
    result[`team-${index % folders}/app-${index}`] = { index, password: `p${index}` };
  }
  return result;
}

describe('control surface', () => {
  it('refuses any token but the root token with 403', async () => {
    const response = await call(server, 'GET', '/_dev/stats', { token: 'nope' });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ errors: ['1 error occurred:\n\t* permission denied\n\n'] });
  });

  it('rejects unknown fields and unknown routes', async () => {
    const typo = await call(server, 'POST', '/_dev/mounts', { body: { paht: 'x' } });
    expect(typo.status).toBe(400);
    expect((await call(server, 'POST', '/_dev/nothing', { body: {} })).status).toBe(404);
  });

  it('creates a mount with settings, and refuses a taken path', async () => {
    await control(server, 'POST', 'mounts', { path: 'kv2', max_versions: 3, cas_required: true });
    expect(dataOf(await call(server, 'GET', '/v1/kv2/config'))).toEqual({
      cas_required: true,
      delete_version_after: '0s',
      max_versions: 3,
    });
    const again = await call(server, 'POST', '/_dev/mounts', { body: { path: 'kv2' } });
    expect(again.status).toBe(400);
  });

  it('seeds into KV v2 (a new version each time, even with cas_required) and KV v1', async () => {
    await control(server, 'POST', 'mounts', { path: 'strict', cas_required: true });
    await control(server, 'POST', 'mounts', { path: 'old', version: 1 });
    for (const round of [1, 2]) {
      await control(server, 'POST', 'secrets', { mount: 'strict', secrets: { k: { round } } });
    }
    const read = dataOf(await call(server, 'GET', '/v1/strict/data/k'));
    expect(read).toMatchObject({ data: { round: 2 }, metadata: { version: 2 } });
    const result = await control(server, 'POST', 'secrets', {
      mount: 'old',
      secrets: { '/a/b': { x: 1 } },
    });
    expect(result).toEqual({ written: 1 });
    expect(dataOf(await call(server, 'GET', '/v1/old/a/b'))).toEqual({ x: 1 });
  });

  it('refuses to seed an unknown mount with 400', async () => {
    const response = await call(server, 'POST', '/_dev/secrets', {
      body: { mount: 'nope', secrets: {} },
    });
    expect(response.status).toBe(400);
  });

  it('reset drops data, tokens, policies and mounts created later', async () => {
    await control(server, 'POST', 'mounts', { path: 'later' });
    await control(server, 'POST', 'secrets', { mount: 'secret', secrets: { a: { v: 1 } } });
    const { client_token: token } = (await control(server, 'POST', 'tokens', {})) as {
      client_token: string;
    };
    await control(server, 'POST', 'reset');
    expect((await call(server, 'GET', '/v1/secret/data/a')).status).toBe(404);
    expect((await call(server, 'GET', '/v1/later/data/a')).status).toBe(404);
    expect((await call(server, 'GET', '/v1/auth/token/lookup-self', { token })).status).toBe(403);
  });

  it('moves the clock forward and reports it', async () => {
    const before = (await control(server, 'GET', 'clock')) as { now_ms: number };
    const after = (await control(server, 'POST', 'clock', { advance_ms: 3_600_000 })) as {
      now_ms: number;
    };
    expect(after.now_ms - before.now_ms).toBeGreaterThanOrEqual(3_600_000);
  });
});

describe('scale', () => {
  it('seeds 5,000 secrets and lists a folder of them quickly', async () => {
    const started = performance.now();
    const result = await control(server, 'POST', 'secrets', {
      mount: 'secret',
      secrets: secrets(5_000, 10),
    });
    expect(result).toEqual({ written: 5_000 });
    const root = dataOf(await call(server, 'LIST', '/v1/secret/metadata/'));
    expect((root.keys as string[]).length).toBe(10);
    const folder = dataOf(await call(server, 'GET', '/v1/secret/metadata/team-3/?list=true'));
    const keys = folder.keys as string[];
    expect(keys).toHaveLength(500);
    expect(keys).toEqual([...keys].sort());
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('seeds 20,000 secrets in one call within seconds', async () => {
    const started = performance.now();
    const result = await control(server, 'POST', 'secrets', {
      mount: 'secret',
      secrets: secrets(20_000, 100),
    });
    expect(result).toEqual({ written: 20_000 });
    expect(performance.now() - started).toBeLessThan(10_000);
    const read = dataOf(await call(server, 'GET', '/v1/secret/data/team-7/app-19907'));
    expect(read).toMatchObject({ data: { index: 19_907 } });
  });

  it('serves 500 concurrent reads over keep-alive', async () => {
    await control(server, 'POST', 'secrets', { mount: 'secret', secrets: secrets(500, 5) });
    const responses = await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        call(server, 'GET', `/v1/secret/data/team-${index % 5}/app-${index}`),
      ),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(dataOf(responses[123]!)).toMatchObject({ data: { index: 123 } });
  });
});
