import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountWriteLimiter } from './account-write-limiter.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('AccountWriteLimiter', () => {
  it('keeps at most `concurrency` calls in flight per account and region, not across accounts', async () => {
    const limiter = new AccountWriteLimiter({ concurrency: 2, perSecond: 1000 });
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const call = (key: string) => async () => {
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      peak.set(key, Math.max(peak.get(key) ?? 0, inFlight.get(key) ?? 0));
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight.set(key, (inFlight.get(key) ?? 0) - 1);
      return key;
    };
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => limiter.run('111111111111', 'us-east-1', call('a'))),
      ...Array.from({ length: 6 }, () => limiter.run('111111111111', 'eu-west-1', call('b'))),
      ...Array.from({ length: 6 }, () => limiter.run('222222222222', 'us-east-1', call('c'))),
    ]);
    expect(results.filter((r) => r === 'a')).toHaveLength(6);
    expect(Object.fromEntries(peak)).toEqual({ a: 2, b: 2, c: 2 });
  });

  it('starts at most `perSecond` calls in any one-second window', async () => {
    vi.useFakeTimers();
    const limiter = new AccountWriteLimiter({ concurrency: 100, perSecond: 5 });
    let started = 0;
    const all = Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.run('111111111111', 'us-east-1', () => {
          started += 1;
          return Promise.resolve();
        }),
      ),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toBe(5);
    await vi.advanceTimersByTimeAsync(999);
    expect(started).toBe(5);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toBe(10);
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(12);
    await all;
  });

  it('passes a failed call through to the caller', async () => {
    const limiter = new AccountWriteLimiter({ concurrency: 1, perSecond: 10 });
    await expect(
      limiter.run('111111111111', 'us-east-1', () => Promise.reject(new Error('denied'))),
    ).rejects.toThrow('denied');
    await expect(limiter.run('111111111111', 'us-east-1', () => Promise.resolve(7))).resolves.toBe(
      7,
    );
  });
});
