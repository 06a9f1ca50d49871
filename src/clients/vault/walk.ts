import { InternalError } from '../../core/errors.js';
import { checkRelativePath } from '../../core/secret-path.js';
import type { AppLogger } from '../../observability/logger.js';
import { VaultLimitError } from './vault-limit-error.js';
import { WalkQueue } from './walk-queue.js';

/**
 * Folder name SecretSync keeps its own state under (merge-store index and sync record). No walk
 * descends into one: state read back as source data would be synced into AWS and grow each run.
 */
export const STATE_FOLDER = '.secretsync';

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
 * path only ever grows). Unsafe keys (`..`, NUL, `//`, leading `/`) are skipped with a warning;
 * `.secretsync/` folders (SecretSync's state) are skipped at debug level.
 */
export async function walkTree(
  list: ListFolder,
  options: WalkOptions,
  logger: AppLogger,
): Promise<string[]> {
  const queue = new WalkQueue<Folder>(options.compactionThreshold, ({ oldSize, newSize }) => {
    logger.debug(
      { source: options.source, old_size: oldSize, new_size: newSize },
      `walk queue compacted from ${oldSize} to ${newSize} entries`,
    );
  });
  const secrets: string[] = [];
  queue.push({ folder: '', depth: 0 });
  await drain(queue, options.concurrency, async ({ folder, depth }) => {
    for (const key of await list(folder)) {
      const entry = entryOf(folder, key);
      if (entry.kind === 'unsafe') {
        logger.warn(
          { source: options.source, folder: `${options.root}/${folder}` },
          `skipping key ${JSON.stringify(key)}: it ${entry.problem}`,
        );
      } else if (entry.kind === 'state') {
        logger.debug(
          { source: options.source, folder: `${options.root}/${entry.path}` },
          `skipping ${STATE_FOLDER}/: it holds SecretSync's own state, not source secrets`,
        );
      } else if (entry.kind === 'folder') {
        if (depth + 1 > options.maxDepth) throw VaultLimitError.depth(options, entry.path);
        queue.push({ folder: entry.path, depth: depth + 1 });
      } else {
        secrets.push(entry.path);
        if (secrets.length > options.maxSecrets) throw VaultLimitError.count(options);
      }
    }
  });
  return secrets.sort();
}

/** A folder waiting to be listed, and how deep it is below the root. */
interface Folder {
  readonly folder: string;
  readonly depth: number;
}

/** One listed key: a folder to walk, a secret, or a key that is unsafe as a path. */
type Entry =
  | { readonly kind: 'folder' | 'secret' | 'state'; readonly path: string }
  | { readonly kind: 'unsafe'; readonly problem: string };

function entryOf(folder: string, key: string): Entry {
  const isFolder = key.endsWith('/');
  const name = isFolder ? key.slice(0, -1) : key;
  const problem = checkRelativePath(name) ?? (name.includes('/') ? 'contains "/"' : undefined);
  if (problem !== undefined) return { kind: 'unsafe', problem };
  const path = folder === '' ? name : `${folder}/${name}`;
  if (isFolder && name === STATE_FOLDER) return { kind: 'state', path };
  return { kind: isFolder ? 'folder' : 'secret', path };
}

/**
 * Runs `visit` on queued items, at most `concurrency` at once, until the queue is empty (visits
 * may queue more). The first failure stops new visits; it is thrown once those in flight settle.
 */
async function drain<T>(
  queue: WalkQueue<T>,
  concurrency: number,
  visit: (item: T) => Promise<void>,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: Error | undefined;
  const start = (item: T): void => {
    const task: Promise<void> = visit(item)
      .catch((error: unknown) => {
        failure ??= error instanceof Error ? error : new InternalError(String(error));
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  while (failure === undefined && (queue.size > 0 || inFlight.size > 0)) {
    while (inFlight.size < concurrency && queue.size > 0) {
      const next = queue.shift();
      if (next !== undefined) start(next);
    }
    if (inFlight.size > 0) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
}
