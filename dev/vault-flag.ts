import type { DevStackVault } from './stack.js';

/**
 * Reads `--vault local|real` (or `--vault=…`) from a command line; default `local`. `real` is the
 * real Vault 1.14.0 test peer built from test/peers/vault.
 */
export function parseVaultFlag(argv: readonly string[]): DevStackVault {
  const index = argv.findIndex((arg) => arg === '--vault' || arg.startsWith('--vault='));
  if (index < 0) return 'local';
  const arg = argv[index] ?? '';
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  if (value === 'local' || value === 'real') return value;
  if (value === 'openbao')
    throw new Error(
      '--vault openbao: OpenBao cannot be built here (its module is not available to Go); ' +
        'use --vault real, a real HashiCorp Vault 1.14.0 (MPL-2.0)',
    );
  throw new Error(`--vault must be "local" or "real", not ${JSON.stringify(value ?? '')}`);
}
