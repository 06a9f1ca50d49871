/** A dependency graph: each node maps to the nodes it depends on (its imports). */
export type DependencyMap = ReadonlyMap<string, readonly string[]>;

/**
 * Finds every elementary cycle reachable in the graph, each written from its smallest node and
 * closed (`[a, b, a]`), sorted. Dependencies that are not nodes of the map are leaves.
 */
export function findCycles(graph: DependencyMap): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];

  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (!graph.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'visiting') {
        const cycle = rotateToSmallest(stack.slice(stack.indexOf(next)));
        found.set(cycle.join('\u0000'), [...cycle, cycle[0] as string]);
      } else if (seen === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };

  for (const node of [...graph.keys()].sort()) {
    if (!state.has(node)) visit(node);
  }
  return [...found.values()].sort((a, b) => a.join('>').localeCompare(b.join('>')));
}

/**
 * Assigns each node its level: 1 + the highest level among its dependencies, where a dependency
 * outside the map (a source) has level 0. The graph must be acyclic.
 */
export function computeLevels(graph: DependencyMap): Map<string, number> {
  const levels = new Map<string, number>();
  const levelOf = (node: string, path: ReadonlySet<string>): number => {
    if (!graph.has(node)) return 0;
    const known = levels.get(node);
    if (known !== undefined) return known;
    if (path.has(node)) throw new RangeError(`cycle through ${node}`);
    const inner = new Set(path).add(node);
    const deps = graph.get(node) ?? [];
    const level = 1 + Math.max(0, ...deps.map((dep) => levelOf(dep, inner)));
    levels.set(node, level);
    return level;
  };
  for (const node of [...graph.keys()].sort()) levelOf(node, new Set());
  return levels;
}

/** Returns `start` plus everything it depends on, directly or transitively, that is a node. */
export function collectDependencies(graph: DependencyMap, start: string): Set<string> {
  const seen = new Set<string>();
  const pending = [start];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (seen.has(node) || !graph.has(node)) continue;
    seen.add(node);
    pending.push(...(graph.get(node) ?? []));
  }
  return seen;
}

function rotateToSmallest(cycle: string[]): string[] {
  let start = 0;
  cycle.forEach((node, index) => {
    if (node < (cycle[start] as string)) start = index;
  });
  return [...cycle.slice(start), ...cycle.slice(0, start)];
}
