import type { VaultSettings } from '../../config/types.js';
import { defaultCompactionThreshold } from '../../core/compaction.js';
import { mapLimit } from '../../core/concurrency.js';
import { jsonEqual } from '../../core/json.js';
import type { Bundle } from '../../core/json.js';
import { joinPath } from '../../core/secret-path.js';
import type { AppLogger } from '../../observability/logger.js';
import type { BundleWriteSummary, MergeStore } from '../../pipeline/ports.js';
import { readKvTree } from './tree-reader.js';
import type { VaultConnections } from './vault-connections.js';

/**
 * Keeps each target's bundle in a Vault KV mount at `<mount>/<target>/<relative path>`, one
 * secret per entry, writing only what changed and removing what left the bundle.
 */
export class VaultMergeStore implements MergeStore {
  constructor(
    private readonly connections: VaultConnections,
    private readonly mount: string,
    private readonly settings: VaultSettings,
    private readonly logger: AppLogger,
  ) {}

  /** The stored bundle of a target, or undefined when it has no entries. */
  async readBundle(target: string): Promise<Bundle | undefined> {
    const stored = await this.readStored(target);
    return stored.size === 0 ? undefined : stored;
  }

  /** Writes changed entries, removes entries no longer in the bundle, leaves the rest alone. */
  async writeBundle(target: string, bundle: Bundle): Promise<BundleWriteSummary> {
    const location = await this.location(target);
    const stored = await this.readStored(target);
    const changed = [...bundle].filter(([path, data]) => {
      const before = stored.get(path);
      return before === undefined || !jsonEqual(before, data);
    });
    const removed = [...stored.keys()].filter((path) => !bundle.has(path));
    const concurrency = this.settings.concurrency;
    await mapLimit(changed, concurrency, ([path, data]) =>
      location.client.write(joinPath(location.folder, path), data),
    );
    await mapLimit(removed, concurrency, (path) =>
      location.client.remove(joinPath(location.folder, path)),
    );
    const summary = {
      written: changed.length,
      removed: removed.length,
      unchanged: bundle.size - changed.length,
    };
    this.logger.info({ target, ...summary }, `merge store: bundle of ${target} stored`);
    return summary;
  }

  /** Where a target's bundle lives. */
  locate(target: string): string {
    return `vault ${joinPath(this.mount, target)}/`;
  }

  private location(target: string) {
    return this.connections.kvFor(undefined, undefined, joinPath(this.mount, target));
  }

  private async readStored(target: string) {
    const root = joinPath(this.mount, target);
    return readKvTree(
      await this.location(target),
      {
        source: `merge store ${root}`,
        root,
        maxDepth: this.settings.maxTraversalDepth,
        maxSecrets: this.settings.maxSecretsPerMount,
        compactionThreshold:
          this.settings.queueCompactionThreshold ??
          defaultCompactionThreshold(this.settings.maxSecretsPerMount),
        concurrency: this.settings.concurrency,
        include: [],
      },
      this.logger,
    );
  }
}
