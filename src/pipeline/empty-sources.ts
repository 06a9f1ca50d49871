import type { Source } from '../config/types.js';
import { EmptySourceError } from '../core/errors.js';
import type { TargetGraph } from '../plan/target-graph.js';
import type { MergeStore } from './ports.js';

/**
 * The sources a target reads, directly or through the targets it imports (as far as this run's
 * graph knows them), sorted.
 */
export function sourcesFeeding(name: string, graph: TargetGraph): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (current: string): void => {
    if (seen.has(current)) return;
    seen.add(current);
    if (graph.sources.includes(current)) found.add(current);
    for (const imported of graph.targets.get(current)?.imports ?? []) visit(imported);
  };
  visit(name);
  return [...found].sort();
}

/**
 * Refuses a target fed by a source that returned no secrets (and may not) when the target's last
 * sync wrote some: most likely a path typo or a lost policy, which with delete_orphans would
 * delete every secret the target owns. Throws EmptySourceError naming the sources and the fix.
 */
export async function refuseEmptySources(
  name: string,
  empty: readonly Source[],
  store: MergeStore,
): Promise<void> {
  const refused = empty.filter((source) => !source.allowEmpty);
  if (refused.length === 0) return;
  const synced = (await store.readSyncRecord(name))?.secrets.size ?? 0;
  if (synced === 0) return;
  const names = refused.map((source) => source.name);
  const where = refused.map((source) => `${source.name} (${locationOf(source)})`).join(', ');
  throw new EmptySourceError(
    `source ${where} returned no secrets, but the last sync of ${name} wrote ${synced}: nothing was stored or written for ${name} ` +
      `(with delete_orphans its secrets would be deleted). Check the source's mount and path; if ${names.join(', ')} is meant to be empty, ` +
      `set sources.<name>.allow_empty or pipeline.allow_empty_sources to true`,
  );
}

/** Where a source reads from, as configured. */
function locationOf(source: Source): string {
  if (source.kind === 'aws')
    return `Secrets Manager in ${source.accountId}/${source.region}, prefix "${source.prefix}"`;
  const path = source.path === undefined ? '' : `, path "${source.path}"`;
  return `Vault mount "${source.mount}"${path}`;
}
