import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepMerge, mergeBundles, mergeObjects } from './deep-merge.js';
import { canonicalJson } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import { jsonDepth, MAX_VALUE_DEPTH } from './json-depth.js';

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

  it('merges a secret nested 2,300 levels deep without overflowing, newer winning below the limit', () => {
    const nested = (levels: number, leaf: JsonObject): JsonObject => {
      let value = leaf;
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    const older = new Map([
      ['deep', nested(2_300, { old: 1 })],
      ['x', { a: { b: 1 } }],
    ]);
    const newer = new Map([
      ['deep', nested(2_300, { new: 1 })],
      ['x', { a: { c: 2 } }],
    ]);
    const merged = mergeBundles([older, newer]);
    expect(merged.get('x')).toEqual({ a: { b: 1, c: 2 } });
    expect(jsonDepth(merged.get('deep') as JsonObject)).toBe(2_301);
    expect(canonicalJson(merged.get('deep') as JsonObject)).toContain('{"new":1}');
    expect(canonicalJson(merged.get('deep') as JsonObject)).not.toContain('"old"');
  });

  it('still merges objects at the depth limit', () => {
    const nested = (levels: number, leaf: JsonObject): JsonObject => {
      let value = leaf;
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    // The leaves sit at level 64: merged key by key, as at any shallower level.
    const merged = mergeObjects(nested(63, { old: 1 }), nested(63, { new: 1 }));
    expect(jsonDepth(merged)).toBe(MAX_VALUE_DEPTH);
    expect(canonicalJson(merged)).toContain('{"new":1,"old":1}');
  });
});
