import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRelativePath, globToRegExp, joinPath } from './secret-path.js';

describe('checkRelativePath', () => {
  it.each([
    ['app/db', undefined],
    ['a', undefined],
    ['', 'is empty'],
    ['a\u0000b', 'contains a NUL character'],
    ['/abs', 'starts with "/"'],
    ['a//b', 'contains "//"'],
    ['a/../b', 'contains a "." or ".." segment'],
    ['..', 'contains a "." or ".." segment'],
    ['a/./b', 'contains a "." or ".." segment'],
    ['a..b/c', undefined],
  ])('%j: %s', (path, problem) => {
    expect(checkRelativePath(path)).toBe(problem);
  });

  it('accepted paths never escape their root (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '..', '.', '', 'x/y', '\u0000'), { maxLength: 6 }),
        (parts) => {
          const path = parts.join('/');
          if (checkRelativePath(path) !== undefined) return;
          const depth = path
            .split('/')
            .reduce((d, segment) => (d < 0 ? d : segment === '..' ? d - 1 : d + 1), 0);
          expect(depth).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe('joinPath', () => {
  it('joins with single slashes', () => {
    expect(joinPath('secret/', '/team/app/', undefined, 'db')).toBe('secret/team/app/db');
  });
});

describe('globToRegExp', () => {
  it.each([
    ['shared/*', 'shared/db', true],
    ['shared/*', 'shared/a/db', false],
    ['common/**', 'common/a/b/c', true],
    ['**/db', 'x/y/db', true],
    ['**/db', 'db', true],
    ['app?', 'app1', true],
    ['a.b', 'axb', false],
  ])('%s matches %s: %s', (glob, path, matches) => {
    expect(globToRegExp(glob).test(path)).toBe(matches);
  });
});
