import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePath } from '../../src/clients/vault/http.js';
import { VaultConnections } from '../../src/clients/vault/vault-connections.js';
import { VaultMergeStore } from '../../src/clients/vault/vault-merge-store.js';
import { VaultSecretSource } from '../../src/clients/vault/vault-source.js';
import type { Source } from '../../src/config/types.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';
import { configFrom, testRuntime } from '../support/runtime.js';

// Requirement 10.4: paths are sanitised. Vault key names are data; a `?`, `#` or `%` in one must
// address exactly that secret, never a query, a fragment or an escape that reaches another one.

const ODD_KEYS = ['plain', 'a?list=true', 'c#d', 'p%q', 'p%2Fq', 'sp ace', 'colon:at@'];

let peer: VaultPeer;
beforeAll(async () => {
  peer = await startVaultPeer();
  await peer.mount('paths-merged', 2);
  for (const key of ODD_KEYS)
    await peer.api('POST', `secret/data/odd-keys/${encodeURIComponent(key)}`, {
      data: { key },
    });
});
afterAll(async () => {
  await peer.close();
});

function setup() {
  const config = configFrom(
    `vault: {address: ${peer.address}}\nsources: {s: {vault: {mount: secret, path: odd-keys}}}\nmerge_store: {vault: {mount: paths-merged}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n`,
    { VAULT_TOKEN: peer.rootToken },
  );
  const runtime = testRuntime(config);
  const connections = new VaultConnections(config.vault, runtime.call, runtime.logger);
  return { config, runtime, connections };
}

describe('Vault paths with URL-significant characters', () => {
  it('encodes each segment and keeps the slashes', () => {
    expect(encodePath('secret/data/a?b/c#d/p%q')).toBe('secret/data/a%3Fb/c%23d/p%25q');
    expect(encodePath('secret/metadata/')).toBe('secret/metadata/');
  });

  it('reads every secret under its own name', async () => {
    const { config, runtime, connections } = setup();
    const source = new VaultSecretSource(connections, 4, runtime.logger, runtime.metrics);
    const bundle = await source.readAll(config.sources.get('s') as Source);
    expect([...bundle.keys()].sort()).toEqual([...ODD_KEYS].sort());
    for (const [path, secret] of bundle) expect(secret).toEqual({ key: path });
  });

  it('writes and reads merge-store entries under their own names', async () => {
    const { config, runtime, connections } = setup();
    const store = new VaultMergeStore(connections, 'paths-merged', config.vault, runtime.logger);
    const bundle = new Map(ODD_KEYS.map((key) => [key, { key }]));
    expect(await store.writeBundle('T', bundle)).toMatchObject({ written: ODD_KEYS.length });
    expect((await store.readBundle('T'))?.entries).toEqual(
      new Map([...bundle].sort(([a], [b]) => (a < b ? -1 : 1))),
    );
    expect(await store.writeBundle('T', bundle)).toMatchObject({ written: 0 });
  });
});
