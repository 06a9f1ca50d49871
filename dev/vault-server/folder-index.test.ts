import { describe, expect, it } from 'vitest';
import { parseDurationSeconds, formatGoDuration } from './clock.js';
import { FolderIndex } from './folder-index.js';

describe('FolderIndex', () => {
  it('lists one level, sorted byte-wise, with folders ending in /', () => {
    const index = new FolderIndex();
    for (const key of ['b/x', 'B', 'a', 'b/y/z', 'b/y/w']) index.add(key);
    expect(index.list('')).toEqual(['B', 'a', 'b/']);
    expect(index.list('b/')).toEqual(['x', 'y/']);
    expect(index.list('b/y/')).toEqual(['w', 'z']);
    expect(index.list('nope/')).toBeUndefined();
  });

  it('drops a folder from its parent once its last key is removed', () => {
    const index = new FolderIndex();
    index.add('f/one');
    index.add('f/two');
    index.add('top');
    index.remove('f/one');
    expect(index.list('')).toEqual(['f/', 'top']);
    index.remove('f/two');
    expect(index.list('')).toEqual(['top']);
    expect(index.list('f/')).toBeUndefined();
  });

  it('ignores the removal of a key it never had', () => {
    const index = new FolderIndex();
    index.add('a/b');
    index.remove('a/c');
    index.remove('z');
    expect(index.list('a/')).toEqual(['b']);
  });
});

describe('durations', () => {
  it.each([
    [3600, 3600],
    ['90', 90],
    ['90s', 90],
    ['30m', 1800],
    ['1h30m', 5400],
    ['768h', 2_764_800],
    ['1d', 86_400],
  ] as const)('%s is %i seconds', (input, seconds) => {
    expect(parseDurationSeconds(input)).toBe(seconds);
  });

  it('refuses nonsense', () => {
    expect(parseDurationSeconds('soon')).toBeUndefined();
    expect(parseDurationSeconds('1h junk')).toBeUndefined();
    expect(parseDurationSeconds(-1)).toBeUndefined();
  });

  it('prints seconds the way Go prints durations', () => {
    expect(formatGoDuration(0)).toBe('0s');
    expect(formatGoDuration(90)).toBe('1m30s');
    expect(formatGoDuration(3600)).toBe('1h0m0s');
  });
});
