import { isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './json.js';

/**
 * Deepest nesting of objects and arrays a secret value may have (the secret itself is level 1).
 * Real secrets nest a few levels; a value ten times deeper is a mistake or an attack, and
 * recursive code (merge) stops at this depth (docs/adr/0008-value-depth-limit.rst).
 */
export const MAX_VALUE_DEPTH = 64;

/**
 * How deeply a JSON value nests (a scalar is 0, `{}` and `[]` are 1), counted without recursion.
 * Counting stops once the depth passes `limit`, so a hostile value costs little.
 */
export function jsonDepth(value: JsonValue, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const pending: [JsonValue, number][] = [[value, 1]];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [node, level] = item;
    const children = Array.isArray(node)
      ? (node as readonly JsonValue[])
      : isJsonObject(node)
        ? Object.values(node)
        : undefined;
    if (children === undefined) continue;
    deepest = Math.max(deepest, level);
    if (deepest > limit) return deepest;
    for (const child of children) pending.push([child, level + 1]);
  }
  return deepest;
}

/** The reason a secret's value nests deeper than {@link MAX_VALUE_DEPTH}, or undefined. */
export function checkDepth(value: JsonObject): string | undefined {
  return jsonDepth(value, MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH
    ? `value nests more than ${MAX_VALUE_DEPTH} levels deep; SecretSync syncs values up to ${MAX_VALUE_DEPTH} levels: flatten the secret in Vault`
    : undefined;
}
