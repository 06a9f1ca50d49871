import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrganization, seedVault } from '../../dev/seed.js';
import type { SeededOrganization } from '../../dev/seed.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { peerEnv } from '../support/cli-run.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

/*
 * Issue 16: discovery explains itself. The built CLI runs the example config against the dev
 * seed's organization (Sandbox OU: sandbox-alpha tagged sandbox, sandbox-beta suspended, dev-gamma
 * tagged dev) and says what each filter kept and dropped, names the one discovered target the
 * same way in the report, the logs and the graph, and points at --discover where it is missing.
 */

const CLI = 'dist/src/main.js';
const EXAMPLE = 'examples/secretsync.yaml';
let vault: VaultPeer;
let aws: AwsPeer;
let seeded: SeededOrganization;
let env: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await seedVault(vault.address, vault.rootToken);
  seeded = await seedOrganization(aws.endpoint);
  env = peerEnv(vault, aws.endpoint, { SANDBOX_OU_ID: seeded.sandboxOuId });
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

const accountOf = (name: string) => seeded.accounts.find((a) => a.name === name)?.id ?? '';

function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const STATUS_FILTER = 'organizations.exclude_statuses [SUSPENDED, PENDING_CLOSURE]';
const TAG_FILTER = 'organizations.tags [Environment equals sandbox]';

describe('discovery explains itself', () => {
  it('says at info what each filter kept and dropped, and at debug which account and why', async () => {
    const info = await cli(['pipeline', '-c', EXAMPLE, '--discover', '--dry-run', '-o', 'json']);
    expect(info.code).toBe(0);
    expect(info.stderr).toContain(
      `dynamic target Sandboxes: ${STATUS_FILTER} kept 2 of 3 account(s), dropped 1`,
    );
    expect(info.stderr).toContain(
      `dynamic target Sandboxes: ${TAG_FILTER} kept 1 of 2 account(s), dropped 1`,
    );
    expect(info.stderr).not.toContain('dropped account');
    const alpha = accountOf('sandbox-alpha');
    expect(info.stderr).toContain(
      `discovered 1 target(s) from 1 dynamic target(s): sandbox_alpha (account ${alpha} "sandbox-alpha", by Sandboxes)`,
    );
    const report = JSON.parse(info.stdout) as { targets: { name: string }[] };
    expect(report.targets.map((t) => t.name)).toContain('sandbox_alpha');

    const debug = await cli([
      'pipeline',
      '-c',
      EXAMPLE,
      '--discover',
      '--dry-run',
      '--log-level',
      'debug',
    ]);
    expect(debug.code).toBe(0);
    expect(debug.stderr).toContain(
      `dynamic target Sandboxes: dropped account ${accountOf('sandbox-beta')} ("sandbox-beta") by ${STATUS_FILTER}: status SUSPENDED is excluded`,
    );
    expect(debug.stderr).toContain(
      `dynamic target Sandboxes: dropped account ${accountOf('dev-gamma')} ("dev-gamma") by ${TAG_FILTER}: tag Environment is "dev", not equals sandbox`,
    );
    expect(debug.stdout).toContain('Target sandbox_alpha');
  });

  it('points at --discover when --targets names a target only discovery makes', async () => {
    const without = await cli([
      'pipeline',
      '-c',
      EXAMPLE,
      '--dry-run',
      '--targets',
      'sandbox_alpha',
    ]);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain(
      'unknown target "sandbox_alpha"; valid targets: Analytics, Demo, Production, Staging; the dynamic targets (Sandboxes) become targets, one per discovered account and named after it, only with --discover: add --discover to select them',
    );
    const dynamicName = await cli(['graph', '-c', EXAMPLE, '--discover', '--targets', 'Sandboxes']);
    expect(dynamicName.code).toBe(1);
    expect(dynamicName.stderr).toContain(
      '"Sandboxes" is a dynamic target: select the targets it discovered by their names',
    );
    const named = await cli(['graph', '-c', EXAMPLE, '--discover', '--targets', 'sandbox_alpha']);
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('sandbox_alpha <- Staging (discovered by Sandboxes)');
  });

  it('graph marks discovered targets with --discover, in every format', async () => {
    const [text, dot, mermaid] = await Promise.all(
      ['text', 'dot', 'mermaid'].map((format) =>
        cli(['graph', '-c', EXAMPLE, '--discover', '-f', format]),
      ),
    );
    expect(text?.stdout).toContain('  sandbox_alpha <- Staging (discovered by Sandboxes)\n');
    expect(dot?.stdout).toContain(
      '  "sandbox_alpha" [label="sandbox_alpha (discovered by Sandboxes)"];',
    );
    expect(dot?.stdout).toContain('  "Staging" -> "sandbox_alpha" [label="1"];');
    expect(mermaid?.stdout).toMatch(/ n\d+\["sandbox_alpha \(discovered by Sandboxes\)"\]\n/);
  });

  it('graph shows dynamic targets as such without --discover, in every format', async () => {
    const [text, dot, mermaid] = await Promise.all(
      ['text', 'dot', 'mermaid'].map((format) => cli(['graph', '-c', EXAMPLE, '-f', format])),
    );
    const note = 'one target per discovered account, with --discover';
    expect(text?.stdout).toContain(`Dynamic targets (${note}):\n  Sandboxes <- Staging\n`);
    expect(text?.stdout).not.toContain('sandbox_alpha');
    expect(dot?.stdout).toContain(
      `  "Sandboxes" [style=dashed, label="Sandboxes (dynamic: ${note})"];`,
    );
    expect(dot?.stdout).toContain('  "Staging" -> "Sandboxes" [label="1", style=dashed];');
    const ids = /(n\d+)\["Staging"\][\s\S]*(n\d+)\[\/"Sandboxes \(dynamic/.exec(
      mermaid?.stdout ?? '',
    );
    expect(ids).not.toBeNull();
    expect(mermaid?.stdout).toContain(`  ${ids?.[1] ?? '?'} -.->|1| ${ids?.[2] ?? '?'}\n`);
  });
});
