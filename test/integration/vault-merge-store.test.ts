import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRIES_PER_PART } from '../../src/clients/vault/sharded-document.js';
import type { JsonObject } from '../../src/core/json.js';
import type { SyncRecord } from '../../src/core/sync-record.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';
import { counterValue } from '../support/runtime.js';
import { vaultMergeStoreOn } from '../support/vault-merge-store.js';

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
  const { runtime, store } = await vaultMergeStoreOn(peer, mount);
  const count = (operation: string) =>
    counterValue(runtime.metrics, 'secretsync_vault_requests_total', { operation });
  return { mount, runtime, store, count };
}

/** The parts of a document of target T (the bundle index by default), the head excluded. */
async function indexParts(mount: string, folder = 'bundle-index'): Promise<string[]> {
  const listed = await peer.api('GET', `${mount}/metadata/.secretsync/T/${folder}?list=true`);
  const keys = (listed.body as { data: { keys: string[] } }).data.keys;
  return keys.filter((key) => key !== 'head').sort();
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
      generation: '1',
    });
    // One index head and one part; no entry of the bundle.
    expect((await count('vault.read')) - readsBefore).toBe(2);
    expect((await count('vault.write')) - writesBefore).toBe(0);
  });

  it('writes exactly the changed entries, removes the departed ones, and reads back what it wrote', async () => {
    const { store } = await freshStore();
    await store().writeBundle('T', bundleOf(20));
    const next = bundleOf(18, { 'app1/s1': { rotated: true } });
    expect(await store().writeBundle('T', next)).toEqual({
      written: 1,
      removed: 2,
      unchanged: 17,
      generation: '2',
    });
    expect(await store().readBundle('T')).toEqual({
      entries: new Map([...next].sort(([a], [b]) => (a < b ? -1 : 1))),
      generation: '2',
    });
  });

  it('rewrites an entry deleted outside SecretSync, found by the LIST calls', async () => {
    const { mount, store } = await freshStore();
    await store().writeBundle('T', bundleOf(10));
    await peer.api('DELETE', `${mount}/metadata/T/app2/s2`);
    expect(await store().writeBundle('T', bundleOf(10))).toMatchObject({ written: 1 });
    expect((await store().readBundle('T'))?.entries.get('app2/s2')).toEqual({
      i: 2,
      password: 'pw-2',
    });
  });

  it('hands out the generation it indexed when an entry is edited outside SecretSync, and says so', async () => {
    const { mount, store, runtime } = await freshStore();
    await store().writeBundle('T', bundleOf(10));
    await peer.api('POST', `${mount}/data/T/app3/s3`, { data: { password: 'edited' } });
    const read = await store().readBundle('T');
    expect(read?.entries.get('app3/s3')).toEqual({ i: 3, password: 'pw-3' });
    expect(read?.generation).toBe('1');
    expect(runtime.logs.text()).toMatch(
      /1 entry of T's bundle changed outside SecretSync after generation 1 \(first: \\"app3\/s3\\"\)/,
    );
  });

  it('refuses a generation whose entry version was destroyed outside SecretSync, naming it and the fix', async () => {
    const { mount, store } = await freshStore();
    await store().writeBundle('T', bundleOf(10));
    await peer.api('DELETE', `${mount}/metadata/T/app3/s3`);
    await expect(store().readBundle('T')).rejects.toThrow(
      /entry "app3\/s3" of generation 1 of T's bundle is gone .*run the merge phase for T again/,
    );
  });

  it('falls back to comparing every entry when the index cannot be used', async () => {
    const { mount, store, runtime } = await freshStore();
    await store().writeBundle('T', bundleOf(10));
    const [part] = await indexParts(mount);
    await peer.api('POST', `${mount}/data/.secretsync/T/bundle-index/${part ?? ''}`, {
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
    const parts = await indexParts(mount);
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part).toMatch(/^part-[0-9a-f]{32}$/);
    const writesBefore = await count('vault.write');
    await store().writeBundle('T', bundleOf(size, { 'app0/s0': { rotated: true } }));
    // The entry, one index part (a new name: parts are named by their digest), and the head.
    expect((await count('vault.write')) - writesBefore).toBe(3);
    // The part the new head no longer names is removed once the head is written.
    const after = await indexParts(mount);
    expect(after).toHaveLength(3);
    expect(after.filter((part) => !parts.includes(part))).toHaveLength(1);
  });
});

describe('Vault merge store generations', () => {
  const rotated = (size: number) =>
    new Map([...bundleOf(size)].map(([path, value]) => [path, { ...value, password: 'rotated' }]));
  const sorted = (bundle: Map<string, JsonObject>) =>
    new Map([...bundle].sort(([a], [b]) => (a < b ? -1 : 1)));
  const failWrites = (mount: string, path: string, extra: Record<string, unknown> = {}) =>
    peer.control('POST', 'faults', {
      path: `^${mount}/data/T/${path}$`,
      method: 'POST',
      status: 503,
      ...extra,
    });

  it('a write cut short leaves the previous generation whole: a reader gets it, never a mix', async ({
    skip,
  }) => {
    if (!peer.local) skip('needs fault injection, which only our Vault-compatible server has');
    const { mount, store } = await freshStore();
    await store().writeBundle('T', bundleOf(20));
    await failWrites(mount, 'app3/s11');
    await expect(store().writeBundle('T', rotated(20))).rejects.toThrow(/sealed|unavailable/);
    await peer.control('DELETE', 'faults');
    // Most entries already hold the rotated value as their latest version...
    const latest = await peer.api('GET', `${mount}/data/T/app0/s0`);
    expect(latest.body).toMatchObject({ data: { data: { password: 'rotated' } } });
    // ...but the index still names generation 1, and a reader gets all of it.
    expect(await store().readBundle('T')).toEqual({
      entries: sorted(bundleOf(20)),
      generation: '1',
    });
    expect(await store().currentGeneration('T')).toBe('1');
    // The next write completes generation 2.
    expect(await store().writeBundle('T', rotated(20))).toMatchObject({ generation: '2' });
    expect((await store().readBundle('T'))?.entries).toEqual(sorted(rotated(20)));
  });

  it('a first merge cut short leaves no generation: reading refuses, naming the target and the fix', async ({
    skip,
  }) => {
    if (!peer.local) skip('needs fault injection, which only our Vault-compatible server has');
    const other = await freshStore();
    await failWrites(other.mount, 'app3/s11');
    await expect(other.store().writeBundle('T', bundleOf(20))).rejects.toThrow();
    await peer.control('DELETE', 'faults');
    await expect(other.store().readBundle('T')).rejects.toThrow(
      /merged bundle of T at vault store-\d+\/T\/ has entries but no bundle index: a merge was cut short.*Run the merge phase for T \(without --sync-only\)/,
    );
    expect(await other.store().currentGeneration('T')).toBeUndefined();
  });

  it('of two writers that read the same generation, the second to store its index loses', async ({
    skip,
  }) => {
    if (!peer.local) skip('needs fault delays, which only our Vault-compatible server has');
    const fresh = await freshStore();
    await fresh.store().writeBundle('T', bundleOf(10));
    // The slow writer's one changed entry is held back 1.5 s; the fast one stores meanwhile.
    await peer.control('POST', 'faults', {
      path: `^${fresh.mount}/data/T/app1/s1$`,
      method: 'POST',
      delay_ms: 1_500,
      count: 1,
    });
    const slow = fresh.store().writeBundle('T', bundleOf(10, { 'app1/s1': { slow: true } }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      await fresh.store().writeBundle('T', bundleOf(10, { 'app2/s2': { fast: true } })),
    ).toMatchObject({ generation: '2' });
    await expect(slow).rejects.toThrow(
      /another run stored a generation of T's bundle while this run was writing generation 2: this run's bundle was not made current/,
    );
    const read = await fresh.store().readBundle('T');
    expect(read?.generation).toBe('2');
    expect(read?.entries.get('app2/s2')).toEqual({ fast: true });
    expect(read?.entries.get('app1/s1')).toEqual({ i: 1, password: 'pw-1' });
  });

  it('refuses a KV version 1 mount as merge store, saying why and what to do', async () => {
    mountNumber += 1;
    const mount = `store-v1-${mountNumber}`;
    const { store } = await vaultMergeStoreOn(peer, mount, 1);
    await expect(store().writeBundle('T', bundleOf(2))).rejects.toThrow(
      new RegExp(`merge_store.vault.mount "${mount}" is a KV version 1 mount: .*need KV version 2`),
    );
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
    const [part] = await indexParts(mount, 'sync-record');
    await peer.api('POST', `${mount}/data/.secretsync/T/sync-record/${part ?? ''}`, {
      data: { entries: { 'prod/a': ['short', null, null] } },
    });
    expect(await store().readSyncRecord('T')).toBeUndefined();
    expect(runtime.logs.text()).toMatch(/sync record at vault .* ignored: .*every value is read/);
  });
});
