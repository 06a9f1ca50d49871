import { describe, expect, it } from 'vitest';
import { canonicalJson } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import { checkDepth, jsonDepth, MAX_VALUE_DEPTH } from './json-depth.js';

/** `{"a": {"a": … leaf}}`, `levels` objects deep. */
function nested(levels: number, leaf: JsonValue = 1): JsonObject {
  let value: JsonValue = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value as JsonObject;
}

describe('jsonDepth', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(jsonDepth(1)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: [] }] })).toBe(4);
    expect(jsonDepth(nested(2_300))).toBe(2_300);
  });

  it('stops counting past the limit', () => {
    expect(jsonDepth(nested(100_000), 10)).toBe(11);
  });
});

describe('checkDepth', () => {
  it('accepts the limit and refuses one level more, naming the limit', () => {
    expect(checkDepth(nested(MAX_VALUE_DEPTH))).toBeUndefined();
    expect(checkDepth(nested(MAX_VALUE_DEPTH + 1))).toBe(
      'value nests more than 64 levels deep; SecretSync syncs values up to 64 levels: flatten the secret in Vault',
    );
    expect(checkDepth({ list: nested(MAX_VALUE_DEPTH, []) })).toContain('more than 64 levels');
  });
});

describe('canonicalJson at any depth', () => {
  it('writes a value 100,000 levels deep without overflowing the stack', () => {
    const text = canonicalJson(nested(100_000));
    expect(text.length).toBe(100_000 * 6 + 1);
    expect(text.startsWith('{"a":{"a":')).toBe(true);
  });

  it('writes what JSON.stringify writes, with keys sorted', () => {
    const value = { b: [1, 'x', null, { d: true, c: -0 }], a: { z: 1e21, y: 'é"\\' } };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)) as JsonValue)).toBe(
      '{"a":{"y":"é\\"\\\\","z":1e+21},"b":[1,"x",null,{"c":0,"d":true}]}',
    );
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":[]}}') as JsonValue)).toBe(
      '{"__proto__":{"x":[]},"b":1}',
    );
  });
});
