/** Why a path from Vault (or config) cannot be used, or undefined when it is safe. */
export function checkRelativePath(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.includes('\u0000')) return 'contains a NUL character';
  if (path.startsWith('/')) return 'starts with "/"';
  if (path.includes('//')) return 'contains "//"';
  if (path.split('/').some((segment) => segment === '..' || segment === '.'))
    return 'contains a "." or ".." segment';
  return undefined;
}

/** Joins path parts with single slashes, dropping empty parts and outer slashes. */
export function joinPath(...parts: readonly (string | undefined)[]): string {
  return parts
    .flatMap((part) => (part ?? '').split('/'))
    .filter((segment) => segment !== '')
    .join('/');
}

/** Converts a glob (`*` within a segment, `**` across segments, `?` one char) to a RegExp. */
export function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}
