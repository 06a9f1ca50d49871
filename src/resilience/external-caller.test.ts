import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureStream } from '../../test/support/capture-stream.js';
import { OperationError } from '../context/operation-error.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { createExternalCaller } from './external-caller.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('createExternalCaller', () => {
  it('logs each breaker state change with time, dependency and reason, and sets the gauge', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const logs = captureStream();
    const metrics = createMetrics();
    const { call } = createExternalCaller({
      breaker: {
        enabled: true,
        failureThreshold: 2,
        intervalMs: 10_000,
        timeoutMs: 30_000,
        maxRequests: 1,
      },
      logger: createLogger({ level: 'info', format: 'json', destination: logs }),
      metrics,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    });
    const spec = {
      dependency: 'aws:sts:us-east-1',
      labels: { kind: 'aws' as const, service: 'sts' },
      operation: 'aws.assume_role' as const,
      path: 'arn:aws:iam::111111111111:role/x',
    };
    const unavailable = () => Promise.reject(Object.assign(new Error('HTTP 503'), { status: 503 }));
    for (let i = 0; i < 2; i++)
      await expect(call(spec, unavailable)).rejects.toBeInstanceOf(OperationError);
    const gauge = () =>
      metrics.registry.getSingleMetricAsString('secretsync_circuit_breaker_state');
    expect(await gauge()).toContain(
      'secretsync_circuit_breaker_state{dependency="aws:sts:us-east-1"} 2',
    );

    vi.advanceTimersByTime(30_000);
    await expect(call(spec, () => Promise.resolve('ok'))).resolves.toBe('ok');
    expect(await gauge()).toContain(
      'secretsync_circuit_breaker_state{dependency="aws:sts:us-east-1"} 0',
    );
    const changes = logs
      .lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.dependency === 'aws:sts:us-east-1');
    // Opening warns; trying again and closing are info.
    expect(changes.map((entry) => [entry.level, entry.from, entry.to, entry.at])).toEqual([
      [40, 'closed', 'open', '2026-01-01T00:00:00.000Z'],
      [30, 'open', 'half_open', '2026-01-01T00:00:30.000Z'],
      [30, 'half_open', 'closed', '2026-01-01T00:00:30.000Z'],
    ]);
    expect(changes[0]?.reason).toBe('2 failures within 10000ms');
  });

  it('passes every call through when breakers are disabled', async () => {
    const { call } = createExternalCaller({
      breaker: {
        enabled: false,
        failureThreshold: 1,
        intervalMs: 10_000,
        timeoutMs: 30_000,
        maxRequests: 1,
      },
      logger: createLogger({ level: 'error', format: 'json', destination: captureStream() }),
      metrics: createMetrics(),
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    });
    const spec = {
      dependency: 'vault:x',
      labels: { kind: 'vault' as const },
      operation: 'vault.read' as const,
      path: 'a',
    };
    for (let i = 0; i < 3; i++) {
      await expect(
        call(spec, () => Promise.reject(Object.assign(new Error('down'), { status: 503 }))),
      ).rejects.toThrow('down');
    }
    await expect(call(spec, () => Promise.resolve(1))).resolves.toBe(1);
  });
});
