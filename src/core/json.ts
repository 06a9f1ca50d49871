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

/** Text to emit, or a value still to write. */
type Step = { readonly text: string } | { readonly value: JsonValue };

/**
 * JSON text with object keys sorted at every depth: equal data gives byte-equal text. Written
 * with an explicit stack, so any depth works (a recursive writer overflows the call stack on a
 * value a few thousand levels deep).
 */
export function canonicalJson(value: JsonValue): string {
  const out: string[] = [];
  const steps: Step[] = [{ value }];
  for (let step = steps.pop(); step !== undefined; step = steps.pop()) {
    if ('text' in step) out.push(step.text);
    else pushSteps(step.value, steps, out);
  }
  return out.join('');
}

/** Writes a scalar, or queues a container's parts (in reverse, as `steps` is a stack). */
function pushSteps(value: JsonValue, steps: Step[], out: string[]): void {
  if (Array.isArray(value)) {
    const items = value as readonly JsonValue[];
    steps.push({ text: ']' });
    for (let i = items.length - 1; i >= 0; i--) {
      steps.push({ value: items[i] as JsonValue });
      if (i > 0) steps.push({ text: ',' });
    }
    steps.push({ text: '[' });
  } else if (isJsonObject(value)) {
    // Own keys only, sorted by code unit: a key named "__proto__" is an ordinary key.
    const keys = Object.keys(value).sort();
    steps.push({ text: '}' });
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      steps.push({ value: value[key] as JsonValue }, { text: `${JSON.stringify(key)}:` });
      if (i > 0) steps.push({ text: ',' });
    }
    steps.push({ text: '{' });
  } else {
    out.push(JSON.stringify(value));
  }
}

/** Semantic equality of JSON values (key order does not matter, array order does). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
