import type { Lease, LeaseStore, StoredLease } from '../../../src/pipeline/ports.js';

/*
 * The LeaseStore port in memory: every write is conditional on the token of what is stored, as
 * Vault's `cas` and S3's If-Match / If-None-Match are. lease-contract.test.ts runs the same checks
 * against the Vault and S3 lease stores.
 */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { lease: Lease | undefined; token: number }>();
  private version = 0;
  /** Writes refused because another writer came first, per target. */
  readonly conflicts = new Map<string, number>();

  readLease(target: string): Promise<StoredLease | undefined> {
    const stored = this.leases.get(target);
    return Promise.resolve(
      stored === undefined ? undefined : { lease: stored.lease, token: String(stored.token) },
    );
  }

  writeLease(
    target: string,
    lease: Lease,
    expected: string | undefined,
  ): Promise<string | undefined> {
    const stored = this.leases.get(target);
    if ((stored === undefined ? undefined : String(stored.token)) !== expected) {
      this.conflicts.set(target, (this.conflicts.get(target) ?? 0) + 1);
      return Promise.resolve(undefined);
    }
    this.version += 1;
    this.leases.set(target, { lease, token: this.version });
    return Promise.resolve(String(this.version));
  }

  describeLease(target: string): { where: string; removeWith: string } {
    return { where: `memory:${target}.lock`, removeWith: `forget ${target}` };
  }

  /** The stored lease (what another run would read). */
  stored(target: string): Lease | undefined {
    return this.leases.get(target)?.lease;
  }

  /** Stores a lease as another run would have (unconditionally). */
  seed(target: string, lease: Lease | undefined): void {
    this.version += 1;
    this.leases.set(target, { lease, token: this.version });
  }
}
