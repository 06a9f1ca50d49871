import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/core/json.js';
import type { SyncRecord } from '../../../src/core/sync-record.js';
import type { MergeStore } from '../../../src/pipeline/ports.js';
import { startVaultPeer } from '../../support/vault-peer.js';
import type { VaultPeer } from '../../support/vault-peer.js';
import { vaultMergeStoreOn } from '../../support/vault-merge-store.js';
import { MemoryMergeStore } from './memory-merge-store.js';

// The port contract (SPEC.md), run against the fake and the Vault merge store alike.

let peer: VaultPeer;
let mounts = 0;
beforeAll(async () => {
  peer = await startVaultPeer();
});
afterAll(async () => {
  await peer.close();
});

async function vaultStore(): Promise<MergeStore> {
  mounts += 1;
  return (await vaultMergeStoreOn(peer, `contract-${mounts}`)).store();
}

const stores: [string, () => Promise<MergeStore>][] = [
  ['memory', () => Promise.resolve(new MemoryMergeStore())],
  ['vault', vaultStore],
];

const bundle = (entries: Record<string, JsonObject>) => new Map(Object.entries(entries));

describe.each(stores)('merge store contract (%s)', (_, create) => {
  it('reads nothing before a write, then exactly what was written', async () => {
    const store = await create();
    expect(await store.readBundle('T')).toBeUndefined();
    const first = bundle({ 'a/x': { k: 1 }, 'b/y': { k: 2 } });
    expect(await store.writeBundle('T', first)).toMatchObject({
      written: 2,
      removed: 0,
      unchanged: 0,
    });
    expect((await store.readBundle('T'))?.entries).toEqual(first);
  });

  it('counts changed, removed and unchanged entries, and an identical write changes nothing', async () => {
    const store = await create();
    await store.writeBundle('T', bundle({ 'a/x': { k: 1 }, 'b/y': { k: 2 }, 'c/z': { k: 3 } }));
    const next = bundle({ 'a/x': { k: 1 }, 'b/y': { k: 20 }, 'd/w': { k: 4 } });
    const changed = await store.writeBundle('T', next);
    expect(changed).toMatchObject({ written: 2, removed: 1, unchanged: 1 });
    expect(await store.readBundle('T')).toEqual({ entries: next, generation: changed.generation });
    const same = await store.writeBundle('T', next);
    expect(same).toEqual({ written: 0, removed: 0, unchanged: 3, generation: changed.generation });
    expect(await store.currentGeneration('T')).toBe(changed.generation);
  });

  it('keeps targets apart and round-trips the sync record', async () => {
    const store = await create();
    await store.writeBundle('T', bundle({ 'a/x': { k: 1 } }));
    expect(await store.readBundle('U')).toBeUndefined();
    expect(await store.readSyncRecord('T')).toBeUndefined();
    const record: SyncRecord = {
      accountId: '111111111111',
      region: 'us-east-1',
      secrets: new Map([['app/a/x', { hash: 'f'.repeat(64), version: 'v1', changed: undefined }]]),
    };
    await store.writeSyncRecord('T', record);
    expect(await store.readSyncRecord('T')).toEqual(record);
    expect(await store.readSyncRecord('U')).toBeUndefined();
  });
});
