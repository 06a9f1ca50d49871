import { describe, expect, it } from 'vitest';
import { captureStream } from '../../../test/support/capture-stream.js';
import { createLogger } from '../../observability/logger.js';
import { walkTree } from './walk.js';
import type { WalkOptions } from './walk.js';
import { WalkQueue } from './walk-queue.js';

/** An in-memory KV tree answering LIST like Vault: one level, folders end with `/`. */
function treeOf(paths: readonly string[]) {
  const folders = new Map<string, Set<string>>();
  for (const path of paths) {
    const parts = path.split('/');
    parts.forEach((part, index) => {
      const folder = parts.slice(0, index).join('/');
      const key = index === parts.length - 1 ? part : `${part}/`;
      folders.set(folder, (folders.get(folder) ?? new Set()).add(key));
    });
  }
  let calls = 0;
  return {
    calls: () => calls,
    list: (folder: string) => {
      calls += 1;
      return Promise.resolve([...(folders.get(folder) ?? [])].sort());
    },
  };
}

const options: WalkOptions = {
  source: 'src',
  root: 'secret/app',
  maxDepth: 10,
  maxSecrets: 100_000,
  compactionThreshold: 1000,
  concurrency: 4,
};

function logger() {
  const out = captureStream();
  return { out, logger: createLogger({ level: 'debug', format: 'json', destination: out }) };
}

describe('WalkQueue', () => {
  it('compacts only when the head passes the threshold and half the queue', () => {
    const sizes: [number, number][] = [];
    const queue = new WalkQueue<number>(2, ({ oldSize, newSize }) =>
      sizes.push([oldSize, newSize]),
    );
    queue.push(1, 2, 3, 4, 5, 6, 7, 8);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([1, 2, 3, 4]);
    expect(sizes).toEqual([]);
    expect(queue.shift()).toBe(5);
    expect(sizes).toEqual([[8, 3]]);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([
      6,
      7,
      8,
      undefined,
    ]);
    expect(queue.size).toBe(0);
  });
});

describe('walkTree', () => {
  const paths = Array.from(
    { length: 600 },
    (_, i) => `team${i % 7}/app${i % 13}/env${i % 3}/secret${i}`,
  );

  it('never descends into a .secretsync/ folder, at any depth, and says so at debug level', async () => {
    const tree = treeOf([
      'app/db',
      '.secretsync/index/T/head',
      'app/.secretsync/record',
      'app/.secretsync-not/kept',
      'T/.secretsync',
    ]);
    const { out, logger: log } = logger();
    const found = await walkTree(tree.list, options, log);
    expect(found).toEqual(['T/.secretsync', 'app/.secretsync-not/kept', 'app/db']);
    const skips = out
      .lines()
      .map((line) => JSON.parse(line) as { level: number; msg: string; folder: string })
      .filter((entry) => entry.msg.startsWith('skipping .secretsync/'));
    expect(skips.map((entry) => [entry.level, entry.folder])).toEqual([
      [20, 'secret/app/.secretsync'],
      [20, 'secret/app/app/.secretsync'],
    ]);
  });

  it('returns every secret path sorted, listing each folder exactly once', async () => {
    const tree = treeOf(paths);
    const found = await walkTree(tree.list, options, logger().logger);
    expect(found).toEqual([...paths].sort());
    const folders = new Set(
      paths.flatMap((p) =>
        p
          .split('/')
          .slice(0, -1)
          .map((_, i, all) => all.slice(0, i + 1).join('/')),
      ),
    );
    expect(tree.calls()).toBe(folders.size + 1);
  });

  it('gives identical output with and without compaction, logging old and new sizes', async () => {
    const without = await walkTree(
      treeOf(paths).list,
      { ...options, compactionThreshold: 1_000_000 },
      logger().logger,
    );
    const { out, logger: compacting } = logger();
    const withCompaction = await walkTree(
      treeOf(paths).list,
      { ...options, compactionThreshold: 5 },
      compacting,
    );
    expect(withCompaction).toEqual(without);
    const compactions = out
      .lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((e) => typeof e.old_size === 'number');
    expect(compactions.length).toBeGreaterThan(0);
    for (const entry of compactions) {
      expect(entry.new_size as number).toBeLessThan(entry.old_size as number);
      expect(entry.msg).toBe(
        `walk queue compacted from ${String(entry.old_size)} to ${String(entry.new_size)} entries`,
      );
    }
  });

  it('stops at max_traversal_depth with a message naming the folder and the setting', async () => {
    await expect(
      walkTree(treeOf(['a/b/c/d']).list, { ...options, maxDepth: 2 }, logger().logger),
    ).rejects.toThrow(
      'source src: folder secret/app/a/b/c/ is deeper than max_traversal_depth (2); raise sources.src.vault.max_traversal_depth',
    );
  });

  it('stops at max_secrets_per_mount', async () => {
    await expect(
      walkTree(treeOf(paths).list, { ...options, maxSecrets: 100 }, logger().logger),
    ).rejects.toThrow('source src: secret/app holds more than max_secrets_per_mount (100) secrets');
  });

  it('skips unsafe keys with a warning', async () => {
    const { out, logger: log } = logger();
    const list = (folder: string) =>
      Promise.resolve(folder === '' ? ['ok', '../escape', 'a\u0000b', '/abs', 'dir/'] : ['inner']);
    expect(await walkTree(list, options, log)).toEqual(['dir/inner', 'ok']);
    expect(out.text().match(/skipping key/g)).toHaveLength(3);
  });

  it('never has more LIST calls in flight than the bound', async () => {
    let inFlight = 0;
    let peak = 0;
    const tree = treeOf(paths);
    const list = async (folder: string) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight -= 1;
      return tree.list(folder);
    };
    await walkTree(list, { ...options, concurrency: 3 }, logger().logger);
    expect(peak).toBe(3);
  });

  it('fails the walk when a LIST fails', async () => {
    const list = (folder: string) =>
      folder === 'b'
        ? Promise.reject(new Error('permission denied'))
        : Promise.resolve(folder === '' ? ['a/', 'b/'] : ['x']);
    await expect(walkTree(list, options, logger().logger)).rejects.toThrow('permission denied');
  });
});
