import { isJsonObject } from './json.js';
import type { Bundle, JsonObject, JsonValue } from './json.js';

/**
 * Deep-merges `newer` over `older` (product rules): keys only in newer are copied; a null newer
 * value keeps the older one; objects merge recursively; arrays concatenate older first with
 * duplicates kept; any other pair (scalars, type conflicts) takes the newer value. Inputs are never
 * mutated.
 */
export function deepMerge(older: JsonValue, newer: JsonValue): JsonValue {
  if (newer === null) return older;
  if (Array.isArray(older) && Array.isArray(newer)) {
    return [...(older as readonly JsonValue[]), ...(newer as readonly JsonValue[])];
  }
  if (isJsonObject(older) && isJsonObject(newer)) return mergeObjects(older, newer);
  return newer;
}

/** Merges two secrets key by key with {@link deepMerge}. */
export function mergeObjects(older: JsonObject, newer: JsonObject): JsonObject {
  // Own-property checks and fromEntries: keys named like Object.prototype members ("toString",
  // "constructor", "__proto__") are ordinary secret keys here.
  const merged = new Map<string, JsonValue>(Object.entries(older));
  for (const [key, value] of Object.entries(newer)) {
    merged.set(key, Object.hasOwn(older, key) ? deepMerge(older[key] as JsonValue, value) : value);
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
