import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepMerge, mergeBundles } from './deep-merge.js';
import { canonicalJson } from './json.js';
import type { JsonObject, JsonValue } from './json.js';

describe('deepMerge', () => {
  it('gives the golden vector of the product spec', () => {
    const first = { host: 'a', port: 5432, tags: ['analytics', 'database'] };
    const second = {
      host: 'b',
      port: 5433,
      ssl: true,
      tags: ['engineering', 'database', 'extra-tag'],
    };
    expect(deepMerge(first, second)).toEqual({
      host: 'b',
      port: 5433,
      ssl: true,
      tags: ['analytics', 'database', 'engineering', 'database', 'extra-tag'],
    });
  });

  it.each([
    ['copies keys only in newer', { a: 1 }, { b: 2 }, { a: 1, b: 2 }],
    ['keeps older when newer is null', { a: 1 }, { a: null }, { a: 1 }],
    ['merges nested objects', { a: { x: 1, y: 1 } }, { a: { y: 2 } }, { a: { x: 1, y: 2 } }],
    ['newer wins on type conflict', { a: { x: 1 } }, { a: [1] }, { a: [1] }],
    ['newer scalar wins', { a: 'old' }, { a: 'new' }, { a: 'new' }],
  ] as const)('%s', (_, older, newer, expected) => {
    expect(deepMerge(older as JsonValue, newer as JsonValue)).toEqual(expected);
  });

  const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;
  const object = fc.dictionary(fc.string({ maxLength: 4 }), json, {
    maxKeys: 5,
  }) as fc.Arbitrary<JsonObject>;

  it('never mutates its inputs (property)', () => {
    fc.assert(
      fc.property(object, object, (a, b) => {
        const before = [canonicalJson(a), canonicalJson(b)];
        deepMerge(a, b);
        expect([canonicalJson(a), canonicalJson(b)]).toEqual(before);
      }),
    );
  });

  it('keeps every key of both sides (property)', () => {
    fc.assert(
      fc.property(object, object, (a, b) => {
        const merged = deepMerge(a, b) as JsonObject;
        for (const key of [...Object.keys(a), ...Object.keys(b)])
          expect(Object.hasOwn(merged, key)).toBe(true);
      }),
    );
  });

  it('merging with an empty object is the identity (property)', () => {
    fc.assert(
      fc.property(object, (a) => {
        expect(canonicalJson(deepMerge(a, {}))).toBe(canonicalJson(a));
        expect(canonicalJson(deepMerge({}, a))).toBe(canonicalJson(a));
      }),
    );
  });
});

describe('mergeBundles', () => {
  it('merges secrets by path in import order and sorts paths', () => {
    const merged = mergeBundles([
      new Map([
        ['db', { host: 'a' }],
        ['z', { k: 1 }],
      ]),
      new Map([
        ['db', { host: 'b', ssl: true }],
        ['a', { k: 2 }],
      ]),
    ]);
    expect([...merged]).toEqual([
      ['a', { k: 2 }],
      ['db', { host: 'b', ssl: true }],
      ['z', { k: 1 }],
    ]);
  });
});
