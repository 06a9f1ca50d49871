import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrganization, seedVault } from '../../dev/seed.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { peerEnv } from '../support/cli-run.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

/*
 * The logs of the built CLI on the example (`npm run demo`): a handful of lines at info, exactly
 * one line per API call at debug, errors with class/code/fault (stack at debug only), and
 * warnings and errors as workflow commands under GitHub Actions.
 */

const CLI = 'dist/src/main.js';
const EXAMPLE = ['pipeline', '--config', 'examples/secretsync.yaml'];
const exec = promisify(execFile);
let vault: VaultPeer;
let aws: AwsPeer;
let env: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it)`);
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await seedVault(vault.address, vault.rootToken);
  const organization = await seedOrganization(aws.endpoint);
  env = peerEnv(vault, aws.endpoint, { SANDBOX_OU_ID: organization.sandboxOuId });
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

async function cli(args: readonly string[], extraEnv: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], {
      env: { ...env, ...extraEnv },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const linesOf = (text: string) => text.split('\n').filter((line) => line !== '');
const recordsOf = (text: string) =>
  linesOf(text).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('logs of the example run', () => {
  it('at info: under 30 stderr lines, one per run start/end and per target and phase', async () => {
    const result = await cli([...EXAMPLE, '--discover', '--dry-run', '--log-level', 'info']);
    expect(result.code).toBe(0);
    const lines = linesOf(result.stderr);
    expect(lines.length).toBeLessThan(30);
    expect(lines.filter((line) => / INFO: merge \S+: ok, \d+ secret/.test(line))).toHaveLength(5);
    expect(lines.filter((line) => / INFO: sync \S+: ok, \d+ added/.test(line))).toHaveLength(5);
    expect(
      lines.filter((line) => line.includes(' started: full (dry run), 5 target')),
    ).toHaveLength(1);
    expect(lines.filter((line) => / finished in \d+ms: /.test(line))).toHaveLength(1);
  });

  it('at debug: exactly one line per API call, as many as the metrics counted', async () => {
    const result = await cli([
      ...EXAMPLE,
      '--discover',
      '--dry-run',
      '--log-level',
      'debug',
      '--log-format',
      'json',
    ]);
    expect(result.code).toBe(0);
    const records = recordsOf(result.stderr);
    const calls = records.filter((record) => record.event === 'api_call');
    const end = records.find((record) => record.event === 'run_end');
    // The run-end line says how many requests the metrics registry counted (every attempt).
    const attempts = calls.reduce((sum, call) => sum + 1 + Number(call.retries), 0);
    expect(typeof end?.requests).toBe('number');
    expect(attempts).toBe(end?.requests);
    expect(calls.length).toBeGreaterThan(20);
    expect(new Set(calls.map((call) => call.request_id)).size).toBe(calls.length);
    for (const call of calls) {
      expect(call).toMatchObject({ level: 20, outcome: 'ok' });
      expect(typeof call.duration_ms).toBe('number');
      expect(call.msg).toBe(
        `${String(call.operation)} ${String(call.path)}: ok in ${String(call.duration_ms)}ms, ${String(call.retries)} retries`,
      );
    }
    expect(result.stderr).not.toContain('operation start');
  });

  it('serializes a failed call with class, code and fault; the stack only at debug', async () => {
    await vault.policy('no-common', [
      { path: 'sys/internal/ui/mounts/*', capabilities: ['read'] },
      { path: 'auth/token/lookup-self', capabilities: ['read'] },
      { path: 'merged/*', capabilities: ['read', 'list', 'create', 'update', 'delete'] },
    ]);
    const token = await vault.token(['no-common']);
    const failedCall = async (level: 'info' | 'debug') => {
      const args = [...EXAMPLE, '--targets', 'Staging', '--dry-run', '--log-format', 'json'];
      const result = await cli([...args, '--log-level', level], { VAULT_TOKEN: token });
      expect(result.code).toBe(1);
      const errors = recordsOf(result.stderr).filter(
        (record) => record.event === 'api_call' && record.level === 50,
      );
      expect(errors).toHaveLength(1);
      return errors[0]?.err as Record<string, unknown>;
    };
    const atInfo = await failedCall('info');
    expect(atInfo).toMatchObject({
      type: 'OperationError',
      code: 'operation_failed',
      fault: 'dependency',
    });
    expect(atInfo).not.toHaveProperty('stack');
    const atDebug = await failedCall('debug');
    expect(atDebug).toMatchObject({ type: 'OperationError', code: 'operation_failed' });
    expect(String(atDebug.stack)).toMatch(
      /^OperationError: \[req=[0-9a-f-]+\] failed to .*\n\s+at /,
    );
  });

  it('under GitHub Actions writes each warning as a ::warning annotation of its own', async () => {
    const result = await cli([...EXAMPLE, '--dry-run', '--targets', 'Staging'], {
      GITHUB_ACTIONS: 'true',
    });
    expect(result.code).toBe(0);
    const lines = linesOf(result.stderr);
    const warnings = lines.filter((line) => line.includes('dynamic target(s) not synced'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/ WARN: 1 dynamic target\(s\) not synced/);
    expect(warnings[1]).toMatch(/^::warning title=SecretSync::1 dynamic target\(s\) not synced/);
    expect(lines.filter((line) => line.startsWith('::'))).toHaveLength(1);
    const plain = await cli([...EXAMPLE, '--dry-run', '--targets', 'Staging']);
    expect(plain.stderr).not.toContain('::warning');
  });
});
