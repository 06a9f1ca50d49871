import { describe, expect, it } from 'vitest';
import { DataError } from '../../core/errors.js';
import { collectPages } from './paginate.js';
import type { Page } from './paginate.js';

describe('collectPages', () => {
  it('follows tokens across empty pages until a page has none', async () => {
    const pages: Record<string, Page<number>> = {
      start: { items: [1, 2], next: 't1' },
      t1: { items: [], next: 't2' },
      t2: { items: undefined, next: 't3' },
      t3: { items: [3], next: '' },
    };
    const asked: (string | undefined)[] = [];
    const items = await collectPages('numbers', (token) => {
      asked.push(token);
      return Promise.resolve(pages[token ?? 'start'] ?? { items: [], next: undefined });
    });
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 't1', 't2', 't3']);
  });

  it('stops with a DataError when the service hands back a token it already gave', async () => {
    const pages: Record<string, Page<number>> = {
      start: { items: [1], next: 'a' },
      a: { items: [2], next: 'b' },
      b: { items: [3], next: 'a' },
    };
    let calls = 0;
    const listing = collectPages('secrets of Prod', (token) => {
      calls += 1;
      return Promise.resolve(pages[token ?? 'start'] ?? { items: [], next: undefined });
    });
    await expect(listing).rejects.toBeInstanceOf(DataError);
    await expect(listing).rejects.toThrow(
      /listing secrets of Prod: .*"a…" a second time after 3 pages/,
    );
    expect(calls).toBe(3);
  });
});
