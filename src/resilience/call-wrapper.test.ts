import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureStream } from '../../test/support/capture-stream.js';
import { startScriptedServer } from '../../test/support/scripted-server.js';
import type { ScriptedServer } from '../../test/support/scripted-server.js';
import { OperationError } from '../context/operation-error.js';
import { withRun } from '../context/request-context.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { BreakerRegistry } from './breaker-registry.js';
import type { BreakerTransition } from './circuit-breaker.js';
import { createCallWrapper } from './call-wrapper.js';
import type { CallSpec } from './call-wrapper.js';
import { parseRetryAfter } from './classify.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';

/** What an adapter does with an HTTP answer: non-2xx becomes an error carrying the status. */
async function fetchJson(url: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetch(url, { signal });
  if (!response.ok) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    throw Object.assign(
      new Error(response.status === 403 ? 'permission denied' : `HTTP ${response.status}`),
      {
        status: response.status,
        retryAfterMs,
      },
    );
  }
  return response.json();
}

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

function setup(options: { maxAttempts?: number; timeoutMs?: number } = {}) {
  const clock = { now: 5_000_000 };
  const delays: number[] = [];
  const transitions: BreakerTransition[] = [];
  const logs = captureStream();
  const metrics = createMetrics();
  const breakers = new BreakerRegistry(
    { enabled: true, failureThreshold: 5, intervalMs: 10_000, timeoutMs: 30_000, maxRequests: 1 },
    () => clock.now,
    (t) => transitions.push(t),
  );
  const call = createCallWrapper({
    logger: createLogger({ level: 'debug', format: 'json', destination: logs }),
    metrics,
    breakers,
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: options.maxAttempts ?? 3 },
    timeoutMs: options.timeoutMs ?? 2_000,
    now: () => clock.now,
    // Time passes only when the wrapper waits, so durations in messages are exact.
    sleep: (ms) => {
      delays.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  });
  return { clock, delays, transitions, logs, metrics, call };
}

const vaultList: CallSpec = {
  dependency: 'vault:test',
  labels: { kind: 'vault' },
  operation: 'vault.list',
  path: 'secret/data/app',
};
const awsList: CallSpec = {
  dependency: 'aws:secretsmanager:us-east-1',
  labels: { kind: 'aws', service: 'secretsmanager' },
  operation: 'aws.list_secrets',
  path: 'prod/',
};

beforeEach(() => {
  server.requests.length = 0;
});

async function failure(promise: Promise<unknown>): Promise<OperationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof OperationError))
    throw new Error(`expected an OperationError, got ${String(error)}`);
  return error;
}

describe('createCallWrapper', () => {
  it('retries 503s with growing backoff and succeeds', async () => {
    const { call, delays, metrics } = setup();
    server.script([{ status: 503 }, { status: 503 }]);
    await expect(call(vaultList, (signal) => fetchJson(server.url, signal))).resolves.toEqual({
      ok: true,
    });
    expect(server.requests).toHaveLength(3);
    expect(delays).toEqual([150, 300]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('secretsync_vault_requests_total{operation="vault.list"} 3');
    expect(text).toContain('secretsync_vault_errors_total{type="unavailable"} 2');
  });

  it('honours Retry-After on 429', async () => {
    const { call, delays } = setup();
    server.script([{ status: 429, headers: { 'retry-after': '2' } }]);
    await call(vaultList, (signal) => fetchJson(server.url, signal));
    expect(delays).toEqual([2_000]);
  });

  it('gives up after the attempt limit with the requirement-3 message', async () => {
    const { call, logs } = setup();
    server.script([{ status: 500 }, { status: 500 }, { status: 500 }]);
    const error = await failure(call(vaultList, (signal) => fetchJson(server.url, signal)));
    expect(error.message).toMatch(
      /^\[req=[0-9a-f-]{36}\] failed to list secrets at path "secret\/data\/app" after 450ms \(retries: 2\): HTTP 500$/,
    );
    expect(error.fields).toMatchObject({
      operation: 'vault.list',
      retries: 2,
      durationMs: 450,
      outcome: 'unavailable',
    });
    const last = JSON.parse(logs.lines().at(-1) ?? '{}') as Record<string, unknown>;
    expect(last).toMatchObject({
      level: 50,
      request_id: error.fields.requestId,
      operation: 'vault.list',
      path: 'secret/data/app',
      duration_ms: 450,
      retries: 2,
    });
  });

  it('fails 403 at once, never retried, with the hint', async () => {
    const { call } = setup();
    server.script([{ status: 403 }]);
    const spec = {
      ...vaultList,
      hintFor: (o: string) =>
        o === 'access_denied' ? 'grant list on secret/metadata/app' : undefined,
    };
    const error = await failure(call(spec, (signal) => fetchJson(server.url, signal)));
    expect(server.requests).toHaveLength(1);
    expect(error.message).toMatch(
      /after 0ms \(retries: 0\): permission denied \(grant list on secret\/metadata\/app\)$/,
    );
    expect(error.fields.outcome).toBe('access_denied');
  });

  it('times out slow answers and retries them', async () => {
    const { call } = setup({ timeoutMs: 50 });
    server.script([
      { delayMs: 300, status: 200 },
      { delayMs: 300, status: 200 },
      { delayMs: 300, status: 200 },
    ]);
    const error = await failure(call(vaultList, (signal) => fetchJson(server.url, signal)));
    expect(error.fields).toMatchObject({ outcome: 'timeout', retries: 2 });
    expect(error.message).toContain('no answer within 50ms');
  });

  it('retries a reset connection', async () => {
    const { call } = setup();
    server.script([{ reset: true }]);
    await expect(call(awsList, (signal) => fetchJson(server.url, signal))).resolves.toEqual({
      ok: true,
    });
    expect(server.requests).toHaveLength(2);
  });

  it('opens the Vault circuit after 5 failures and rejects at once; AWS is independent', async () => {
    const { call, transitions, metrics } = setup({ maxAttempts: 1 });
    server.script(Array.from({ length: 5 }, () => ({ status: 503 })));
    for (let i = 0; i < 5; i++)
      await failure(call(vaultList, (signal) => fetchJson(server.url, signal)));
    expect(transitions.map((t) => `${t.dependency}:${t.to}`)).toEqual(['vault:test:open']);
    const refused = await failure(call(vaultList, (signal) => fetchJson(server.url, signal)));
    expect(server.requests).toHaveLength(5);
    expect(refused.fields.outcome).toBe('circuit_open');
    expect(refused.message).toContain(
      'circuit breaker for vault:test is open after repeated failures; calls are refused for another 30s',
    );
    await expect(call(awsList, (signal) => fetchJson(server.url, signal))).resolves.toEqual({
      ok: true,
    });
    expect(await metrics.registry.metrics()).toContain(
      'secretsync_aws_requests_total{service="secretsmanager",operation="aws.list_secrets"} 1',
    );
  });

  it('does not count 404 and 403 against the breaker', async () => {
    const { call, transitions } = setup({ maxAttempts: 1 });
    server.script(Array.from({ length: 6 }, (_, i) => ({ status: i % 2 === 0 ? 404 : 403 })));
    for (let i = 0; i < 6; i++)
      await failure(call(vaultList, (signal) => fetchJson(server.url, signal)));
    expect(transitions).toEqual([]);
  });

  it('logs each call once, at debug, with its own request id, outcome, duration and retries', async () => {
    const { call, logs } = setup();
    server.script([{ status: 503 }]);
    await withRun(async () => {
      await call(vaultList, (signal) => fetchJson(server.url, signal));
      await call(awsList, (signal) => fetchJson(server.url, signal));
    }, 'run-1');
    const entries = logs.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    // Two calls, three attempts: one line per call, none per attempt or retry.
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => [e.level, e.event, e.operation, e.outcome, e.retries])).toEqual([
      [20, 'api_call', 'vault.list', 'ok', 1],
      [20, 'api_call', 'aws.list_secrets', 'ok', 0],
    ]);
    expect(entries[0]).toMatchObject({
      run_id: 'run-1',
      duration_ms: 150,
      retried_on: ['unavailable'],
    });
    expect(entries[0]?.msg).toBe('vault.list secret/data/app: ok in 150ms, 1 retry');
    expect(new Set(entries.map((entry) => entry.request_id)).size).toBe(2);
  });

  it('logs a call that fails for good once, as an error with class, code, fault and stack', async () => {
    const { call, logs } = setup();
    server.script([{ status: 500 }, { status: 500 }, { status: 500 }]);
    const error = await failure(call(vaultList, (signal) => fetchJson(server.url, signal)));
    const entries = logs.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: 50,
      event: 'api_call',
      msg: error.message,
      err: {
        type: 'OperationError',
        code: 'operation_failed',
        fault: 'dependency',
        cause: 'Error',
      },
    });
    expect((entries[0]?.err as { stack: string }).stack).toMatch(/^OperationError: .*\n\s+at /);
  });

  it('logs a 404 at debug only: absence is data, not failure', async () => {
    const { call, logs } = setup();
    server.script([{ status: 404 }]);
    await failure(call(vaultList, (signal) => fetchJson(server.url, signal)));
    const entries = logs.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.map((e) => [e.level, e.outcome])).toEqual([[20, 'not_found']]);
    expect(entries[0]).not.toHaveProperty('err');
  });
});
