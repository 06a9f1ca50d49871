import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// Requirement 10: the shipped code never starts a shell. src/ starts no child process at all;
// tooling elsewhere uses execFile/spawn with argument arrays (see SECURITY.md for the audit).

/** What must never appear in src/, with why. `RegExp.prototype.exec` (`/x/.exec(s)`) is fine. */
const FORBIDDEN: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /child_process/, what: 'a child_process import (src/ starts no processes)' },
  { pattern: /(?<![.\w])exec\s*\(/, what: 'a bare exec( call' },
  { pattern: /\b(?:child_process|cp|childProcess)\s*\.\s*exec\s*\(/, what: 'child_process.exec(' },
  { pattern: /\bexecSync\s*\(/, what: 'an execSync( call' },
  { pattern: /\bshell\s*:\s*true\b/, what: 'shell: true' },
];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every forbidden construct in `text`, as `what (line n)`. */
function findShellUse(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, index) =>
      FORBIDDEN.filter(({ pattern }) => pattern.test(line)).map(
        ({ what }) => `${what} (line ${index + 1})`,
      ),
    );
}

/**
 * The repository's own ESLint config, for a file that exists only in memory: type-aware rules are
 * switched off for it (the TypeScript project does not know the file); the shell bans are not
 * type-aware, so they run exactly as they do on real files.
 */
function sampleLinter(filePath: string): ESLint {
  return new ESLint({
    cwd: process.cwd(),
    overrideConfig: [{ files: [filePath], ...tseslint.configs.disableTypeChecked }],
  });
}

describe('no shell in src/ (requirement 10)', () => {
  it('finds no child_process import, exec(, execSync( or shell: true in any file of src/', () => {
    const findings = sourceFiles('src').flatMap((file) =>
      findShellUse(readFileSync(file, 'utf8')).map((finding) => `${file}: ${finding}`),
    );
    expect(findings).toEqual([]);
  });

  it('the scan catches each construct, and leaves RegExp#exec alone', () => {
    expect(findShellUse("import { exec } from 'node:child_process';")).toHaveLength(1);
    expect(findShellUse('exec(`git ${ref}`);')).toEqual(['a bare exec( call (line 1)']);
    expect(findShellUse('cp.exec(cmd);')).toEqual(['child_process.exec( (line 1)']);
    expect(findShellUse('execSync(cmd)')).toEqual(['an execSync( call (line 1)']);
    expect(findShellUse("spawn('ls', [], { shell: true })")).toEqual(['shell: true (line 1)']);
    expect(findShellUse('const m = /a(b)/.exec(text);')).toEqual([]);
  });

  it('ESLint rejects shell use in a file of src/', async () => {
    const eslint = sampleLinter('src/core/sample.ts');
    const sample = [
      "import { exec, spawn } from 'node:child_process';",
      '',
      '/** Runs a user-supplied command line: exactly what requirement 10 forbids. */',
      'export function run(userInput: string): void {',
      '  exec(`git log ${userInput}`);',
      "  spawn('git', ['log', userInput], { shell: true });",
      '}',
      '',
    ].join('\n');
    const [result] = await eslint.lintText(sample, { filePath: 'src/core/sample.ts' });
    const rules = (result?.messages ?? []).map((message) => message.ruleId);
    expect(rules).toContain('@typescript-eslint/no-restricted-imports');
    expect(rules).toContain('no-restricted-syntax');
    expect(result?.messages.map((message) => message.message).join('\n')).toContain(
      'Requirement 10',
    );
  });

  it('ESLint accepts execFile with an argument array outside src/', async () => {
    const eslint = sampleLinter('scripts/sample.ts');
    const sample = [
      "import { execFile } from 'node:child_process';",
      '',
      "execFile('git', ['rev-parse', 'HEAD'], () => undefined);",
      '',
    ].join('\n');
    const [result] = await eslint.lintText(sample, { filePath: 'scripts/sample.ts' });
    expect(
      (result?.messages ?? []).filter((message) =>
        ['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax'].includes(
          message.ruleId ?? '',
        ),
      ),
    ).toEqual([]);
  });
});
