import { describe, expect, it } from 'vitest';
import { PlanError } from '../core/errors.js';
import { buildTargetGraph, selectTargets } from './target-graph.js';

const example = buildTargetGraph(
  ['common', 'analytics'],
  [
    { name: 'Demo', imports: ['Production', 'Analytics'] },
    { name: 'Staging', imports: ['common'] },
    { name: 'Production', imports: ['Staging', 'analytics'] },
    { name: 'Analytics', imports: ['Staging', 'analytics'] },
    { name: 'Solo', imports: ['analytics'] },
  ],
);

describe('buildTargetGraph', () => {
  it('assigns levels (1 + highest import level) and sorts each level', () => {
    expect(example.levels).toEqual([['Solo', 'Staging'], ['Analytics', 'Production'], ['Demo']]);
    expect(example.levelOf('Demo')).toBe(3);
    expect(example.levelOf('common')).toBe(0);
    expect(example.sources).toEqual(['analytics', 'common']);
  });

  it('writes out every cycle', () => {
    const build = () =>
      buildTargetGraph(
        [],
        [
          { name: 'A', imports: ['B'] },
          { name: 'B', imports: ['C'] },
          { name: 'C', imports: ['A'] },
          { name: 'Self', imports: ['Self'] },
        ],
      );
    expect(build).toThrow(PlanError);
    expect(build).toThrow('targets import each other in a cycle: A -> B -> C -> A; Self -> Self');
  });
});

describe('selectTargets', () => {
  it('adds transitive dependencies of the selected targets', () => {
    const selected = selectTargets(example, ['Demo']);
    expect(selected.levels).toEqual([['Staging'], ['Analytics', 'Production'], ['Demo']]);
    expect(selected.sources).toEqual(['analytics', 'common']);
  });

  it('keeps only the sources the selection uses', () => {
    expect(selectTargets(example, ['Staging']).sources).toEqual(['common']);
  });

  it('lists the valid names for an unknown target', () => {
    expect(() => selectTargets(example, ['Prodution', 'Nope'])).toThrow(
      'unknown target "Prodution" (did you mean "Production"?), "Nope"; valid targets: Analytics, Demo, Production, Solo, Staging',
    );
  });

  it('keeps the whole graph for an empty selection', () => {
    expect(selectTargets(example, [])).toBe(example);
  });
});
