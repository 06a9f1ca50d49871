import { ensureVaultPeerBinary } from '../../dev/vault-peer-build.js';

/**
 * vitest globalSetup of `npm run test:real-vault`: builds the real Vault peer once (cached in
 * .cache/peers, with Go's own build and module caches), then makes every test file's
 * `startVaultPeer()` start its own real Vault from that binary.
 */
export default async function setup(): Promise<void> {
  const binary = await ensureVaultPeerBinary(undefined, (line) => {
    process.stderr.write(`${line}\n`);
  });
  process.env.SECRETSYNC_TEST_VAULT = 'real';
  process.env.SECRETSYNC_TEST_VAULT_BIN = binary;
}
