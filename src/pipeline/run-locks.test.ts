import { describe, expect, it } from 'vitest';
import { MemoryLeaseStore } from '../../test/fakes/merge-store/memory-lease-store.js';
import type { LockError } from '../core/errors.js';
import type { Lease } from './ports.js';
import { RunLocks } from './run-locks.js';
import type { RunLockDeps } from './run-locks.js';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');

/** A run lock over the in-memory store with a clock the test moves (sleeping moves it too). */
function locksFor(
  store: MemoryLeaseStore,
  overrides: Partial<RunLockDeps> & { runId?: string; clock?: { now: number } } = {},
) {
  const clock = overrides.clock ?? { now: T0 };
  const notices: string[] = [];
  const locks = new RunLocks({
    store,
    owner: {
      runId: overrides.runId ?? 'run-me',
      holder: 'me@host-a',
      host: 'host-a',
      pid: 1000,
    },
    settings: { timeoutMs: 0, ttlMs: 120_000 },
    now: () => clock.now,
    sleep: (ms) => {
      clock.now += ms;
      return Promise.resolve();
    },
    processAlive: () => true,
    notice: (level, target, message) => notices.push(`${level} ${target}: ${message}`),
    ...overrides,
  });
  return { locks, notices, clock };
}

const other = (fields: Partial<Lease> = {}): Lease => ({
  holder: 'ci@runner-7',
  host: 'runner-7',
  pid: 4242,
  runId: 'run-other',
  startedAt: new Date(T0 - 30_000).toISOString(),
  expiresAt: new Date(T0 + 90_000).toISOString(),
  released: false,
  ...fields,
});

describe('RunLocks', () => {
  it('takes a lease on each target, holding them for this run, and releases them at the end', async () => {
    const store = new MemoryLeaseStore();
    const { locks } = locksFor(store);
    expect(await locks.acquire(['B', 'A', 'B'])).toEqual(new Map());
    expect(store.stored('A')).toMatchObject({
      runId: 'run-me',
      holder: 'me@host-a',
      released: false,
      expiresAt: new Date(T0 + 120_000).toISOString(),
    });
    await locks.release();
    expect(store.stored('A')?.released).toBe(true);
    expect(store.stored('B')?.released).toBe(true);
  });

  it('refuses a target another run holds, naming the holder and how to break the lock; the others are taken', async () => {
    const store = new MemoryLeaseStore();
    store.seed('Prod', other());
    const { locks } = locksFor(store);
    const refused = await locks.acquire(['Prod', 'Stage']);
    expect([...refused.keys()]).toEqual(['Prod']);
    const error = refused.get('Prod') as LockError | undefined;
    expect(error?.code).toBe('lock_held');
    expect(error?.message).toBe(
      'Prod is locked by another run: ci@runner-7 (run run-other, pid 4242) holds it since 2026-12-04T09:59:30.000Z, lease until 2026-12-04T10:01:30.000Z. Nothing was read or written for Prod; wait for that run to finish, or pass --lock-timeout 10m (pipeline.lock.timeout) to wait for it. If that run is gone, its lease expires by itself at 2026-12-04T10:01:30.000Z; to break it now, remove memory:Prod.lock (forget Prod)',
    );
    expect(store.stored('Prod')?.runId).toBe('run-other');
    expect(store.stored('Stage')?.runId).toBe('run-me');
    await locks.release();
    // Only what this run held is released.
    expect(store.stored('Prod')?.released).toBe(false);
  });

  it('takes over an expired, released or unreadable lease, saying so for the expired and unreadable ones', async () => {
    const store = new MemoryLeaseStore();
    store.seed('Expired', other({ expiresAt: new Date(T0 - 1).toISOString() }));
    store.seed('Released', other({ released: true }));
    store.seed('Garbage', undefined);
    const { locks, notices } = locksFor(store);
    expect(await locks.acquire(['Expired', 'Released', 'Garbage'])).toEqual(new Map());
    for (const name of ['Expired', 'Released', 'Garbage'])
      expect(store.stored(name)?.runId).toBe('run-me');
    expect(notices).toEqual([
      expect.stringMatching(
        /^warn Expired: took over the lock of Expired: its lease expired at 2026-12-04T09:59:59.999Z \(ci@runner-7/,
      ),
      expect.stringMatching(
        /^warn Garbage: the lock of Garbage at memory:Garbage.lock is not a SecretSync lease: taking it over$/,
      ),
    ]);
  });

  it('takes over a live lease of a process of this host that no longer runs, not of one that does', async () => {
    const store = new MemoryLeaseStore();
    store.seed('Dead', other({ host: 'host-a', pid: 7 }));
    store.seed('Alive', other({ host: 'host-a', pid: 8 }));
    store.seed('Elsewhere', other({ host: 'runner-7', pid: 7 }));
    const { locks, notices } = locksFor(store, { processAlive: (pid) => pid === 8 });
    const refused = await locks.acquire(['Dead', 'Alive', 'Elsewhere']);
    expect([...refused.keys()].sort()).toEqual(['Alive', 'Elsewhere']);
    expect(store.stored('Dead')?.runId).toBe('run-me');
    expect(notices.join('\n')).toContain('no process 7 runs on this host any more');
  });

  it('waits for a held target up to the timeout and takes it once released, in name order', async () => {
    const store = new MemoryLeaseStore();
    store.seed('Prod', other());
    const clock = { now: T0 };
    let polls = 0;
    const { locks, notices } = locksFor(store, {
      clock,
      settings: { timeoutMs: 60_000, ttlMs: 120_000 },
      sleep: (ms) => {
        clock.now += ms;
        polls += 1;
        if (polls === 3) store.seed('Prod', other({ released: true }));
        return Promise.resolve();
      },
    });
    expect(await locks.acquire(['Stage', 'Prod'])).toEqual(new Map());
    expect(store.stored('Prod')?.runId).toBe('run-me');
    expect(store.stored('Stage')?.runId).toBe('run-me');
    expect(clock.now - T0).toBe(3_000);
    expect(notices).toEqual([
      expect.stringMatching(/^info Prod: waiting up to 60s for Prod: ci@runner-7 \(run run-other/),
    ]);
  });

  it('gives up after the timeout, saying it waited', async () => {
    const store = new MemoryLeaseStore();
    store.seed('Prod', other({ expiresAt: new Date(T0 + 3_600_000).toISOString() }));
    const { locks, clock } = locksFor(store, { settings: { timeoutMs: 5_000, ttlMs: 120_000 } });
    const refused = await locks.acquire(['Prod']);
    expect((refused.get('Prod') as LockError | undefined)?.message).toMatch(
      /it was still held after waiting 5s/,
    );
    expect(clock.now - T0).toBe(5_000);
  });

  it('of two runs racing for the same targets, each target goes to exactly one', async () => {
    const store = new MemoryLeaseStore();
    const names = Array.from({ length: 20 }, (_, i) => `T${i}`);
    const first = locksFor(store, { runId: 'run-1' }).locks;
    const second = locksFor(store, { runId: 'run-2' }).locks;
    const [a, b] = await Promise.all([first.acquire(names), second.acquire(names)]);
    for (const name of names) {
      const holder = store.stored(name)?.runId;
      expect(holder === 'run-1' ? a.has(name) : b.has(name)).toBe(false);
      expect(holder === 'run-1' ? b.has(name) : a.has(name)).toBe(true);
    }
  });

  it('renews its leases while the run lasts; a lease taken over meanwhile is lost and stops writing', async () => {
    const store = new MemoryLeaseStore();
    const clock = { now: T0 };
    const { locks, notices } = locksFor(store, { clock, settings: { timeoutMs: 0, ttlMs: 3_000 } });
    await locks.acquire(['Kept', 'Stolen']);
    expect(() => {
      locks.check('Stolen');
    }).not.toThrow();
    store.seed('Stolen', other());
    clock.now += 1_000;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(store.stored('Kept')?.expiresAt).toBe(new Date(T0 + 4_000).toISOString());
    expect(locks.isLost('Stolen')).toBe(true);
    expect(() => {
      locks.check('Stolen');
    }).toThrow(
      /this run lost its lock of Stolen \(another run took it over\): writing for Stolen stopped/,
    );
    expect(notices.join('\n')).toContain('error Stolen: this run lost its lock of Stolen');
    await locks.release();
    expect(store.stored('Stolen')?.runId).toBe('run-other');
    expect(store.stored('Kept')?.released).toBe(true);
  });
});

describe('RunLocks when the lease store fails', () => {
  it('fails only the targets whose lease could not be read, with the store error', async () => {
    const store = new MemoryLeaseStore();
    const broken = new Error('Vault is sealed');
    const failing = Object.assign(Object.create(store) as MemoryLeaseStore, {
      readLease: (target: string) =>
        target === 'Sealed' ? Promise.reject(broken) : store.readLease(target),
    });
    const { locks } = locksFor(failing);
    const refused = await locks.acquire(['Sealed', 'Fine']);
    expect([...refused]).toEqual([['Sealed', broken]]);
    expect(store.stored('Fine')?.runId).toBe('run-me');
  });
});
