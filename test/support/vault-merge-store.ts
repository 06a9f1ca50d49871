import { VaultConnections } from '../../src/clients/vault/vault-connections.js';
import { VaultMergeStore } from '../../src/clients/vault/vault-merge-store.js';
import { configFrom, testRuntime } from './runtime.js';
import type { VaultPeer } from './vault-peer.js';

/** A Vault merge store on a new mount of the peer (KV v2 unless asked), with its test runtime. */
export async function vaultMergeStoreOn(peer: VaultPeer, mount: string, version: 1 | 2 = 2) {
  await peer.mount(mount, version);
  const config = configFrom(
    `vault: {address: ${peer.address}}\nsources: {s: {vault: {mount: secret}}}\nmerge_store: {vault: {mount: ${mount}}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n`,
    { VAULT_TOKEN: peer.rootToken },
  );
  const runtime = testRuntime(config);
  const connections = new VaultConnections(config.vault, runtime.call, runtime.logger);
  const store = () => new VaultMergeStore(connections, mount, config.vault, runtime.logger);
  return { runtime, store };
}
