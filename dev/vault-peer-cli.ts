/**
 * `node dist/dev/vault-peer-cli.js build|start`: builds the real Vault test peer into .cache/peers
 * (skipped when the cached binary is fresh), or builds and starts it, prints the exports that
 * point a client at it, and keeps it up until Ctrl-C.
 */
import { renderEnvExports } from './stack.js';
import { ensureVaultPeerBinary } from './vault-peer-build.js';
import { startRealVault } from './vault-peer.js';

const log = (line: string): void => {
  console.error(line);
};

async function main(command: string | undefined): Promise<void> {
  if (command === 'build') {
    console.log(await ensureVaultPeerBinary(undefined, log));
    return;
  }
  if (command !== 'start') throw new Error('usage: vault-peer-cli build|start');
  const vault = await startRealVault({ log });
  console.log(renderEnvExports({ VAULT_ADDR: vault.address, VAULT_TOKEN: vault.rootToken }));
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.error(`Received ${signal}; stopping the Vault peer…`);
  await vault.close();
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`vault-peer: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
