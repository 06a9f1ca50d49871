import { isJsonObject } from './json.js';
import type { Bundle, JsonObject, JsonValue } from './json.js';
import { MAX_VALUE_DEPTH } from './json-depth.js';

/**
 * Deep-merges `newer` over `older` (product rules): keys only in newer are copied; a null newer
 * value keeps the older one; objects merge recursively; arrays concatenate older first with
 * duplicates kept; any other pair (scalars, type conflicts) takes the newer value. Inputs are never
 * mutated. `level` is how deep the values sit in their secret (the secret is 1): objects below
 * {@link MAX_VALUE_DEPTH} are not merged (the newer wins), which bounds the recursion; such a
 * secret is too deep to sync anyway, and planning fails it by name.
 */
export function deepMerge(older: JsonValue, newer: JsonValue, level = 2): JsonValue {
  if (newer === null) return older;
  if (Array.isArray(older) && Array.isArray(newer)) {
    return [...(older as readonly JsonValue[]), ...(newer as readonly JsonValue[])];
  }
  if (isJsonObject(older) && isJsonObject(newer) && level <= MAX_VALUE_DEPTH) {
    return mergeObjects(older, newer, level);
  }
  return newer;
}

/** Merges two secrets (objects at `level`, 1 for a whole secret) key by key with {@link deepMerge}. */
export function mergeObjects(older: JsonObject, newer: JsonObject, level = 1): JsonObject {
  // Own-property checks and fromEntries: keys named like Object.prototype members ("toString",
  // "constructor", "__proto__") are ordinary secret keys here.
  const merged = new Map<string, JsonValue>(Object.entries(older));
  for (const [key, value] of Object.entries(newer)) {
    merged.set(
      key,
      Object.hasOwn(older, key) ? deepMerge(older[key] as JsonValue, value, level + 1) : value,
    );
  }
  return Object.fromEntries(merged);
}

/** Merges bundles in import order: later bundles win, secret by secret, key by key. */
export function mergeBundles(bundles: readonly Bundle[]): Bundle {
  const merged = new Map<string, JsonObject>();
  for (const bundle of bundles) {
    for (const [path, secret] of bundle) {
      const existing = merged.get(path);
      merged.set(path, existing === undefined ? secret : mergeObjects(existing, secret));
    }
  }
  return new Map([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
