import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepMerge, mergeBundles, mergeObjects } from './deep-merge.js';
import { canonicalJson } from './json.js';
import type { Bundle, JsonObject, JsonValue } from './json.js';

// Invariants of bundle merging: left-fold composition, associativity where it holds (no type
// conflicts), and the spec's per-key rules.

const path = fc.constantFrom('db', 'api', 'app/cache', 'z');

/**
 * Values whose JSON type is fixed by the key's first letter (o: object, a: array, anything else:
 * scalar or null), so bundles never disagree on a key's type: the case where merging is
 * associative. A null may stand anywhere (it means "keep the older value").
 */
const shapedObject: fc.Arbitrary<JsonObject> = fc
  .uniqueArray(fc.constantFrom('o1', 'o2', 'a1', 'a2', 's1', 's2', 'n1'), { maxLength: 4 })
  .chain((keys) =>
    fc
      .tuple(
        ...keys.map((key) =>
          fc.oneof(
            { weight: 1, arbitrary: fc.constant<JsonValue>(null) },
            { weight: 4, arbitrary: valueFor(key) },
          ),
        ),
      )
      .map((values) => Object.fromEntries(keys.map((key, i) => [key, values[i] ?? null]))),
  );

function valueFor(key: string): fc.Arbitrary<JsonValue> {
  if (key.startsWith('o'))
    return fc.dictionary(fc.constantFrom('s1', 's2'), fc.integer({ min: 0, max: 9 }), {
      maxKeys: 2,
    });
  if (key.startsWith('a')) return fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 });
  return fc.oneof(fc.integer({ min: 0, max: 9 }), fc.string({ maxLength: 3 }), fc.boolean());
}

const shapedBundle: fc.Arbitrary<Bundle> = fc
  .uniqueArray(fc.tuple(path, shapedObject), { selector: ([p]) => p, maxLength: 3 })
  .map((entries) => new Map(entries));

/** Any JSON values: type conflicts included. */
const anyObject = fc.dictionary(
  fc.constantFrom('k', 'l', 'm'),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>,
  { maxKeys: 3 },
) as fc.Arbitrary<JsonObject>;
const anyBundle: fc.Arbitrary<Bundle> = fc
  .uniqueArray(fc.tuple(path, anyObject), { selector: ([p]) => p, maxLength: 3 })
  .map((entries) => new Map(entries));

/** A bundle as comparable text: paths in order, values canonical. */
function textOf(bundle: Bundle): string {
  return JSON.stringify([...bundle].map(([p, secret]) => [p, canonicalJson(secret)]));
}

describe('mergeBundles (properties)', () => {
  it('merging a list equals merging its prefix first (left fold), for any values', () => {
    fc.assert(
      fc.property(anyBundle, anyBundle, anyBundle, (a, b, c) => {
        expect(textOf(mergeBundles([a, b, c]))).toBe(
          textOf(mergeBundles([mergeBundles([a, b]), c])),
        );
      }),
    );
  });

  it('is associative when no key changes JSON type between imports', () => {
    fc.assert(
      fc.property(shapedBundle, shapedBundle, shapedBundle, (a, b, c) => {
        expect(textOf(mergeBundles([a, mergeBundles([b, c])]))).toBe(
          textOf(mergeBundles([mergeBundles([a, b]), c])),
        );
      }),
    );
  });

  it('is not associative across a type conflict (why the property above needs shapes)', () => {
    const a = new Map([['p', { k: { x: 1 } }]]);
    const b = new Map([['p', { k: 'scalar' }]]);
    const c = new Map([['p', { k: { y: 2 } }]]);
    expect(textOf(mergeBundles([mergeBundles([a, b]), c]))).toBe('[["p","{\\"k\\":{\\"y\\":2}}"]]');
    expect(textOf(mergeBundles([a, mergeBundles([b, c])]))).toBe(
      '[["p","{\\"k\\":{\\"x\\":1,\\"y\\":2}}"]]',
    );
  });

  it('has the empty bundle as identity on both sides, and sorts paths', () => {
    fc.assert(
      fc.property(anyBundle, (a) => {
        const sorted = textOf(new Map([...a].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))));
        expect(textOf(mergeBundles([a]))).toBe(sorted);
        expect(textOf(mergeBundles([new Map(), a]))).toBe(sorted);
        expect(textOf(mergeBundles([a, new Map()]))).toBe(sorted);
      }),
    );
  });

  it('keeps exactly the union of paths, and a path only one import has is taken as is', () => {
    fc.assert(
      fc.property(anyBundle, anyBundle, (a, b) => {
        const merged = mergeBundles([a, b]);
        expect([...merged.keys()]).toEqual([...new Set([...a.keys(), ...b.keys()])].sort());
        for (const [p, secret] of merged) {
          const only = a.has(p) !== b.has(p) ? (a.get(p) ?? b.get(p)) : undefined;
          if (only !== undefined) expect(canonicalJson(secret)).toBe(canonicalJson(only));
        }
      }),
    );
  });

  it('never mutates the bundles it merges', () => {
    fc.assert(
      fc.property(anyBundle, anyBundle, (a, b) => {
        const before = [textOf(a), textOf(b)];
        mergeBundles([a, b]);
        expect([textOf(a), textOf(b)]).toEqual(before);
      }),
    );
  });
});

describe('deepMerge key rules (properties)', () => {
  it('the newer non-null scalar wins; a newer null keeps the older value', () => {
    fc.assert(
      fc.property(anyObject, anyObject, (older, newer) => {
        const merged = mergeObjects(older, newer);
        for (const [key, value] of Object.entries(newer)) {
          if (value === null && Object.hasOwn(older, key))
            expect(canonicalJson(merged[key] ?? null)).toBe(canonicalJson(older[key] ?? null));
          if (value !== null && typeof value !== 'object') expect(merged[key]).toBe(value);
        }
      }),
    );
  });

  it('concatenates arrays, older first', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.array(fc.integer()), (older, newer) => {
        expect(deepMerge(older, newer)).toEqual([...older, ...newer]);
      }),
    );
  });

  // Bug: mergeObjects tests `key in older`, which sees Object.prototype: `{constructor: null}`
  // over `{}` yields the Object function for "constructor" (dropped from the JSON), and
  // "__proto__" from Vault data becomes the result's prototype instead of a key.
  it('copies a key only the newer side has, even one named like an Object.prototype member', () => {
    fc.assert(
      fc.property(fc.constantFrom('constructor', 'toString', '__proto__'), (name) => {
        const newer = JSON.parse(`{"${name}": null, "a": 1}`) as JsonObject;
        expect(canonicalJson(mergeObjects({ a: 0 }, newer))).toBe(
          canonicalJson(JSON.parse(`{"a": 1, "${name}": null}`) as JsonObject),
        );
        expect(Object.keys(mergeObjects({ a: 0 }, newer)).sort()).toEqual([name, 'a'].sort());
      }),
    );
  });
});
