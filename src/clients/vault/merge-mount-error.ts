import { OperationError } from '../../context/operation-error.js';
import { VaultConfigError } from './vault-config-error.js';

/**
 * The merge store's own words for a mount lookup Vault refused: `merge_store.vault.mount` names
 * no KV mount (Vault answers a missing mount with 403), or the token may not look it up. Any other
 * error is returned unchanged.
 */
export function mergeMountError(error: unknown, mount: string, address: string): unknown {
  if (
    !(error instanceof OperationError) ||
    error.fields.operation !== 'vault.mounts' ||
    error.fields.outcome !== 'access_denied'
  )
    return error;
  return new VaultConfigError(
    `merge_store.vault.mount "${mount}" is not a KV mount of Vault at ${address}, or the token may not look it up (read on sys/internal/ui/mounts/${mount}/*): enable it (vault secrets enable -version=2 -path=${mount} kv), or set merge_store.vault.mount to an existing KV v2 mount [req=${error.fields.requestId}]`,
  );
}
