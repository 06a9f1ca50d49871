import { SecretSyncError } from '../../core/errors.js';

/** The Vault settings cannot work (address, TLS, credentials); fixed in config, not by retrying. */
export class VaultConfigError extends SecretSyncError {
  readonly code = 'config_invalid';
  readonly fault = 'user';
  constructor(message: string) {
    super(message);
    this.name = 'VaultConfigError';
  }
}
