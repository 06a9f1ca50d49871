import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrganization, seedVault } from '../../dev/seed.js';
import type { SeededOrganization } from '../../dev/seed.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { secretNamesIn as namesInAccount } from '../support/account-secrets.js';
import { peerEnv, runCliCaptured } from '../support/cli-run.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

/*
 * `--discover` end to end, in-process: the dev seed's organization (Sandbox OU with sandbox-alpha,
 * a suspended sandbox-beta and dev-gamma) expanded into targets, synced through AssumeRole, and
 * read back with the role's own credentials.
 */

const EXAMPLE = 'examples/secretsync.yaml';
let vault: VaultPeer;
let aws: AwsPeer;
let seeded: SeededOrganization;
let env: Record<string, string>;
let wholeOu: string;

beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await seedVault(vault.address, vault.rootToken);
  seeded = await seedOrganization(aws.endpoint);
  env = peerEnv(vault, aws.endpoint, { SANDBOX_OU_ID: seeded.sandboxOuId });
  // Every account of the OU, no tag filter: sandbox-alpha and dev-gamma (beta is suspended).
  wholeOu = join(mkdtempSync(join(tmpdir(), 'secretsync-discover-')), 'config.yaml');
  writeFileSync(
    wholeOu,
    `
log: {level: warn}
vault: {address: '${vault.address}'}
aws: {region: us-east-1}
sources: {common: {vault: {mount: secret, path: common}}}
merge_store: {vault: {mount: merged}}
targets:
  Staging: {account_id: '111111111111', imports: [common], secret_prefix: staging/}
dynamic_targets:
  Sandbox:
    discovery: {organizations: {ou: '${seeded.sandboxOuId}'}}
    imports: [Staging]
    secret_prefix: box/
`,
  );
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

const accountOf = (name: string) => seeded.accounts.find((a) => a.name === name)?.id ?? '';

/** Names of the secrets in an account, listed with the credentials of its assumed role. */
function secretNamesIn(accountId: string): Promise<string[]> {
  return namesInAccount(aws.endpoint, accountId);
}

interface JsonReport {
  targets: { name: string; sync: { status: string } | null }[];
}

describe('pipeline --discover', () => {
  it('without --discover leaves dynamic targets out and says so once', async () => {
    const result = await runCliCaptured(
      ['pipeline', '-c', EXAMPLE, '--dry-run', '-o', 'json'],
      env,
    );
    expect(result.code).toBe(0);
    const notes = result.stderr.match(/dynamic target\(s\) not synced in this run \(Sandboxes\)/g);
    expect(notes).toHaveLength(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.targets.map((t) => t.name)).not.toContain('sandbox_alpha');
  });

  it('syncs the tag-filtered OU of the example config into the discovered account', async () => {
    const result = await runCliCaptured(
      ['pipeline', '-c', EXAMPLE, '--discover', '-o', 'json'],
      env,
    );
    expect(result.stderr).not.toMatch(/not synced in this run/);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.targets.find((t) => t.name === 'sandbox_alpha')?.sync?.status).toBe('ok');
    const alpha = await secretNamesIn(accountOf('sandbox-alpha'));
    expect(alpha.length).toBeGreaterThan(0);
    expect(alpha.every((name) => name.startsWith('sandbox/'))).toBe(true);
    expect(await secretNamesIn(accountOf('dev-gamma'))).toEqual([]);
    expect(await secretNamesIn(accountOf('sandbox-beta'))).toEqual([]);
  });

  it('lands the bundle in every discovered account of an OU', async () => {
    const result = await runCliCaptured(
      ['pipeline', '-c', wholeOu, '--discover', '-o', 'json'],
      env,
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.targets.map((t) => [t.name, t.sync?.status])).toEqual([
      ['Staging', 'ok'],
      ['dev_gamma', 'ok'],
      ['sandbox_alpha', 'ok'],
    ]);
    const staging = (await secretNamesIn('111111111111')).map((n) => n.slice('staging/'.length));
    for (const account of ['sandbox-alpha', 'dev-gamma']) {
      const names = await secretNamesIn(accountOf(account));
      expect(names.filter((n) => n.startsWith('box/')).map((n) => n.slice(4))).toEqual(staging);
    }
  });

  it('lets --targets name a discovered target (its imports come along)', async () => {
    const result = await runCliCaptured(
      [
        'pipeline',
        '-c',
        wholeOu,
        '--discover',
        '--targets',
        'dev_gamma',
        '--dry-run',
        '-o',
        'json',
      ],
      env,
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.targets.map((t) => t.name)).toEqual(['Staging', 'dev_gamma']);
  });

  it('validate --discover and graph --discover show the discovered targets', async () => {
    const validate = await runCliCaptured(['validate', '-c', wholeOu, '--discover'], env);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('Targets (3) by level:');
    expect(validate.stdout).toContain(
      `    sandbox_alpha: account ${accountOf('sandbox-alpha')}, us-east-1, imports Staging (discovered by Sandbox)`,
    );
    expect(validate.stdout).toContain(
      `    accounts (2): dev_gamma (${accountOf('dev-gamma')} "dev-gamma"), sandbox_alpha (${accountOf('sandbox-alpha')} "sandbox-alpha")`,
    );
    const graph = await runCliCaptured(['graph', '-c', wholeOu, '--discover'], env);
    expect(graph.stdout).toContain(
      'Level 2:\n  dev_gamma <- Staging (discovered by Sandbox)\n  sandbox_alpha <- Staging (discovered by Sandbox)\n',
    );
    const plain = await runCliCaptured(['graph', '-c', wholeOu], env);
    expect(plain.stdout).not.toContain('sandbox_alpha');
  });
});
