import type { ConfigIssue } from '../core/errors.js';

/**
 * Config problems in file order: by line, problems of the whole file (no line) first; problems on
 * the same line keep the order they were found in.
 */
export function sortedByLine(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
