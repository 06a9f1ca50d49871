import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// Runs the built CLI as a user would (`npm test` builds first), argument arrays only.
const run = promisify(execFile);
const CLI = 'dist/src/main.js';

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', VAULT_TOKEN: 'root', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('built CLI', () => {
  beforeAll(() => {
    if (!existsSync(CLI))
      throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it)`);
  });

  it('validates the example config', async () => {
    const result = await cli(['validate', '--config', 'examples/secretsync.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Targets (4) by level:');
    expect(result.stdout).toContain('Sandboxes: discovered by organizations, imports Staging');
  });

  it('prints every problem of a broken config with lines, exit 1 then 2 with --exit-code', async () => {
    const plain = await cli(['validate', '-c', 'test/fixtures/config/broken.yaml']);
    expect(plain.code).toBe(1);
    expect(plain.stderr.match(/broken\.yaml:\d+: /g)).toHaveLength(3);
    expect(plain.stdout).toBe('');
    const detailed = await cli([
      'validate',
      '--exit-code',
      '-c',
      'test/fixtures/config/broken.yaml',
    ]);
    expect(detailed.code).toBe(2);
  });

  it('prints byte-identical graphs on every run', async () => {
    for (const format of ['text', 'dot', 'mermaid']) {
      const first = await cli(['graph', '-c', 'examples/secretsync.yaml', '-f', format]);
      const second = await cli(['graph', '-c', 'examples/secretsync.yaml', '-f', format]);
      expect(first.code).toBe(0);
      expect(second.stdout).toBe(first.stdout);
    }
  });

  it('reports version, commit and build date', async () => {
    const result = await cli(['version']);
    expect(result.stdout).toMatch(
      /^secretsync 1\.1\.0 \(commit \S+, built \d{4}-\d\d-\d\dT[\d:.]+Z, node v\d+/,
    );
  });

  it('uses SECRETSYNC_CONFIG when --config is absent', async () => {
    const result = await cli(['graph'], { SECRETSYNC_CONFIG: 'examples/secretsync.yaml' });
    expect(result.stdout).toContain('Level 3:\n  Demo <- Production, Analytics');
  });
});
