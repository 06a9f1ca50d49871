import { joinPath } from '../../core/secret-path.js';
import { OperationError } from '../../context/operation-error.js';
import type { Lease, LeaseStore, StoredLease } from '../../pipeline/ports.js';
import { decodeLease, encodeLease } from '../lease-codec.js';
import type { KvLocation } from './vault-connections.js';
import { STATE_FOLDER } from './walk.js';

/**
 * Leases in the Vault merge store: one KV v2 secret per target at
 * `<mount>/.secretsync/<target>/lock`, written with `cas` (the token is its version).
 */
export class VaultLeaseStore implements LeaseStore {
  constructor(
    private readonly state: () => Promise<KvLocation>,
    private readonly mount: string,
  ) {}

  async readLease(target: string): Promise<StoredLease | undefined> {
    const { client, folder } = await this.state();
    const stored = await client.readVersion(joinPath(folder, lockPath(target)));
    if (stored === undefined) return undefined;
    return { lease: decodeLease(stored.data), token: String(stored.version) };
  }

  async writeLease(
    target: string,
    lease: Lease,
    expected: string | undefined,
  ): Promise<string | undefined> {
    const { client, folder } = await this.state();
    try {
      const version = await client.write(
        joinPath(folder, lockPath(target)),
        encodeLease(lease),
        expected === undefined ? 0 : Number(expected),
      );
      return String(version ?? 0);
    } catch (error) {
      if (error instanceof OperationError && error.fields.outcome === 'conflict') return undefined;
      throw error;
    }
  }

  describeLease(target: string): { where: string; removeWith: string } {
    const path = joinPath(this.mount, STATE_FOLDER, lockPath(target));
    return { where: `vault ${path}`, removeWith: `vault kv metadata delete ${path}` };
  }
}

function lockPath(target: string): string {
  return joinPath(target, 'lock');
}
