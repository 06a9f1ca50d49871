import { describe, expect, it } from 'vitest';
import { collectDependencies, computeLevels, findCycles } from './graph.js';

const graph = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

describe('findCycles', () => {
  it('finds self imports and longer cycles, each written once from its smallest node', () => {
    expect(findCycles(graph({ A: ['B'], B: ['C'], C: ['A'], S: ['S'], D: ['src'] }))).toEqual([
      ['A', 'B', 'C', 'A'],
      ['S', 'S'],
    ]);
  });

  it('finds none in a diamond', () => {
    expect(
      findCycles(graph({ top: ['s'], left: ['top'], right: ['top'], bottom: ['left', 'right'] })),
    ).toEqual([]);
  });
});

describe('computeLevels', () => {
  it('is 1 + the highest level among the imports, sources being 0', () => {
    const levels = computeLevels(graph({ a: ['s'], b: ['a', 's'], c: ['b', 'a'], d: ['s2'] }));
    expect(Object.fromEntries(levels)).toEqual({ a: 1, b: 2, c: 3, d: 1 });
  });

  it('refuses a cycle', () => {
    expect(() => computeLevels(graph({ a: ['b'], b: ['a'] }))).toThrow(RangeError);
  });
});

describe('collectDependencies', () => {
  it('collects the transitive targets a target inherits from', () => {
    const deps = collectDependencies(graph({ a: ['s'], b: ['a'], c: ['b'], d: ['a'] }), 'c');
    expect([...deps].sort()).toEqual(['a', 'b', 'c']);
  });
});
