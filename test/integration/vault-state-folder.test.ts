import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultConnections } from '../../src/clients/vault/vault-connections.js';
import { VaultMergeStore } from '../../src/clients/vault/vault-merge-store.js';
import { VaultSecretSource } from '../../src/clients/vault/vault-source.js';
import type { Source } from '../../src/config/types.js';
import { configFrom, testRuntime } from '../support/runtime.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

// Issue 15: a source walk never reads SecretSync's own state (`.secretsync/`) back as secrets.

let peer: VaultPeer;
beforeAll(async () => {
  peer = await startVaultPeer();
  await peer.mount('state-shared', 2);
  await peer.api('POST', 'state-shared/data/app/db', { data: { password: 'p' } });
  await peer.api('POST', 'state-shared/data/app/.secretsync/stray', { data: { x: 1 } });
});
afterAll(async () => {
  await peer.close();
});

describe('Vault walk and the .secretsync/ state folder', () => {
  it('reads the source secrets but nothing the merge store keeps under .secretsync/', async () => {
    // A config would refuse this layout (merge-store-outside-sources); the adapters are built
    // directly, so the walk is the only thing keeping state out of the source data.
    const config = configFrom(
      `vault: {address: ${peer.address}}\nsources: {s: {vault: {mount: state-shared}}}\nmerge_store: {vault: {mount: other}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n`,
      { VAULT_TOKEN: peer.rootToken },
    );
    const runtime = testRuntime(config);
    const connections = new VaultConnections(config.vault, runtime.call, runtime.logger);
    const store = new VaultMergeStore(connections, 'state-shared', config.vault, runtime.logger);
    await store.writeBundle('T', new Map([['app/db', { password: 'p' }]]));
    const listed = await peer.api('GET', 'state-shared/metadata/?list=true');
    expect((listed.body as { data: { keys: string[] } }).data.keys).toContain('.secretsync/');

    const source = new VaultSecretSource(connections, 4, runtime.logger, runtime.metrics);
    const bundle = await source.readAll(config.sources.get('s') as Source);
    expect([...bundle.keys()]).toEqual(['T/app/db', 'app/db']);
    connections.close();
  });
});
