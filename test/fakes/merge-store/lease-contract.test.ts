import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClientFactory } from '../../../src/clients/aws/client-factory.js';
import { S3MergeStore } from '../../../src/clients/aws/s3-merge-store.js';
import type { Lease, LeaseStore } from '../../../src/pipeline/ports.js';
import { startAwsPeer } from '../../support/aws-peer.js';
import type { AwsPeer } from '../../support/aws-peer.js';
import { configFrom, testRuntime } from '../../support/runtime.js';
import { vaultMergeStoreOn } from '../../support/vault-merge-store.js';
import { startVaultPeer } from '../../support/vault-peer.js';
import type { VaultPeer } from '../../support/vault-peer.js';
import { MemoryLeaseStore } from './memory-lease-store.js';

// The LeaseStore contract, against the fake and both real stores: every write is conditional,
// so of two writers that read the same lease exactly one wins.

let vault: VaultPeer;
let aws: AwsPeer;
let stores = 0;
beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

async function vaultLeases(): Promise<LeaseStore> {
  stores += 1;
  return (await vaultMergeStoreOn(vault, `leases-${stores}`)).store().leaseStore();
}

async function s3Leases(): Promise<LeaseStore> {
  stores += 1;
  const bucket = `leases-${stores}`;
  const raw = new S3Client({ region: 'us-east-1', endpoint: aws.endpoint, forcePathStyle: true });
  await raw.send(new CreateBucketCommand({ Bucket: bucket }));
  raw.destroy();
  const config = configFrom(
    `aws: {region: us-east-1, endpoint: '${aws.endpoint}'}\nsources: {s: {vault: {mount: secret}}}\nvault: {address: 'http://127.0.0.1:1'}\nmerge_store: {s3: {bucket: ${bucket}, prefix: state/, region: us-east-1}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n`,
  );
  const runtime = testRuntime(config);
  const factory = new AwsClientFactory(
    config.aws,
    { call: runtime.call, metrics: runtime.metrics },
    {},
  );
  const client = factory.client('s3', { kind: 'caller', accountId: 'caller' }, 'us-east-1');
  return new S3MergeStore(
    client,
    { bucket, prefix: 'state/', kmsKeyId: undefined, region: 'us-east-1' },
    runtime.logger,
  ).leaseStore();
}

const kinds: [string, () => Promise<LeaseStore>][] = [
  ['memory', () => Promise.resolve(new MemoryLeaseStore())],
  ['vault', vaultLeases],
  ['s3', s3Leases],
];

const lease = (runId: string, released = false): Lease => ({
  holder: 'ops@host-a',
  host: 'host-a',
  pid: 42,
  runId,
  startedAt: '2026-12-04T10:00:00.000Z',
  expiresAt: '2026-12-04T10:02:00.000Z',
  released,
});

describe.each(kinds)('lease store contract (%s)', (_, create) => {
  it('has no lease at first; a first write succeeds only where there is none', async () => {
    const store = await create();
    expect(await store.readLease('T')).toBeUndefined();
    const token = await store.writeLease('T', lease('run-1'), undefined);
    expect(token).toBeDefined();
    expect(await store.readLease('T')).toEqual({ lease: lease('run-1'), token });
    // A second "first" write loses: the lease exists now.
    expect(await store.writeLease('T', lease('run-2'), undefined)).toBeUndefined();
    expect((await store.readLease('T'))?.lease?.runId).toBe('run-1');
  });

  it('replaces a lease only at the token read; of two writers with the same token one wins', async () => {
    const store = await create();
    const first = await store.writeLease('T', lease('run-1'), undefined);
    const renewed = await store.writeLease('T', lease('run-1'), first);
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(first);
    expect(await store.writeLease('T', lease('run-2'), first)).toBeUndefined();
    expect(await store.writeLease('T', lease('run-1', true), renewed)).toBeDefined();
    expect((await store.readLease('T'))?.lease).toEqual(lease('run-1', true));
  });

  it('keeps targets apart and says where a lease lives', async () => {
    const store = await create();
    await store.writeLease('T', lease('run-1'), undefined);
    expect(await store.readLease('U')).toBeUndefined();
    const { where, removeWith } = store.describeLease('T');
    expect(where).toContain('T');
    expect(removeWith).toContain('T');
  });
});
