import type { VaultLogin } from '../clients/vault/auth.js';
import type { Config } from '../config/types.js';

/** How each auth method's token came about, in words. */
const METHOD_NAMES = {
  token: 'a given token',
  approle: 'AppRole',
  kubernetes: 'Kubernetes',
  jwt: 'JWT/OIDC',
  aws: 'AWS IAM',
  none: 'no method',
} as const satisfies Record<VaultLogin['method'], string>;

/** True when any source or the merge store reads Vault, so `context` logs in there. */
export function usesVault(config: Config): boolean {
  return (
    config.mergeStore.kind === 'vault' ||
    [...config.sources.values()].some((source) => source.kind === 'vault')
  );
}

/** The `Vault:` line of `context`: the address, the method that logged in, the token's reach. */
export function formatVaultLogin(address: string, login: VaultLogin): string {
  const where =
    login.mount === undefined
      ? ''
      : ` at auth/${login.mount}${login.role === undefined ? '' : `, role ${login.role}`}`;
  const ttl = login.ttlSeconds === 0 ? 'never expires' : `TTL ${String(login.ttlSeconds)} s`;
  const policies = login.policies.length === 0 ? 'none' : login.policies.join(', ');
  return `Vault: ${address}, logged in with ${METHOD_NAMES[login.method]}${where} (policies: ${policies}; token ${ttl})\n`;
}

/** The `Vault:` line when the login failed, with the reason (which never holds a credential). */
export function formatVaultFailure(address: string, config: Config, reason: string): string {
  return `Vault: ${address}, ${METHOD_NAMES[config.vault.auth.method]} login FAILED: ${reason}\n`;
}
