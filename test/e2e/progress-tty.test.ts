import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedVault } from '../../dev/seed.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { peerEnv } from '../support/cli-run.js';
import { screenLines } from '../support/terminal-screen.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

// The built CLI on a real pseudo-terminal: util-linux `script` (Debian bsdutils; .ci/run installs
// it) gives the child a pty as stdout and stderr and copies what it shows to its own stdout.
const CLI = 'dist/src/main.js';
const CONFIG = 'examples/secretsync.yaml';
const PROGRESS = /(merge|sync): \d+(\/\d+\+?)? secrets( read)?, \d+\/\d+ targets/;
const LOG_RECORD = '{"level"';
let vault: VaultPeer;
let aws: AwsPeer;
let env: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does)`);
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await seedVault(vault.address, vault.rootToken);
  // SHELL: `script -c` runs its command through $SHELL; pin a plain POSIX shell.
  env = peerEnv(vault, aws.endpoint, { SHELL: '/bin/sh', TERM: 'xterm' });
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

/** `arg` as one single-quoted POSIX shell word. */
function shellWord(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Runs `command` with argv `args` (no shell) and returns its exit code and stdout and stderr. */
function execute(
  command: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The pipeline on the example config with JSON logs at info, on a terminal. `script -c` takes one
 * command string that $SHELL runs: it is built from this fixed argv (no user data), each word
 * single-quoted, so the shell sees exactly these arguments.
 */
function pipelineOnTerminal(extra: readonly string[]) {
  const argv = [process.execPath, CLI, ...pipelineArgs(extra)];
  return execute('script', ['-qfec', argv.map(shellWord).join(' '), '/dev/null']);
}

function pipelineArgs(extra: readonly string[]): string[] {
  return [
    'pipeline',
    '-c',
    CONFIG,
    '-o',
    'compact',
    '--log-format',
    'json',
    '--log-level',
    'info',
    ...extra,
  ];
}

describe('progress on a terminal', () => {
  it('is drawn per phase and never shares a line with a log line', async () => {
    const { code, stdout: raw } = await pipelineOnTerminal([]);
    expect(code).toBe(0);
    // Progress was drawn, and at least one log line was written while it was on screen.
    expect(raw).toMatch(PROGRESS);
    expect(raw).toContain(`\x1b[2K${LOG_RECORD}`);
    // In the byte stream, every log record starts a line or follows the erase of the progress line.
    const records = raw.split(LOG_RECORD).slice(1);
    expect(records.length).toBeGreaterThan(0);
    for (const [index, before] of raw.split(LOG_RECORD).slice(0, -1).entries())
      expect([index, before === '' || before.endsWith('\n') || before.endsWith('\x1b[2K')]).toEqual(
        [index, true],
      );
    // On screen: every log line is whole JSON, none is lost, and no progress is left on any line.
    const screen = screenLines(raw);
    const logLines = screen.filter((line) => line.includes('"level"'));
    expect(logLines).toHaveLength(records.length);
    for (const line of logLines) expect(JSON.parse(line)).toHaveProperty('level');
    expect(screen.filter((line) => PROGRESS.test(line))).toEqual([]);
  });

  it('leaves the human report in colour on a terminal, the progress line gone', async () => {
    const { code, stdout: raw } = await pipelineOnTerminal(['--dry-run', '-o', 'human']);
    expect(code).toBe(0);
    expect(raw).toContain('\x1b[1m=== DRY RUN === nothing was written');
    const screen = screenLines(raw);
    expect(screen.some((line) => line.includes('=== DRY RUN ==='))).toBe(true);
    expect(screen.filter((line) => PROGRESS.test(line))).toEqual([]);
  });

  it('is not drawn with --no-progress', async () => {
    const { code, stdout: raw } = await pipelineOnTerminal(['--no-progress', '--dry-run']);
    expect(code).toBe(0);
    expect(raw).toContain(LOG_RECORD);
    expect(raw).not.toMatch(PROGRESS);
    expect(raw).not.toContain('\x1b[2K');
  });

  it('is not drawn when stderr is not a terminal', async () => {
    const { code, stderr } = await execute(process.execPath, [CLI, ...pipelineArgs(['--dry-run'])]);
    expect(code).toBe(0);
    expect(stderr).toContain(LOG_RECORD);
    expect(stderr).not.toMatch(PROGRESS);
    expect(stderr).not.toContain('\x1b[');
    for (const line of stderr.trimEnd().split('\n'))
      expect(JSON.parse(line)).toHaveProperty('level');
  });
});
