import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedVault } from '../../dev/seed.js';
import { secretValuesIn } from '../support/account-secrets.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { peerEnv, runCliCaptured } from '../support/cli-run.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

const CONFIG = 'examples/secretsync.yaml';
let vault: VaultPeer;
let aws: AwsPeer;
let env: Record<string, string>;

beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await seedVault(vault.address, vault.rootToken);
  env = peerEnv(vault, aws.endpoint);
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

/** Runs the CLI in-process with the peers' environment (plus `extraEnv`). */
function run(args: string[], extraEnv: Record<string, string> = {}) {
  return runCliCaptured(args, { ...env, ...extraEnv });
}

/** Reads every secret of an account as SecretSync's role would see it. */
function accountSecrets(accountId: string): Promise<Map<string, unknown>> {
  return secretValuesIn(aws.endpoint, accountId);
}

describe('secretsync pipeline on the example config', () => {
  it('dry-run reports the exact changes and writes nothing', async () => {
    const result = await run(['pipeline', '-c', CONFIG, '--dry-run', '--exit-code']);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(1);
    expect(result.stdout.startsWith('=== DRY RUN ===')).toBe(true);
    expect(result.stdout).toContain('    + production/config/database\n');
    const diff = await run(['pipeline', '-c', CONFIG, '--dry-run', '--diff']);
    expect(diff.stdout).toContain('+ production/config/database (added: host, port, ssl, tags)');
    expect((await accountSecrets('222222222222')).size).toBe(0);
    expect((await vault.api('GET', 'merged/metadata/Production?list=true')).status).toBe(404);
  });

  it('applies the changes, inheriting along the chain and the diamond with the golden merge', async () => {
    const result = await run(['pipeline', '-c', CONFIG, '-o', 'json', '--diff']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      totals: Record<string, number>;
      targets: { name: string; sync: { status: string } }[];
    };
    expect(report.targets.map((t) => [t.name, t.sync.status])).toEqual([
      ['Staging', 'ok'],
      ['Analytics', 'ok'],
      ['Production', 'ok'],
      ['Demo', 'ok'],
    ]);
    const production = await accountSecrets('222222222222');
    expect(production.get('production/config/database')).toEqual({
      host: 'b',
      port: 5433,
      ssl: true,
      tags: ['analytics', 'database', 'engineering', 'database', 'extra-tag'],
    });
    const demo = await accountSecrets('444444444444');
    // Demo imports Production then Analytics, each of which concatenates Staging + analytics.
    expect((demo.get('demo/config/database') as { tags: string[] }).tags).toHaveLength(10);
    expect(
      [...(await accountSecrets('111111111111')).keys()].every((name) =>
        name.startsWith('staging/'),
      ),
    ).toBe(true);
    expect(report.totals.added).toBeGreaterThan(0);
  });

  it('a second run changes nothing and exits 0 with --exit-code', async () => {
    const result = await run(['pipeline', '-c', CONFIG, '--exit-code']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No changes: every secret is already in step.');
  });

  it('a changed Vault value shows as modified, naming only the key', async () => {
    const secret = 'hunter2-rotated-MARKER';
    const current = (await vault.api('GET', 'secret/data/common/app/feature-flags')).body as {
      data: { data: Record<string, unknown> };
    };
    await vault.api('POST', 'secret/data/common/app/feature-flags', {
      data: { ...current.data.data, rotation_note: secret },
    });
    const result = await run([
      'pipeline',
      '-c',
      CONFIG,
      '--targets',
      'Staging',
      '--diff',
      '--exit-code',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('~ staging/app/feature-flags (added: rotation_note)');
    expect(result.stdout).toContain('sync: ok, 0 added, 1 modified, 0 removed, 6 unchanged');
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('a 403 on one source fails that target and its descendants; the others succeed', async () => {
    await vault.policy('no-analytics', [
      { path: 'sys/internal/ui/mounts/*', capabilities: ['read'] },
      { path: 'auth/token/lookup-self', capabilities: ['read'] },
      { path: 'secret/*', capabilities: ['read', 'list'] },
      { path: 'merged/*', capabilities: ['read', 'list', 'create', 'update', 'delete'] },
    ]);
    const token = await vault.token(['no-analytics']);
    const result = await run(['pipeline', '-c', CONFIG, '-o', 'json'], { VAULT_TOKEN: token });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      targets: {
        name: string;
        merge: { status: string; error?: { code: string; outcome: string; message: string } };
      }[];
    };
    const status = Object.fromEntries(report.targets.map((t) => [t.name, t.merge.status]));
    expect(status).toEqual({
      Staging: 'ok',
      Analytics: 'failed',
      Production: 'failed',
      Demo: 'skipped',
    });
    const analytics = report.targets.find((t) => t.name === 'Analytics')?.merge.error;
    expect(analytics?.message).toMatch(
      /^\[req=[0-9a-f-]+\] failed to (list secrets|look up mount) .*permission denied/,
    );
    expect(analytics).toMatchObject({ code: 'operation_failed', outcome: 'access_denied' });
  });

  it('lists the valid targets for an unknown --targets name', async () => {
    const result = await run(['pipeline', '-c', CONFIG, '--targets', 'Prodution']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'unknown target "Prodution" (did you mean "Production"?); valid targets: Analytics, Demo, Production, Staging',
    );
  });

  it('writes GitHub outputs and a step summary whatever the format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secretsync-gh-'));
    const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
    const result = await run(['pipeline', '-c', CONFIG, '-o', 'compact'], files);
    expect(result.code).toBe(0);
    const outputs = Object.fromEntries(
      readFileSync(files.GITHUB_OUTPUT, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split('=')),
    ) as Record<string, string>;
    expect(Object.keys(outputs)).toEqual([
      'changes',
      'added',
      'removed',
      'modified',
      'unchanged',
      'kept-orphans',
      'failed-targets',
      'zero-sum',
      'zero_sum',
    ]);
    // Staging alone took the feature-flag change earlier; its three descendants take it now.
    expect(outputs).toMatchObject({
      changes: '3',
      added: '0',
      removed: '0',
      modified: '3',
      'zero-sum': 'false',
      zero_sum: 'false',
    });
    expect(result.stdout).toMatch(/^secretsync: 0 added, 3 modified/);
    const summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toContain('| Target | Status | Added | Modified | Removed | Unchanged |');
    expect(summary).toContain('#### Production\n\n- `~` production/app/feature-flags\n');
  });

  it('runs as a real process too (built CLI), compact output', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['dist/src/main.js', 'pipeline', '-c', CONFIG, '-o', 'compact', '--log-level', 'error'],
      { env },
    );
    expect(stdout).toMatch(
      /^secretsync: 0 added, 0 modified, 0 removed, \d+ unchanged, 0 failed targets \(4 targets, [\d.]+m?s\)\n$/,
    );
  });
});
