import { jsonEqual } from './json.js';
import type { JsonObject, JsonValue } from './json.js';

/** Which top-level keys of a secret differ — names only, never values. */
export interface KeyChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

/** Compares two versions of a secret key by key (semantically: key order does not matter). */
export function diffKeys(
  before: JsonObject | undefined,
  after: JsonObject | undefined,
): KeyChanges {
  const old = before ?? {};
  const next = after ?? {};
  const added = Object.keys(next).filter((key) => !Object.hasOwn(old, key));
  const removed = Object.keys(old).filter((key) => !Object.hasOwn(next, key));
  const changed = Object.keys(next).filter(
    (key) => Object.hasOwn(old, key) && !jsonEqual(old[key] as JsonValue, next[key] as JsonValue),
  );
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

/** True when the changes are empty. */
export function isUnchanged(changes: KeyChanges): boolean {
  return changes.added.length === 0 && changes.removed.length === 0 && changes.changed.length === 0;
}
