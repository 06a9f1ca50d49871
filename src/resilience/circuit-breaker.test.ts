import { describe, expect, it } from 'vitest';
import { CircuitBreaker, isRejection } from './circuit-breaker.js';
import type { BreakerPermit, BreakerRejection, BreakerTransition } from './circuit-breaker.js';

const settings = { failureThreshold: 5, intervalMs: 10_000, timeoutMs: 30_000, maxRequests: 1 };

function setup(overrides: Partial<typeof settings> = {}) {
  const clock = { now: 1_000_000 };
  const transitions: BreakerTransition[] = [];
  const breaker = new CircuitBreaker(
    'vault:test',
    { ...settings, ...overrides },
    () => clock.now,
    (t) => transitions.push(t),
  );
  const fail = () => {
    permit(breaker.acquire()).release('failure');
  };
  return { clock, transitions, breaker, fail };
}

function permit(value: BreakerPermit | BreakerRejection): BreakerPermit {
  if (isRejection(value))
    throw new Error(`expected a permit, got a rejection until ${value.retryAt}`);
  return value;
}

describe('CircuitBreaker', () => {
  it('opens after 5 failures within 10 s', () => {
    const { breaker, fail, clock, transitions } = setup();
    for (let i = 0; i < 4; i++) {
      fail();
      clock.now += 2_000;
    }
    expect(breaker.state).toBe('closed');
    fail();
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual([
      {
        dependency: 'vault:test',
        from: 'closed',
        to: 'open',
        reason: '5 failures within 10000ms',
        at: 1_008_000,
      },
    ]);
  });

  it('stays closed after 5 failures spread over 11 s', () => {
    const { breaker, fail, clock } = setup();
    for (let i = 0; i < 5; i++) {
      fail();
      clock.now += 2_750;
    }
    expect(breaker.state).toBe('closed');
  });

  it('rejects at once while open and says when it will retry', () => {
    const { breaker, fail, clock } = setup();
    for (let i = 0; i < 5; i++) fail();
    clock.now += 29_999;
    const refused = breaker.acquire();
    expect(isRejection(refused)).toBe(true);
    expect(refused).toMatchObject({ dependency: 'vault:test', retryAt: 1_030_000 });
  });

  it('lets exactly one trial call through when half-open; success closes it', () => {
    const { breaker, fail, clock, transitions } = setup();
    for (let i = 0; i < 5; i++) fail();
    clock.now += 30_000;
    expect(breaker.state).toBe('half_open');
    const trial = permit(breaker.acquire());
    expect(isRejection(breaker.acquire())).toBe(true);
    trial.release('success');
    expect(breaker.state).toBe('closed');
    expect(transitions.map((t) => t.to)).toEqual(['open', 'half_open', 'closed']);
    // Closed again with a clean window: four new failures do not reopen it.
    for (let i = 0; i < 4; i++) fail();
    expect(breaker.state).toBe('closed');
  });

  it('reopens when the trial call fails, for another full timeout', () => {
    const { breaker, fail, clock } = setup();
    for (let i = 0; i < 5; i++) fail();
    clock.now += 30_000;
    permit(breaker.acquire()).release('failure');
    expect(breaker.state).toBe('open');
    clock.now += 29_000;
    expect(breaker.state).toBe('open');
    clock.now += 1_000;
    expect(breaker.state).toBe('half_open');
  });

  it('honours max_requests trial calls', () => {
    const { breaker, fail, clock } = setup({ maxRequests: 2 });
    for (let i = 0; i < 5; i++) fail();
    clock.now += 30_000;
    const first = permit(breaker.acquire());
    const second = permit(breaker.acquire());
    expect(isRejection(breaker.acquire())).toBe(true);
    first.release('success');
    expect(breaker.state).toBe('half_open');
    second.release('success');
    expect(breaker.state).toBe('closed');
  });

  it('counts a permit only once', () => {
    const { breaker } = setup({ failureThreshold: 2 });
    const single = permit(breaker.acquire());
    single.release('failure');
    single.release('failure');
    expect(breaker.state).toBe('closed');
  });
});
