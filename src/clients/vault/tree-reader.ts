import { mapLimit } from '../../core/concurrency.js';
import type { JsonObject } from '../../core/json.js';
import { globToRegExp, joinPath } from '../../core/secret-path.js';
import type { AppLogger } from '../../observability/logger.js';
import type { KvLocation } from './vault-connections.js';
import { walkTree } from './walk.js';
import type { WalkOptions } from './walk.js';

/** Walk limits plus the include globs and read concurrency of one tree read. */
export interface TreeReadOptions extends WalkOptions {
  readonly include: readonly string[];
  /** Told of each secret read (for progress). */
  readonly onRead?: ((count: number) => void) | undefined;
}

/**
 * Reads every secret below a KV location: breadth-first walk, then concurrent reads. Deleted or
 * destroyed latest versions are absent, not errors. Returns relative path → data, sorted.
 */
export async function readKvTree(
  kv: KvLocation,
  options: TreeReadOptions,
  logger: AppLogger,
): Promise<Map<string, JsonObject>> {
  const folderOf = (relative: string) => joinPath(kv.folder, relative);
  const { path: mount, version } = kv.client.mount;
  const policyHint = (capability: string, path: string) =>
    `the token's policy must grant "${capability}" on ${mount}${version === 2 ? (capability === 'list' ? 'metadata/' : 'data/') : ''}${path}`;
  const paths = await walkTree(
    (folder) => kv.client.list(folderOf(folder), policyHint('list', folderOf(folder))),
    options,
    logger,
  );
  const include = options.include.map(globToRegExp);
  const selected =
    include.length === 0 ? paths : paths.filter((path) => include.some((glob) => glob.test(path)));
  const values = await mapLimit(selected, options.concurrency, async (path) => {
    const value = await kv.client.read(folderOf(path), policyHint('read', folderOf(path)));
    options.onRead?.(1);
    return value;
  });
  const tree = new Map<string, JsonObject>();
  selected.forEach((path, index) => {
    const value = values[index];
    if (value === undefined)
      logger.debug({ source: options.source, path }, 'skipping deleted secret');
    else tree.set(path, value);
  });
  return tree;
}
