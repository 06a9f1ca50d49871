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

const write = (path: string, data: Record<string, unknown>, options?: Record<string, unknown>) =>
  call(server, 'POST', `/v1/secret/data/${path}`, {
    body: options === undefined ? { data } : { data, options },
  });

describe('KV v2 read and write', () => {
  it('writes a version and answers with its metadata in the envelope', async () => {
    const response = await write('app/db', { user: 'u1' });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body as object).sort()).toEqual([
      'auth',
      'data',
      'lease_duration',
      'lease_id',
      'renewable',
      'request_id',
      'warnings',
      'wrap_info',
    ]);
    expect(dataOf(response)).toMatchObject({ version: 1, deletion_time: '', destroyed: false });
    expect(dataOf(response).created_time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('reads the latest version, or the one asked for with ?version=', async () => {
    await write('app/db', { user: 'u1' });
    await call(server, 'PUT', '/v1/secret/data/app/db', { body: { data: { user: 'u2' } } });
    const latest = dataOf(await call(server, 'GET', '/v1/secret/data/app/db'));
    expect(latest).toMatchObject({ data: { user: 'u2' }, metadata: { version: 2 } });
    const first = dataOf(await call(server, 'GET', '/v1/secret/data/app/db?version=1'));
    expect(first).toMatchObject({ data: { user: 'u1' }, metadata: { version: 1 } });
  });

  it('answers a missing secret or version with 404 {"errors":[]}', async () => {
    const missing = await call(server, 'GET', '/v1/secret/data/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errors: [] });
    await write('one', { a: 1 });
    const noVersion = await call(server, 'GET', '/v1/secret/data/one?version=7');
    expect(noVersion.status).toBe(404);
    expect(noVersion.body).toEqual({ errors: [] });
  });

  it('rejects a write without data with 400', async () => {
    const response = await call(server, 'POST', '/v1/secret/data/x', { body: { nodata: 1 } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errors: ['no data provided'] });
  });
});

describe('KV v2 LIST', () => {
  beforeEach(async () => {
    for (const path of ['b/two', 'a', 'b/one', 'c/d/e']) await write(path, { v: path });
  });

  it('lists one level, sorted, folders with a trailing slash, via the LIST method', async () => {
    const response = await call(server, 'LIST', '/v1/secret/metadata/');
    expect(response.status).toBe(200);
    expect(dataOf(response)).toEqual({ keys: ['a', 'b/', 'c/'] });
  });

  it('gives the same answer for GET ?list=true, with or without the trailing slash', async () => {
    for (const path of ['/v1/secret/metadata/b/?list=true', '/v1/secret/metadata/b?list=true']) {
      const response = await call(server, 'GET', path);
      expect(dataOf(response)).toEqual({ keys: ['one', 'two'] });
    }
    const viaList = await call(server, 'LIST', '/v1/secret/metadata/b');
    expect(dataOf(viaList)).toEqual({ keys: ['one', 'two'] });
  });

  it('answers an empty or missing folder with 404 {"errors":[]}', async () => {
    const missing = await call(server, 'LIST', '/v1/secret/metadata/zzz/');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('{"errors":[]}');
    await call(server, 'DELETE', '/v1/secret/metadata/c/d/e');
    const emptied = await call(server, 'GET', '/v1/secret/metadata/c/?list=true');
    expect(emptied.status).toBe(404);
    expect(emptied.body).toEqual({ errors: [] });
    expect(dataOf(await call(server, 'LIST', '/v1/secret/metadata'))).toEqual({
      keys: ['a', 'b/'],
    });
  });
});

describe('KV v2 delete, undelete, destroy', () => {
  it('soft-deletes the latest version: 404 with the envelope, data null, deletion_time set', async () => {
    await write('s', { a: 1 });
    await write('s', { a: 2 });
    const deleted = await call(server, 'DELETE', '/v1/secret/data/s');
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const read = await call(server, 'GET', '/v1/secret/data/s');
    expect(read.status).toBe(404);
    const body = read.body as Record<string, unknown>;
    expect(body).toMatchObject({ lease_id: '', wrap_info: null, warnings: null, auth: null });
    expect(body.data).toMatchObject({ data: null, metadata: { destroyed: false, version: 2 } });
    const metadata = (body.data as { metadata: { deletion_time: string } }).metadata;
    expect(metadata.deletion_time).toMatch(/^\d{4}-/);
    expect(dataOf(await call(server, 'LIST', '/v1/secret/metadata/'))).toEqual({ keys: ['s'] });
    const older = dataOf(await call(server, 'GET', '/v1/secret/data/s?version=1'));
    expect(older).toMatchObject({ data: { a: 1 } });
  });

  it('undeletes a soft-deleted version', async () => {
    await write('s', { a: 1 });
    await call(server, 'DELETE', '/v1/secret/data/s');
    const undo = await call(server, 'POST', '/v1/secret/undelete/s', { body: { versions: [1] } });
    expect(undo.status).toBe(204);
    expect(dataOf(await call(server, 'GET', '/v1/secret/data/s'))).toMatchObject({
      data: { a: 1 },
    });
  });

  it('deletes chosen versions and destroys for good (undelete cannot bring it back)', async () => {
    await write('s', { a: 1 });
    await write('s', { a: 2 });
    const del = await call(server, 'POST', '/v1/secret/delete/s', { body: { versions: [1] } });
    expect(del.status).toBe(204);
    expect((await call(server, 'GET', '/v1/secret/data/s?version=1')).status).toBe(404);
    const destroy = await call(server, 'PUT', '/v1/secret/destroy/s', { body: { versions: [2] } });
    expect(destroy.status).toBe(204);
    await call(server, 'POST', '/v1/secret/undelete/s', { body: { versions: [2] } });
    const read = await call(server, 'GET', '/v1/secret/data/s');
    expect(read.status).toBe(404);
    expect(dataOf(read)).toMatchObject({
      data: null,
      metadata: { destroyed: true, version: 2, deletion_time: '' },
    });
  });

  it('accepts versions as a comma-separated string', async () => {
    await write('s', { a: 1 });
    await write('s', { a: 2 });
    await call(server, 'POST', '/v1/secret/delete/s', { body: { versions: '1,2' } });
    const metadata = dataOf(await call(server, 'GET', '/v1/secret/metadata/s'));
    const versions = metadata.versions as Record<string, { deletion_time: string }>;
    expect(versions['1']?.deletion_time).not.toBe('');
    expect(versions['2']?.deletion_time).not.toBe('');
  });

  it('requires a version list', async () => {
    const response = await call(server, 'POST', '/v1/secret/destroy/s', { body: {} });
    expect(response.status).toBe(400);
  });

  it('deletes the key and all versions through metadata, removing it from lists', async () => {
    await write('gone', { a: 1 });
    expect((await call(server, 'DELETE', '/v1/secret/metadata/gone')).status).toBe(204);
    expect((await call(server, 'GET', '/v1/secret/metadata/gone')).status).toBe(404);
    expect((await call(server, 'LIST', '/v1/secret/metadata/')).status).toBe(404);
  });
});

describe('KV v2 check-and-set', () => {
  it('cas 0 writes only when the key is absent', async () => {
    expect((await write('c', { a: 1 }, { cas: 0 })).status).toBe(200);
    const again = await write('c', { a: 2 }, { cas: 0 });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      errors: ['check-and-set parameter did not match the current version'],
    });
  });

  it('a cas that is not the current version is refused; the current one is accepted', async () => {
    await write('c', { a: 1 });
    expect((await write('c', { a: 2 }, { cas: 3 })).status).toBe(400);
    const ok = await write('c', { a: 2 }, { cas: 1 });
    expect(dataOf(ok)).toMatchObject({ version: 2 });
  });

  it('cas_required on the key demands a cas', async () => {
    await call(server, 'POST', '/v1/secret/metadata/c', { body: { cas_required: true } });
    const refused = await write('c', { a: 1 });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ errors: ['check-and-set parameter required for this call'] });
    expect((await write('c', { a: 1 }, { cas: 0 })).status).toBe(200);
  });

  it('cas_required on the mount config demands a cas', async () => {
    const config = await call(server, 'POST', '/v1/secret/config', {
      body: { cas_required: true },
    });
    expect(config.status).toBe(204);
    expect(dataOf(await call(server, 'GET', '/v1/secret/config'))).toMatchObject({
      cas_required: true,
    });
    expect((await write('m', { a: 1 })).status).toBe(400);
  });
});

describe('KV v2 metadata and max_versions', () => {
  it('reports versions, current and oldest version, and drops versions beyond max_versions', async () => {
    await call(server, 'POST', '/v1/secret/metadata/k', {
      body: { max_versions: 2, custom_metadata: { owner: 'team' } },
    });
    for (const value of [1, 2, 3]) await write('k', { value });
    const metadata = dataOf(await call(server, 'GET', '/v1/secret/metadata/k'));
    expect(metadata).toMatchObject({
      current_version: 3,
      oldest_version: 2,
      max_versions: 2,
      cas_required: false,
      delete_version_after: '0s',
      custom_metadata: { owner: 'team' },
    });
    expect(Object.keys(metadata.versions as object)).toEqual(['2', '3']);
    expect((await call(server, 'GET', '/v1/secret/data/k?version=1')).status).toBe(404);
  });

  it('keeps 10 versions by default', async () => {
    for (let value = 1; value <= 12; value += 1) await write('many', { value });
    const metadata = dataOf(await call(server, 'GET', '/v1/secret/metadata/many'));
    expect(metadata).toMatchObject({ current_version: 12, oldest_version: 3 });
  });

  it('lists a key that has metadata but no versions, and reads it as 404', async () => {
    await call(server, 'POST', '/v1/secret/metadata/empty', { body: {} });
    expect(dataOf(await call(server, 'LIST', '/v1/secret/metadata'))).toEqual({ keys: ['empty'] });
    expect((await call(server, 'GET', '/v1/secret/data/empty')).status).toBe(404);
  });

  it('answers 405 for a method the path does not support', async () => {
    const response = await call(server, 'LIST', '/v1/secret/data/');
    expect(response.status).toBe(405);
  });
});
