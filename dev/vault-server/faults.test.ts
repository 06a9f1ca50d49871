import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, control } from './http-test-client.js';
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
  await control(server, 'POST', 'secrets', { mount: 'secret', secrets: { 'a/b': { v: 1 } } });
});

const read = () => call(server, 'GET', '/v1/secret/data/a/b');

describe('faults', () => {
  it('answers a status fault `count` times, then serves normally', async () => {
    await control(server, 'POST', 'faults', { path: '^secret/data/', status: 500, count: 2 });
    expect((await read()).status).toBe(500);
    const second = await read();
    expect(second.status).toBe(500);
    expect(second.body).toEqual({ errors: ['internal error'] });
    expect((await read()).status).toBe(200);
  });

  it('sends Retry-After with a 429 (given, or 1 by default)', async () => {
    await control(server, 'POST', 'faults', {
      path: 'data',
      status: 429,
      retry_after: 7,
      count: 1,
    });
    await control(server, 'POST', 'faults', { path: 'data', status: 429, count: 1 });
    const given = await read();
    expect(given.status).toBe(429);
    expect(given.headers.get('retry-after')).toBe('7');
    expect((given.body as { errors: string[] }).errors[0]).toContain('rate limit quota exceeded');
    const defaulted = await read();
    expect(defaulted.headers.get('retry-after')).toBe('1');
  });

  it('matches the method (LIST covers GET ?list=true) and leaves other methods alone', async () => {
    await control(server, 'POST', 'faults', { path: 'metadata', method: 'LIST', status: 503 });
    expect((await call(server, 'GET', '/v1/secret/metadata/a?list=true')).status).toBe(503);
    expect((await call(server, 'LIST', '/v1/secret/metadata/a')).status).toBe(503);
    expect((await call(server, 'GET', '/v1/secret/metadata/a/b')).status).toBe(200);
  });

  it('resets the connection', async () => {
    await control(server, 'POST', 'faults', { path: 'data/a/b', reset: true, count: 1 });
    const failure = await read().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TypeError);
    const cause = (failure as { cause?: { code?: string } }).cause;
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(cause?.code);
    expect((await read()).status).toBe(200);
  });

  it('delays a response, then serves it normally', async () => {
    await control(server, 'POST', 'faults', { path: 'data/a/b', delay_ms: 250, count: 1 });
    const started = performance.now();
    const response = await read();
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('lists, removes one, and clears faults', async () => {
    const { id } = (await control(server, 'POST', 'faults', { path: 'x', status: 500 })) as {
      id: number;
    };
    await control(server, 'POST', 'faults', { path: 'data', status: 502 });
    const listed = (await control(server, 'GET', 'faults')) as { faults: { id: number }[] };
    expect(listed.faults.map((fault) => fault.id)).toContain(id);
    await control(server, 'DELETE', `faults/${id}`);
    expect((await read()).status).toBe(502);
    await control(server, 'DELETE', 'faults');
    expect((await read()).status).toBe(200);
  });

  it('rejects an invalid regular expression with 400', async () => {
    const response = await call(server, 'POST', '/_dev/faults', { body: { path: '(' } });
    expect(response.status).toBe(400);
  });
});

describe('request counters', () => {
  it('counts requests by method and kind, faulted ones included, until reset', async () => {
    await control(server, 'DELETE', 'stats');
    await control(server, 'POST', 'faults', { path: 'data', status: 500, count: 1 });
    await read();
    await read();
    await call(server, 'LIST', '/v1/secret/metadata/');
    await call(server, 'GET', '/v1/secret/metadata/a?list=true');
    await call(server, 'GET', '/v1/sys/health');
    const stats = (await control(server, 'GET', 'stats')) as {
      total: number;
      requests: Record<string, number>;
    };
    expect(stats).toEqual({
      total: 5,
      requests: { 'GET kv2.data': 2, 'GET sys.health': 1, 'LIST kv2.metadata': 2 },
    });
    await control(server, 'DELETE', 'stats');
    expect(await control(server, 'GET', 'stats')).toEqual({ total: 0, requests: {} });
  });
});
