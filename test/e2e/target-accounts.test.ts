import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedVault } from '../../dev/seed.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { runBuiltCli } from '../support/built-cli.js';
import type { CliResult } from '../support/cli-in-dir.js';
import { peerEnv } from '../support/cli-run.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

// The account a target is planned in is the account of the credentials really used.
let vault: VaultPeer;
let aws: AwsPeer;
let dir: string;

beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await seedVault(vault.address, vault.rootToken);
  dir = mkdtempSync(join(tmpdir(), 'secretsync-accounts-'));
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

/** Writes a config whose one target has these extra settings, and runs the built CLI on it. */
function runWith(target: string, args: readonly string[]): Promise<CliResult> {
  const config = join(dir, `${String(Math.random()).slice(2)}.yaml`);
  writeFileSync(
    config,
    `vault:
  address: \${VAULT_ADDR}
sources:
  common:
    vault: { mount: secret, path: common }
merge_store:
  vault: { mount: merged }
targets:
  Prod:
    imports: [common]
    secret_prefix: prod/
${target}`,
  );
  return runBuiltCli([...args.slice(0, 1), '-c', config, ...args.slice(1)], {
    ...peerEnv(vault, aws.endpoint),
  });
}

const CROSS = `    account_id: '222222222222'
    role_arn: arn:aws:iam::999999999999:role/Sync
`;

describe('target accounts', () => {
  it('validate refuses a role_arn in another account than account_id', async () => {
    const run = await runWith(CROSS, ['validate']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'targets.Prod.role_arn: "arn:aws:iam::999999999999:role/Sync" is a role in account 999999999999, not in the target\'s account_id 222222222222',
    );
    expect(run.stderr).toContain('allow_cross_account_role: true');
  });

  it('with allow_cross_account_role the plan names the account of the assumed session', async () => {
    const target = `${CROSS}    allow_cross_account_role: true\n`;
    expect((await runWith(target, ['validate'])).code).toBe(0);
    const run = await runWith(target, ['pipeline', '--dry-run', '-o', 'json']);
    const report = JSON.parse(run.stdout) as {
      targets: { name: string; sync: { account_id: string | null } }[];
    };
    expect(report.targets.map((t) => [t.name, t.sync.account_id])).toEqual([
      ['Prod', '999999999999'],
    ]);
    const human = await runWith(target, ['pipeline', '--dry-run']);
    expect(human.stdout).toContain('Target Prod (account 999999999999, us-east-1)');
    expect(human.stdout).not.toContain('222222222222');
  });

  it('a target without account_id warns at run time that it syncs into the caller account', async () => {
    const run = await runWith('', ['pipeline', '--dry-run', '--log-format', 'json']);
    const warnings = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(warnings).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: expect.stringContaining('targets.Prod: has no account_id') as unknown,
      }),
    );
  });
});
