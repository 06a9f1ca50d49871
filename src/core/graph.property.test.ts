import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectDependencies, computeLevels, findCycles } from './graph.js';
import type { DependencyMap } from './graph.js';

// Target graphs: acyclic ones get consistent levels; a cycle is always found and is real.

const NODES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

/** A random DAG: a node only imports nodes before it in NODES, or the sources s1/s2. */
const dag: fc.Arbitrary<Map<string, string[]>> = fc
  .tuple(
    ...NODES.map((_, index) =>
      fc.subarray([...NODES.slice(0, index), 's1', 's2'], { minLength: 1 }),
    ),
  )
  .map((imports) => new Map(NODES.map((node, index) => [node, [...(imports[index] ?? [])]])));

/** The DAG plus one edge pointing back up (later → earlier is allowed; earlier → later closes). */
const cyclic = fc
  .tuple(dag, fc.integer({ min: 0, max: NODES.length - 1 }), fc.nat())
  .map(([graph, from, offset]) => {
    const reachable = [...graph.keys()].filter((node) =>
      collectDependencies(graph, node).has(NODES[from] as string),
    );
    const to = reachable[offset % reachable.length] as string;
    graph.get(NODES[from] as string)?.push(to);
    return graph;
  });

function isEdge(graph: DependencyMap, from: string, to: string): boolean {
  return (graph.get(from) ?? []).includes(to);
}

describe('graph (properties)', () => {
  it('an acyclic graph has no cycles and levels above every import', () => {
    fc.assert(
      fc.property(dag, (graph) => {
        expect(findCycles(graph)).toEqual([]);
        const levels = computeLevels(graph);
        for (const [node, imports] of graph) {
          const own = levels.get(node) ?? 0;
          const highest = Math.max(0, ...imports.map((dep) => levels.get(dep) ?? 0));
          expect(own).toBe(highest + 1);
        }
      }),
    );
  });

  it('a graph with a back edge reports a cycle made of real edges, and cannot be levelled', () => {
    fc.assert(
      fc.property(cyclic, (graph) => {
        const cycles = findCycles(graph);
        expect(cycles.length).toBeGreaterThan(0);
        for (const cycle of cycles) {
          expect(cycle[0]).toBe(cycle.at(-1));
          for (let i = 0; i + 1 < cycle.length; i++)
            expect(isEdge(graph, cycle[i] as string, cycle[i + 1] as string)).toBe(true);
        }
        expect(() => computeLevels(graph)).toThrow(RangeError);
      }),
    );
  });

  it('dependencies are closed: whatever a node imports, its dependencies include', () => {
    fc.assert(
      fc.property(dag, fc.constantFrom(...NODES), (graph, start) => {
        const deps = collectDependencies(graph, start);
        expect(deps.has(start)).toBe(true);
        for (const node of deps)
          for (const dep of graph.get(node) ?? [])
            if (graph.has(dep)) expect(deps.has(dep)).toBe(true);
      }),
    );
  });
});
