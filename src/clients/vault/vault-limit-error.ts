import { SecretSyncError } from '../../core/errors.js';

/** A source is larger or deeper than its configured limits. */
export class VaultLimitError extends SecretSyncError {
  readonly code = 'limit_exceeded';
  readonly fault = 'user';

  private constructor(message: string) {
    super(message);
    this.name = 'VaultLimitError';
  }

  /** The tree is deeper than max_traversal_depth. */
  static depth(
    options: { source: string; root: string; maxDepth: number },
    path: string,
  ): VaultLimitError {
    return new VaultLimitError(
      `source ${options.source}: folder ${options.root}/${path}/ is deeper than max_traversal_depth (${options.maxDepth}); raise sources.${options.source}.vault.max_traversal_depth (or vault.max_traversal_depth) if this depth is intended`,
    );
  }

  /** The tree holds more secrets than max_secrets_per_mount. */
  static count(options: { source: string; root: string; maxSecrets: number }): VaultLimitError {
    return new VaultLimitError(
      `source ${options.source}: ${options.root} holds more than max_secrets_per_mount (${options.maxSecrets}) secrets; raise sources.${options.source}.vault.max_secrets_per_mount (or vault.max_secrets_per_mount) if this is intended`,
    );
  }
}
