import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, dataOf } from './http-test-client.js';
import { startVaultServer } from './server.js';
import type { RunningVaultServer } from './server.js';

let server: RunningVaultServer;

beforeAll(async () => {
  server = await startVaultServer({ mounts: [{ path: 'kv', version: 1 }] });
});
afterAll(async () => {
  await server.close();
});

describe('KV v1 mount', () => {
  it('writes with 204, reads the secret itself as data, lists, deletes', async () => {
    const written = await call(server, 'POST', '/v1/kv/app/db', { body: { user: 'u', n: 2 } });
    expect(written.status).toBe(204);
    expect(written.text).toBe('');
    await call(server, 'PUT', '/v1/kv/app/api', { body: { key: 'k' } });
    await call(server, 'POST', '/v1/kv/top', { body: { t: true } });

    const read = await call(server, 'GET', '/v1/kv/app/db');
    expect(read.status).toBe(200);
    expect(dataOf(read)).toEqual({ user: 'u', n: 2 });

    expect(dataOf(await call(server, 'LIST', '/v1/kv/'))).toEqual({ keys: ['app/', 'top'] });
    expect(dataOf(await call(server, 'GET', '/v1/kv/app?list=true'))).toEqual({
      keys: ['api', 'db'],
    });

    expect((await call(server, 'DELETE', '/v1/kv/app/db')).status).toBe(204);
    const gone = await call(server, 'GET', '/v1/kv/app/db');
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ errors: [] });
  });

  it('answers LIST of a missing folder with 404 {"errors":[]}', async () => {
    const response = await call(server, 'LIST', '/v1/kv/missing/');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ errors: [] });
  });

  it('has no versions: the data/ prefix is just part of the key', async () => {
    await call(server, 'POST', '/v1/kv/data/x', { body: { a: 1 } });
    expect(dataOf(await call(server, 'GET', '/v1/kv/data/x'))).toEqual({ a: 1 });
  });

  it('rejects a body that is not a JSON object with 400', async () => {
    const response = await call(server, 'POST', '/v1/kv/bad', { body: [1, 2] });
    expect(response.status).toBe(400);
  });
});
