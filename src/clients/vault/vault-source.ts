import type { Source } from '../../config/types.js';
import { InternalError } from '../../core/errors.js';
import type { Bundle } from '../../core/json.js';
import { joinPath } from '../../core/secret-path.js';
import type { AppLogger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { SecretSource, SecretsRead } from '../../pipeline/ports.js';
import { readKvTree } from './tree-reader.js';
import type { VaultConnections } from './vault-connections.js';

/** Reads Vault sources: resolve the mount, walk the tree breadth-first, read every secret. */
export class VaultSecretSource implements SecretSource {
  constructor(
    private readonly connections: VaultConnections,
    private readonly concurrency: number,
    private readonly logger: AppLogger,
    private readonly metrics: Metrics,
  ) {}

  /** Every secret under the source as relative path → data, sorted by path. */
  async readAll(source: Source, onRead?: SecretsRead): Promise<Bundle> {
    if (source.kind !== 'vault')
      throw new InternalError(`VaultSecretSource got a ${source.kind} source`);
    const root = joinPath(source.mount, source.path);
    const kv = await this.connections.kvFor(source.address, source.namespace, root);
    const bundle = await readKvTree(
      kv,
      {
        source: source.name,
        root,
        maxDepth: source.maxTraversalDepth,
        maxSecrets: source.maxSecretsPerMount,
        compactionThreshold: source.queueCompactionThreshold,
        concurrency: this.concurrency,
        include: source.include,
        onRead,
      },
      this.logger,
    );
    this.metrics.vaultSecrets.inc(bundle.size);
    this.logger.debug(
      { source: source.name, secrets: bundle.size },
      `read ${bundle.size} secrets from ${root}`,
    );
    return bundle;
  }
}
