import { describe, expect, it } from 'vitest';
import { editDistance, suggestClosest } from './suggest.js';

describe('suggestClosest', () => {
  const keys = ['delete_orphans', 'parallel', 'recovery_window_days'];

  it('finds misspellings and transpositions', () => {
    expect(suggestClosest('delete_orphan', keys)).toBe('delete_orphans');
    expect(suggestClosest('paralel', keys)).toBe('parallel');
    expect(suggestClosest('prallel', keys)).toBe('parallel');
    expect(suggestClosest('DELETE_ORPHANS', keys)).toBe('delete_orphans');
  });

  it('proposes nothing unrelated', () => {
    expect(suggestClosest('timeout', keys)).toBeUndefined();
    expect(suggestClosest('x', [])).toBeUndefined();
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['ab', 'ba', 1],
  ])('%s ~ %s = %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});
