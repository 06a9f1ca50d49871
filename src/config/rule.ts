import type { Environment } from './env-substitution.js';
import type { ConfigFile, TargetEntry } from './schema.js';

/** A problem a rule found, at a path of the config file. */
export interface RuleFinding {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** A named cross-field check over the parsed config file. */
export interface ConfigRule {
  readonly name: string;
  check(file: ConfigFile, env: Environment): RuleFinding[];
}

/** The imports of a target written in either form. */
export function importsOf(entry: TargetEntry): readonly string[] {
  return Array.isArray(entry) ? entry : entry.imports;
}

/** Sorted `[name, value]` pairs of an optional record. */
export function entriesOf<T>(record: Readonly<Record<string, T>> | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

/** A finding when `check` reports a problem with `value`, none otherwise. */
export function findingIf(
  value: string | undefined,
  path: readonly PropertyKey[],
  check: (value: string) => string | undefined,
): RuleFinding[] {
  if (value === undefined) return [];
  const message = check(value);
  return message === undefined ? [] : [{ path, message }];
}
