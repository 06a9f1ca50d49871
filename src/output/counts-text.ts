import type { DiffCounts } from '../pipeline/report.js';

/**
 * `1 added, 2 modified, 0 removed, 5 unchanged` — or, for a plan not applied (a dry run, a
 * refused plan), `1 to add, 2 to modify, 0 to remove, 5 unchanged`; orphans kept are counted
 * when there are any.
 */
export function countsText(counts: DiffCounts, keptOrphans: number, applied: boolean): string {
  const { added, modified, removed, unchanged } = counts;
  const changes = applied
    ? `${added} added, ${modified} modified, ${removed} removed`
    : `${added} to add, ${modified} to modify, ${removed} to remove`;
  const kept = keptOrphans > 0 ? `, ${keptOrphans} orphan(s) kept` : '';
  return `${changes}, ${unchanged} unchanged${kept}`;
}
