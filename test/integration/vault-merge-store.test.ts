import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRIES_PER_PART } from '../../src/clients/vault/sharded-document.js';
import { VaultConnections } from '../../src/clients/vault/vault-connections.js';
import { VaultMergeStore } from '../../src/clients/vault/vault-merge-store.js';
import type { JsonObject } from '../../src/core/json.js';
import type { SyncRecord } from '../../src/core/sync-record.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';
import { configFrom, counterValue, testRuntime } from '../support/runtime.js';

// The merge store's own state: a bundle index (so an unchanged bundle costs LIST calls, not a
// read per entry) and the sync record, both kept as sharded documents under <mount>/.secretsync/.

let peer: VaultPeer;
let mountNumber = 0;
beforeAll(async () => {
  peer = await startVaultPeer();
});
afterAll(async () => {
  await peer.close();
});

/** A store on a fresh KV v2 mount, with its own metrics. */
async function freshStore() {
  mountNumber += 1;
  const mount = `store-${mountNumber}`;
  await peer.mount(mount, 2);
  const config = configFrom(
    `vault: {address: ${peer.address}}\nsources: {s: {vault: {mount: secret}}}\nmerge_store: {vault: {mount: ${mount}}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n`,
    { VAULT_TOKEN: peer.rootToken },
  );
  const runtime = testRuntime(config);
  const connections = new VaultConnections(config.vault, runtime.call, runtime.logger);
  const store = () => new VaultMergeStore(connections, mount, config.vault, runtime.logger);
  const count = (operation: string) =>
    counterValue(runtime.metrics, 'secretsync_vault_requests_total', { operation });
  return { mount, runtime, store, count };
}

function bundleOf(size: number, changed: Record<string, JsonObject> = {}) {
  const bundle = new Map<string, JsonObject>(
    Array.from({ length: size }, (_, i) => [`app${i % 4}/s${i}`, { i, password: `pw-${i}` }]),
  );
  for (const [path, value] of Object.entries(changed)) bundle.set(path, value);
  return bundle;
}

describe('Vault merge store with a bundle index', () => {
  it('confirms an unchanged bundle with LIST calls and the index, reading no entry', async () => {
    const { store, count } = await freshStore();
    expect(await store().writeBundle('T', bundleOf(40))).toMatchObject({ written: 40 });
    const readsBefore = await count('vault.read');
    const writesBefore = await count('vault.write');
    expect(await store().writeBundle('T', bundleOf(40))).toEqual({
      written: 0,
      removed: 0,
      unchanged: 40,
    });
    // One index head and one part; no entry of the bundle.
    expect((await count('vault.read')) - readsBefore).toBe(2);
    expect((await count('vault.write')) - writesBefore).toBe(0);
  });

  it('writes exactly the changed entries, removes the departed ones, and reads back what it wrote', async () => {
    const { store } = await freshStore();
    await store().writeBundle('T', bundleOf(20));
    const next = bundleOf(18, { 'app1/s1': { rotated: true } });
    expect(await store().writeBundle('T', next)).toEqual({ written: 1, removed: 2, unchanged: 17 });
    expect(await store().readBundle('T')).toEqual(
      new Map([...next].sort(([a], [b]) => (a < b ? -1 : 1))),
    );
  });

  it('rewrites an entry deleted outside SecretSync, found by the LIST calls', async () => {
    const { mount, store } = await freshStore();
    await store().writeBundle('T', bundleOf(10));
    await peer.api('DELETE', `${mount}/metadata/T/app2/s2`);
    expect(await store().writeBundle('T', bundleOf(10))).toMatchObject({ written: 1 });
    expect((await store().readBundle('T'))?.get('app2/s2')).toEqual({ i: 2, password: 'pw-2' });
  });

  it('refuses to hand out a bundle edited outside SecretSync, naming the entry and the fix', async () => {
    const { mount, store } = await freshStore();
    await store().writeBundle('T', bundleOf(10));
    await peer.api('POST', `${mount}/data/T/app3/s3`, { data: { password: 'edited' } });
    await expect(store().readBundle('T')).rejects.toThrow(
      new RegExp(
        `entry "app3/s3" differs from the bundle index.*remove vault ${mount}/\\.secretsync/T/bundle-index/head`,
      ),
    );
  });

  it('falls back to comparing every entry when the index cannot be used', async () => {
    const { mount, store, runtime } = await freshStore();
    await store().writeBundle('T', bundleOf(10));
    await peer.api('POST', `${mount}/data/.secretsync/T/bundle-index/part-0`, {
      data: { entries: { 'app0/s0': 'not the digest' } },
    });
    expect(await store().writeBundle('T', bundleOf(10, { 'app0/s0': { new: 1 } }))).toMatchObject({
      written: 1,
      unchanged: 9,
    });
    expect(runtime.logs.text()).toContain('bundle index of T ignored');
    // The index is whole again: the next unchanged write reads no entry.
    expect(await store().readBundle('T')).toBeDefined();
  });

  it(`splits a large index into parts of ${ENTRIES_PER_PART} and rewrites only the part that changed`, async () => {
    const { mount, store, count } = await freshStore();
    const size = ENTRIES_PER_PART * 2 + 10;
    await store().writeBundle('T', bundleOf(size));
    const parts = await peer.api('GET', `${mount}/metadata/.secretsync/T/bundle-index?list=true`);
    expect((parts.body as { data: { keys: string[] } }).data.keys.sort()).toEqual([
      'head',
      'part-0',
      'part-1',
      'part-2',
    ]);
    const writesBefore = await count('vault.write');
    await store().writeBundle('T', bundleOf(size, { 'app0/s0': { rotated: true } }));
    // The entry, one index part, and the head.
    expect((await count('vault.write')) - writesBefore).toBe(3);
  });
});

describe('Vault merge store sync record', () => {
  const record: SyncRecord = {
    accountId: '111111111111',
    region: 'eu-west-1',
    secrets: new Map([
      ['prod/a', { hash: 'a'.repeat(64), version: 'v-1', changed: '2026-01-01T00:00:00.000Z' }],
      ['prod/b', { hash: 'b'.repeat(64), version: undefined, changed: undefined }],
    ]),
  };

  it('stores and reads back a record; a target without one has none', async () => {
    const { store } = await freshStore();
    await store().writeSyncRecord('T', record);
    expect(await store().readSyncRecord('T')).toEqual(record);
    expect(await store().readSyncRecord('Other')).toBeUndefined();
  });

  it('treats a damaged record as absent and says so', async () => {
    const { mount, store, runtime } = await freshStore();
    await store().writeSyncRecord('T', record);
    await peer.api('POST', `${mount}/data/.secretsync/T/sync-record/part-0`, {
      data: { entries: { 'prod/a': ['short', null, null] } },
    });
    expect(await store().readSyncRecord('T')).toBeUndefined();
    expect(runtime.logs.text()).toMatch(/sync record at vault .* ignored: .*every value is read/);
  });
});
