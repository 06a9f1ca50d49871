import { describe, expect, it } from 'vitest';
import { collectPages } from './paginate.js';
import type { Page } from './paginate.js';

describe('collectPages', () => {
  it('follows tokens across empty pages and counts each further page', async () => {
    const pages: Record<string, Page<number>> = {
      start: { items: [1, 2], next: 't1' },
      t1: { items: [], next: 't2' },
      t2: { items: undefined, next: 't3' },
      t3: { items: [3], next: '' },
    };
    const asked: (string | undefined)[] = [];
    let further = 0;
    const items = await collectPages(
      (token) => {
        asked.push(token);
        return Promise.resolve(pages[token ?? 'start'] ?? { items: [], next: undefined });
      },
      () => {
        further += 1;
      },
    );
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 't1', 't2', 't3']);
    expect(further).toBe(3);
  });
});
