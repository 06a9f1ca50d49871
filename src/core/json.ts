/** Any JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
/** A JSON object: what one secret holds (key → value). */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** Relative path → secret data: a source's secrets or a target's merged bundle. */
export type Bundle = ReadonlyMap<string, JsonObject>;

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON text with object keys sorted at every depth: equal data gives byte-equal text. */
export function canonicalJson(value: JsonValue): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map(sortKeys);
  if (!isJsonObject(value)) return value;
  // fromEntries defines own properties, so a key named "__proto__" stays a plain key.
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key] as JsonValue)]),
  );
}

/** Semantic equality of JSON values (key order does not matter, array order does). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
