import { UsageError } from '../core/errors.js';

/** The flag a name list comes from, and the environment variable that can set it. */
export interface NameListSource {
  readonly flag: string;
  readonly env?: string;
}

/**
 * Splits a comma-separated flag value (`a,b, c`) into trimmed non-empty names. Absent means "no
 * selection"; a present value with no name in it (`""`, `" , "`: often an unset CI variable) is a
 * UsageError, never "everything".
 */
export function parseNameList(value: string | undefined, source: NameListSource): string[] {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (value !== undefined && names.length === 0) {
    const { flag, env } = source;
    const where = env === undefined ? flag : `${flag} (or ${env})`;
    const omit = env === undefined ? `omit ${flag}` : `omit ${flag} and leave ${env} unset`;
    throw new UsageError(
      `${where} is empty (${JSON.stringify(value)}): name at least one target, or ${omit} to select every target`,
    );
  }
  return names;
}
