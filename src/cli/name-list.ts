/** Splits a comma-separated flag value (`a,b, c`) into trimmed non-empty names. */
export function parseNameList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
