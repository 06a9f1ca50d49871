import { describe, expect, it, vi } from 'vitest';
import type { CliIo } from './io.js';
import { runCli } from './program.js';

function capture(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = {
    env: { VAULT_TOKEN: 'root', ...env },
    cwd: process.cwd(),
    stderrIsTty: false,
    stdoutIsTty: false,
    watchStop: () => ({ stopped: () => false, dispose: () => undefined }),
    out: '',
    err: '',
    writeOut: (text: string) => {
      io.out += text;
    },
    writeErr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

describe('runCli', () => {
  it('validates the example and prints levels', async () => {
    const io = capture();
    expect(await runCli(['validate', '--config', 'examples/secretsync.yaml'], io)).toBe(0);
    expect(io.out).toContain(
      'Level 3:\n    Demo: account 444444444444, us-east-1, imports Production, Analytics',
    );
    expect(io.err).toBe('');
  });

  it('falls back to SECRETSYNC_CONFIG when --config is absent', async () => {
    const io = capture({ SECRETSYNC_CONFIG: 'examples/secretsync.yaml' });
    expect(await runCli(['validate'], io)).toBe(0);
    expect(io.out).toContain('examples/secretsync.yaml is valid');
  });

  it('falls back to ./config.yaml and says how to choose another file', async () => {
    const io = capture();
    expect(await runCli(['validate'], io)).toBe(1);
    expect(io.err).toContain(
      'config.yaml: (root): file not found: pass --config FILE or set SECRETSYNC_CONFIG',
    );
  });

  it('names --config, not "pass --config", when the file given to --config is missing', async () => {
    const io = capture();
    expect(await runCli(['validate', '--config', 'missing.yaml'], io)).toBe(1);
    expect(io.err).toContain(
      'missing.yaml: (root): file not found: check the path given to --config',
    );
    expect(io.err).not.toContain('pass --config');
  });

  it('lists config problems in line order', async () => {
    const io = capture();
    expect(await runCli(['validate', '-c', 'test/fixtures/config/broken.yaml'], io)).toBe(1);
    const lines = [...io.err.matchAll(/broken\.yaml:(\d+): /g)].map((match) => Number(match[1]));
    expect(lines).toHaveLength(3);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('prints every problem of a broken config, exit 1, or 2 with --exit-code', async () => {
    const io = capture();
    expect(await runCli(['validate', '-c', 'test/fixtures/config/broken.yaml'], io)).toBe(1);
    expect(io.err).toContain('has 3 problems');
    expect(io.err).toContain(
      'broken.yaml:13: targets.Stg.account_id: "1234" is not an AWS account id',
    );
    expect(io.err).toContain(
      'broken.yaml:14: targets.Stg.imports[0]: "comon" is not a source or target; did you mean "common"?',
    );
    expect(io.err).toContain(
      'broken.yaml:18: targets.Prod.delete_orphan: unknown key "delete_orphan"; did you mean "delete_orphans"?',
    );
    const second = capture();
    expect(
      await runCli(['validate', '--exit-code', '-c', 'test/fixtures/config/broken.yaml'], second),
    ).toBe(2);
    expect(second.err).not.toContain('    at ');
  });

  it('prints the graph identically on every run', async () => {
    const outputs = await Promise.all(
      ['text', 'dot', 'mermaid', 'dot'].map(async (format) => {
        const io = capture();
        await runCli(['graph', '-c', 'examples/secretsync.yaml', '--format', format], io);
        return io.out;
      }),
    );
    expect(outputs[1]).toBe(outputs[3]);
    expect(outputs[0]).toContain(
      'Level 2:\n  Analytics <- Staging, analytics\n  Production <- Staging, analytics',
    );
    expect(outputs[1]).toContain('"Production" -> "Demo" [label="1"];');
    expect(outputs[2]).toContain('flowchart LR');
  });

  it('rejects an unknown graph format and an unknown target', async () => {
    const io = capture();
    expect(await runCli(['graph', '-c', 'examples/secretsync.yaml', '--format', 'png'], io)).toBe(
      1,
    );
    expect(io.err).toContain("argument 'png' is invalid. Allowed choices are text, dot, mermaid.");
    const second = capture();
    expect(
      await runCli(['graph', '-c', 'examples/secretsync.yaml', '--targets', 'Dmo'], second),
    ).toBe(1);
    expect(second.err).toContain('valid targets: Analytics, Demo, Production, Staging');
  });

  it('refuses an empty or blank --targets instead of selecting every target', async () => {
    for (const value of ['', ' , ']) {
      const io = capture();
      expect(
        await runCli(['graph', '-c', 'examples/secretsync.yaml', '--targets', value], io),
      ).toBe(1);
      expect(io.err).toContain(
        `--targets is empty (${JSON.stringify(value)}): name at least one target, or omit --targets to select every target`,
      );
      expect(io.out).toBe('');
    }
  });

  it('refuses an empty SECRETSYNC_TARGETS before loading the config', async () => {
    vi.stubEnv('SECRETSYNC_TARGETS', '');
    try {
      const io = capture();
      expect(await runCli(['pipeline', '-c', 'does-not-exist.yaml', '--dry-run'], io)).toBe(1);
      expect(io.err).toContain(
        '--targets (or SECRETSYNC_TARGETS) is empty (""): name at least one target, or omit --targets and leave SECRETSYNC_TARGETS unset to select every target',
      );
      expect(io.err).not.toContain('file not found');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('prints help that describes every command, and the version', async () => {
    const io = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const command of ['validate', 'graph', 'version']) expect(io.out).toContain(command);
    const version = capture();
    expect(await runCli(['version', '--json'], version)).toBe(0);
    expect(JSON.parse(version.out)).toMatchObject({ version: '1.1.0' });
  });
});
