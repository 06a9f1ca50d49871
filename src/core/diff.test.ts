import { describe, expect, it } from 'vitest';
import { diffKeys, isUnchanged } from './diff.js';

describe('diffKeys', () => {
  it('names added, removed and changed keys, sorted, comparing values semantically', () => {
    const changes = diffKeys(
      { a: 1, b: { x: 1, y: 2 }, c: 'gone', d: [1] },
      { b: { y: 2, x: 1 }, a: 2, e: true, d: [1] },
    );
    expect(changes).toEqual({ added: ['e'], removed: ['c'], changed: ['a'] });
    expect(isUnchanged(changes)).toBe(false);
  });

  it('treats a missing side as empty', () => {
    expect(diffKeys(undefined, { k: 1 })).toEqual({ added: ['k'], removed: [], changed: [] });
    expect(diffKeys({ k: 1 }, undefined)).toEqual({ added: [], removed: ['k'], changed: [] });
    expect(isUnchanged(diffKeys({ k: { a: 1, b: 2 } }, { k: { b: 2, a: 1 } }))).toBe(true);
  });
});
