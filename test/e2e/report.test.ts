import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedVault } from '../../dev/seed.js';
import { secretNamesIn, secretValuesIn } from '../support/account-secrets.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { peerEnv } from '../support/cli-run.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

/*
 * The report of the built CLI (dist/, `npm run build` first) against the real peers: orphans kept,
 * to delete and deleted, read back from the account; colour only when wanted.
 */

const ACCOUNT = '111111111111';
let vault: VaultPeer;
let aws: AwsPeer;
let env: Record<string, string>;
let configs: { kept: string; deleted: string };

/** A one-target config; `deleteOrphans` decides what happens to secrets gone from Vault. */
function config(dir: string, deleteOrphans: boolean): string {
  const path = join(dir, `orphans-${deleteOrphans}.yaml`);
  writeFileSync(
    path,
    `aws: {region: us-east-1, default_role_name: OrganizationAccountAccessRole}
sources:
  app: {vault: {mount: secret, path: orphans}}
merge_store: {vault: {mount: merged}}
pipeline: {sync: {delete_orphans: ${deleteOrphans}}}
targets:
  Solo: {account_id: '${ACCOUNT}', imports: [app], secret_prefix: solo/}
`,
  );
  return path;
}

beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await seedVault(vault.address, vault.rootToken);
  for (const name of ['keep', 'gone'])
    await vault.api('POST', `secret/data/orphans/${name}`, { data: { user: name } });
  env = peerEnv(vault, aws.endpoint);
  const dir = mkdtempSync(join(tmpdir(), 'secretsync-report-'));
  configs = { kept: config(dir, false), deleted: config(dir, true) };
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

/** Runs the built CLI as a real process (stdout is a pipe, never a terminal). */
function cli(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['dist/src/main.js', 'pipeline', '--log-level', 'error', ...args],
      { env: { ...env, ...extraEnv } },
      (error, stdout) => {
        // A non-zero exit is a result here; only a failure to run at all is an error.
        if (error === null || typeof error.code === 'number') resolve(stdout);
        else reject(new Error(`could not run the CLI: ${error.message}`));
      },
    );
  });
}

describe('the report of the built CLI', () => {
  it('has no escape codes on a pipe or with NO_COLOR, and colours the plan with FORCE_COLOR', async () => {
    const dryRun = ['-c', configs.kept, '--dry-run'];
    const piped = await cli(dryRun);
    expect(piped).toContain('    + solo/gone\n');
    expect(piped).not.toContain('\x1b[');
    expect(await cli(dryRun, { NO_COLOR: '1' })).not.toContain('\x1b[');
    const forced = await cli(dryRun, { FORCE_COLOR: '1' });
    expect(forced).toContain('\x1b[32m+ solo/gone\x1b[0m');
    expect(forced).toContain('\x1b[32m+ solo/keep\x1b[0m');
  });

  it('reports an orphan as kept, then would delete, then deleted — and the account agrees', async () => {
    expect(await cli(['-c', configs.kept])).toContain('    + solo/gone\n');
    await vault.api('DELETE', 'secret/metadata/orphans/gone');

    const kept = await cli(['-c', configs.kept]);
    expect(kept).toContain('    = solo/gone (orphan kept: delete_orphans is off)\n');
    expect(kept).toContain('1 orphan(s) kept');
    expect(kept).not.toContain('No changes: every secret is already in step.\n');
    expect(await secretNamesIn(aws.endpoint, ACCOUNT)).toEqual(['solo/gone', 'solo/keep']);

    const wouldDelete = await cli(['-c', configs.deleted, '--dry-run']);
    expect(wouldDelete).toContain('    - solo/gone (orphan: would delete)\n');
    expect(wouldDelete).toContain('0 to add, 0 to modify, 1 to remove');
    expect([...(await secretValuesIn(aws.endpoint, ACCOUNT)).keys()]).toEqual([
      'solo/gone',
      'solo/keep',
    ]);

    const deleted = await cli(['-c', configs.deleted]);
    expect(deleted).toContain('    - solo/gone (orphan deleted)\n');
    expect(deleted).toContain('0 added, 0 modified, 1 removed');
    expect([...(await secretValuesIn(aws.endpoint, ACCOUNT)).keys()]).toEqual(['solo/keep']);
  });
});
