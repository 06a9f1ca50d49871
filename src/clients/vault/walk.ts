import { InternalError } from '../../core/errors.js';
import { checkRelativePath } from '../../core/secret-path.js';
import type { AppLogger } from '../../observability/logger.js';
import { VaultLimitError } from './vault-limit-error.js';
import { WalkQueue } from './walk-queue.js';

/** Limits and tuning of one breadth-first walk. */
export interface WalkOptions {
  /** Source name, for messages. */
  readonly source: string;
  /** Where the walk starts, for messages (e.g. `secret/common`). */
  readonly root: string;
  readonly maxDepth: number;
  readonly maxSecrets: number;
  readonly compactionThreshold: number;
  /** LIST calls in flight at once. */
  readonly concurrency: number;
}

/** Lists one folder (relative to the walk root; '' is the root): keys, folders ending in `/`. */
export type ListFolder = (folder: string) => Promise<readonly string[]>;

/**
 * Walks a KV tree breadth-first and returns the relative paths of every secret, sorted. LIST
 * calls run concurrently up to the bound; each folder is listed once (cycles are impossible: a
 * path only ever grows). Unsafe keys (`..`, NUL, `//`, leading `/`) are skipped with a warning.
 */
export async function walkTree(
  list: ListFolder,
  options: WalkOptions,
  logger: AppLogger,
): Promise<string[]> {
  const queue = new WalkQueue<{ folder: string; depth: number }>(
    options.compactionThreshold,
    ({ oldSize, newSize }) => {
      logger.info(
        { source: options.source, old_size: oldSize, new_size: newSize },
        `walk queue compacted from ${oldSize} to ${newSize} entries`,
      );
    },
  );
  const secrets: string[] = [];
  const inFlight = new Set<Promise<void>>();
  queue.push({ folder: '', depth: 0 });
  const visit = async (folder: string, depth: number): Promise<void> => {
    for (const key of await list(folder)) {
      const isFolder = key.endsWith('/');
      const name = isFolder ? key.slice(0, -1) : key;
      const path = folder === '' ? name : `${folder}/${name}`;
      const problem = checkRelativePath(name) ?? (name.includes('/') ? 'contains "/"' : undefined);
      if (problem !== undefined) {
        logger.warn(
          { source: options.source, folder: `${options.root}/${folder}` },
          `skipping key ${JSON.stringify(key)}: it ${problem}`,
        );
        continue;
      }
      if (isFolder) {
        if (depth + 1 > options.maxDepth) throw VaultLimitError.depth(options, path);
        queue.push({ folder: path, depth: depth + 1 });
      } else {
        secrets.push(path);
        if (secrets.length > options.maxSecrets) throw VaultLimitError.count(options);
      }
    }
  };
  let failure: Error | undefined;
  const start = (next: { folder: string; depth: number }): void => {
    const task: Promise<void> = visit(next.folder, next.depth)
      .catch((error: unknown) => {
        failure ??= error instanceof Error ? error : new InternalError(String(error));
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  while (failure === undefined && (queue.size > 0 || inFlight.size > 0)) {
    while (inFlight.size < options.concurrency && queue.size > 0) {
      const next = queue.shift();
      if (next !== undefined) start(next);
    }
    if (inFlight.size > 0) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return secrets.sort();
}
