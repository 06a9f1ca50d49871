import { mapLimit } from '../core/concurrency.js';
import { LockError } from '../core/errors.js';
import type { Lease, LeaseStore, StoredLease } from './ports.js';

/** How runs take turns on a target. */
export interface LockSettings {
  /** How long a run waits for a target another run holds before failing it (0: not at all). */
  readonly timeoutMs: number;
  /** How long a lease lasts unless renewed; it is renewed every third of it. */
  readonly ttlMs: number;
}

/** Who this run is, as its leases say. */
export interface LockOwner {
  readonly runId: string;
  /** `user@host`. */
  readonly holder: string;
  readonly host: string;
  readonly pid: number;
}

/** What the run lock works with: the lease store, the clock and a way to tell the operator. */
export interface RunLockDeps {
  readonly store: LeaseStore;
  readonly owner: LockOwner;
  readonly settings: LockSettings;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** True when a process with this pid runs on this host (asked only of this host's leases). */
  readonly processAlive: (pid: number) => boolean;
  readonly notice: (level: 'info' | 'warn' | 'error', target: string, message: string) => void;
}

/** Leases taken at once on the first try; beyond that, one by one in name order. */
const PARALLEL_TAKES = 8;
/** How often a waiting run looks again. */
const POLL_MS = 1_000;
/** Conditional writes lost in a row before a target counts as held by someone else. */
const MAX_RACES = 5;

type TakeResult = { readonly taken: true } | { readonly taken: false; readonly holder: Lease };

/**
 * The run lock: a lease per target in the merge store, taken before a run reads or writes
 * anything for the target, renewed while the run lasts and released at its end. Every write is
 * conditional on the lease read just before (KV v2 `cas`, S3 `If-Match`), so of two runs that
 * race for a target exactly one wins. A lease past its expiry, released, unreadable, or left by
 * a process of this host that no longer runs is taken over (and said so).
 */
export class RunLocks {
  private readonly held = new Map<string, { token: string; lease: Lease }>();
  private readonly lost = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RunLockDeps) {}

  /**
   * Takes a lease on each target, waiting up to the lock timeout for held ones. Returns the
   * targets that could not be taken, each with its error: the {@link LockError} that names the
   * holder, or the lease store's own failure.
   */
  async acquire(targets: readonly string[]): Promise<Map<string, unknown>> {
    const names = [...new Set(targets)].sort();
    const refusals = new Map<string, unknown>();
    // A store that cannot be reached (Vault sealed, S3 denied) fails the target with its error.
    const attempt = (name: string) =>
      this.take(name).catch((error: unknown) => {
        refusals.set(name, error);
        return { taken: true } as const;
      });
    const first = await mapLimit(names, PARALLEL_TAKES, attempt);
    const blocked = names.flatMap((name, i) => {
      const result = first[i];
      return result === undefined || result.taken ? [] : [{ name, holder: result.holder }];
    });
    if (blocked.length > 0 && this.deps.settings.timeoutMs > 0) {
      // Waiting while holding could deadlock with a run waiting for ours: let go, then take all
      // in name order, so two waiting runs always queue the same way.
      await this.releaseHeld();
      const deadline = this.deps.now() + this.deps.settings.timeoutMs;
      for (const name of names) {
        if (refusals.has(name)) continue;
        try {
          const holder = await this.takeWaiting(name, deadline);
          if (holder !== undefined) refusals.set(name, this.heldError(name, holder, true));
        } catch (error) {
          refusals.set(name, error);
        }
      }
    } else {
      for (const { name, holder } of blocked)
        refusals.set(name, this.heldError(name, holder, false));
    }
    if (this.held.size > 0) this.startRenewal();
    return refusals;
  }

  /** Throws when this run's lease on the target was lost (taken over): stop writing for it. */
  check(target: string): void {
    const reason = this.lost.get(target);
    if (reason !== undefined) throw new LockError('lock_lost', reason);
  }

  /** True once this run's lease on the target was lost. */
  isLost(target: string): boolean {
    return this.lost.has(target);
  }

  /** Stops renewing and releases every lease this run holds. Never throws. */
  async release(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.renewing;
    await this.releaseHeld();
  }

  /** One attempt to take the target's lease; a lost race is retried with what won it. */
  private async take(target: string): Promise<TakeResult> {
    for (let race = 0; race < MAX_RACES; race++) {
      const stored = await this.deps.store.readLease(target);
      const blocker = stored === undefined ? undefined : this.liveHolder(target, stored);
      if (blocker !== undefined) return { taken: false, holder: blocker };
      const lease = this.newLease();
      const token = await this.deps.store.writeLease(target, lease, stored?.token);
      if (token !== undefined) {
        this.held.set(target, { token, lease });
        return { taken: true };
      }
    }
    const stored = await this.deps.store.readLease(target);
    const holder = stored?.lease ?? this.newLease();
    return { taken: false, holder };
  }

  /** Takes the lease, polling until the deadline; the last holder seen when it passes. */
  private async takeWaiting(target: string, deadline: number): Promise<Lease | undefined> {
    let announced = false;
    for (;;) {
      const result = await this.take(target);
      if (result.taken) return undefined;
      const left = deadline - this.deps.now();
      if (left <= 0) return result.holder;
      if (!announced) {
        this.deps.notice(
          'info',
          target,
          `waiting up to ${seconds(left)} for ${target}: ${describeHolder(result.holder)}`,
        );
        announced = true;
      }
      await this.deps.sleep(Math.min(POLL_MS, left));
    }
  }

  /** The stored lease when another run holds it now; undefined when it may be taken. */
  private liveHolder(target: string, stored: StoredLease): Lease | undefined {
    const lease = stored.lease;
    if (lease === undefined) {
      this.deps.notice(
        'warn',
        target,
        `the lock of ${target} at ${this.deps.store.describeLease(target).where} is not a SecretSync lease: taking it over`,
      );
      return undefined;
    }
    if (lease.released || lease.runId === this.deps.owner.runId) return undefined;
    if (Date.parse(lease.expiresAt) <= this.deps.now()) {
      this.deps.notice(
        'warn',
        target,
        `took over the lock of ${target}: its lease expired at ${lease.expiresAt} (${describeHolder(lease)}; that run stopped renewing it, so it crashed, hung or lost its connection)`,
      );
      return undefined;
    }
    const { host, pid } = this.deps.owner;
    if (lease.host === host && lease.pid !== pid && !this.deps.processAlive(lease.pid)) {
      this.deps.notice(
        'warn',
        target,
        `took over the lock of ${target}: ${describeHolder(lease)}, but no process ${lease.pid} runs on this host any more`,
      );
      return undefined;
    }
    return lease;
  }

  private newLease(): Lease {
    const now = this.deps.now();
    const { runId, holder, host, pid } = this.deps.owner;
    return {
      holder,
      host,
      pid,
      runId,
      startedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.deps.settings.ttlMs).toISOString(),
      released: false,
    };
  }

  private startRenewal(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.renewing = this.renewing.then(() => this.renewAll());
    }, this.deps.settings.ttlMs / 3);
    this.timer.unref();
  }

  /** Extends every held lease; a lease someone else took is lost, and its target stops writing. */
  private async renewAll(): Promise<void> {
    await mapLimit([...this.held], PARALLEL_TAKES, async ([target, { token, lease }]) => {
      const renewed = {
        ...lease,
        expiresAt: new Date(this.deps.now() + this.deps.settings.ttlMs).toISOString(),
      };
      try {
        const next = await this.deps.store.writeLease(target, renewed, token);
        if (next !== undefined) {
          this.held.set(target, { token: next, lease: renewed });
          return;
        }
        this.markLost(target, 'another run took it over');
      } catch (error) {
        if (Date.parse(lease.expiresAt) > this.deps.now()) {
          this.deps.notice(
            'warn',
            target,
            `could not renew the lock of ${target} (${(error as Error).message}); trying again, it expires at ${lease.expiresAt}`,
          );
          return;
        }
        this.markLost(target, `it expired at ${lease.expiresAt} while renewals failed`);
      }
    });
  }

  private markLost(target: string, why: string): void {
    this.held.delete(target);
    const message = `this run lost its lock of ${target} (${why}): writing for ${target} stopped; what was already written stays. Run again to finish; keep pipeline.lock.ttl well above pauses of this process (now ${seconds(this.deps.settings.ttlMs)})`;
    this.lost.set(target, message);
    this.deps.notice('error', target, message);
  }

  private async releaseHeld(): Promise<void> {
    const held = [...this.held];
    this.held.clear();
    await mapLimit(held, PARALLEL_TAKES, async ([target, { token, lease }]) => {
      const released = {
        ...lease,
        expiresAt: new Date(this.deps.now()).toISOString(),
        released: true,
      };
      try {
        if ((await this.deps.store.writeLease(target, released, token)) === undefined)
          this.deps.notice('warn', target, `the lock of ${target} was taken over before release`);
      } catch (error) {
        this.deps.notice(
          'warn',
          target,
          `the lock of ${target} was not released (${(error as Error).message}); it expires at ${lease.expiresAt}`,
        );
      }
    });
  }

  private heldError(target: string, holder: Lease, waited: boolean): LockError {
    const { where, removeWith } = this.deps.store.describeLease(target);
    const wait = waited
      ? `it was still held after waiting ${seconds(this.deps.settings.timeoutMs)}`
      : 'wait for that run to finish, or pass --lock-timeout 10m (pipeline.lock.timeout) to wait for it';
    return new LockError(
      'lock_held',
      `${target} is locked by another run: ${describeHolder(holder)}. Nothing was read or written for ${target}; ${wait}. If that run is gone, its lease expires by itself at ${holder.expiresAt}; to break it now, remove ${where} (${removeWith})`,
    );
  }
}

function describeHolder(lease: Lease): string {
  return `${lease.holder} (run ${lease.runId}, pid ${lease.pid}) holds it since ${lease.startedAt}, lease until ${lease.expiresAt}`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}
