import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeSubstitutionProblem, substituteEnv } from './env-substitution.js';

describe('substituteEnv', () => {
  const env = { HOST: 'vault.internal', EMPTY: '' };

  it.each([
    ['plain text', 'plain text'],
    ['https://${HOST}:8200', 'https://vault.internal:8200'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY}', ''],
    ['$${HOST}', '${HOST}'],
    ['$$${HOST}', '$${HOST}'],
    ['${HOST}-${HOST}', 'vault.internal-vault.internal'],
    ['${MISSING:-a:-b}', 'a:-b'],
    ['cost: $5', 'cost: $5'],
  ])('%s -> %s', (text, expected) => {
    expect(substituteEnv(text, env)).toMatchObject({ ok: true, value: expected });
  });

  it('reports every unset variable, and malformed references', () => {
    expect(substituteEnv('${A}/${B}/${HOST}', env)).toEqual({
      ok: false,
      problems: [
        { kind: 'unset', name: 'A' },
        { kind: 'unset', name: 'B' },
      ],
    });
    expect(substituteEnv('${1BAD}', env)).toEqual({
      ok: false,
      problems: [{ kind: 'invalid', name: '${1BAD}' }],
    });
    expect(substituteEnv('${}', env)).toEqual({
      ok: false,
      problems: [{ kind: 'invalid', name: '${}' }],
    });
    expect(substituteEnv('${A:-${HOST}}', env)).toEqual({
      ok: false,
      problems: [{ kind: 'nested', name: '${A:-${HOST}}' }],
    });
  });

  it('describes each problem with the fix', () => {
    expect(describeSubstitutionProblem({ kind: 'invalid', name: '${}' })).toBe(
      '"${}" has no variable name: write ${NAME}, or $${} for the literal text',
    );
    expect(describeSubstitutionProblem({ kind: 'nested', name: '${A:-${B}}' })).toContain(
      'is a nested reference (a reference inside a default), which is not supported',
    );
    expect(describeSubstitutionProblem({ kind: 'invalid', name: '${1BAD}' })).toContain(
      '"${1BAD}" is not a valid environment variable reference',
    );
  });

  it('says whether anything changed', () => {
    expect(substituteEnv('no refs', env)).toEqual({ ok: true, value: 'no refs', changed: false });
  });

  it('leaves text without a dollar-brace untouched (property)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('${')),
        (text) => {
          expect(substituteEnv(text, {})).toEqual({ ok: true, value: text, changed: false });
        },
      ),
    );
  });

  it('an escaped reference always yields the literal reference (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
    fc.assert(
      fc.property(name, fc.string({ maxLength: 20 }), (variable, value) => {
        expect(substituteEnv(`$\${${variable}}`, { [variable]: value })).toMatchObject({
          ok: true,
          value: `\${${variable}}`,
        });
      }),
    );
  });

  it('a set variable is replaced by exactly its value (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
    fc.assert(
      fc.property(name, fc.string({ maxLength: 40 }), (variable, value) => {
        expect(substituteEnv(`<\${${variable}}>`, { [variable]: value })).toMatchObject({
          ok: true,
          value: `<${value}>`,
        });
      }),
    );
  });
});
