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

// Flags and environment switches of the built CLI against the peers. Every boolean SECRETSYNC_*
// switch: true/1 turn it on, false/0 leave it off, anything else is a usage error naming the
// variable (exit 2 in exit-code mode). Every command that logs takes the log flags.

let vault: VaultPeer;
let aws: AwsPeer;
let env: Record<string, string>;
let config: string;

beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await seedVault(vault.address, vault.rootToken);
  env = peerEnv(vault, aws.endpoint);
  config = join(mkdtempSync(join(tmpdir(), 'secretsync-env-')), 'config.yaml');
  // Applied is only ever written by the SECRETSYNC_DRY_RUN=false rows; Planned never changes, so
  // its plan always has changes.
  writeFileSync(
    config,
    `vault:
  address: \${VAULT_ADDR}
aws:
  region: us-east-1
sources:
  common:
    vault: { mount: secret, path: common }
merge_store:
  vault: { mount: merged }
targets:
  Applied:
    account_id: '111111111111'
    imports: [common]
    secret_prefix: applied/
  Planned:
    account_id: '555555555555'
    imports: [common]
    secret_prefix: planned/
dynamic_targets:
  Sandboxes:
    discovery:
      organizations:
        ou: ou-none
    imports: [common]
    secret_prefix: sandbox/
`,
  );
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

type Run = CliResult;

function cli(args: readonly string[], extra: Record<string, string>): Promise<Run> {
  return runBuiltCli(args, { ...env, ...extra });
}

interface JsonReport {
  readonly mode: string;
  readonly dry_run: boolean;
  readonly targets: readonly {
    readonly sync: { readonly changes?: readonly Record<string, unknown>[] } | null;
  }[];
}

/** Runs the command and tells whether the switch was on, from what the run did. */
interface SwitchCase {
  readonly args: readonly string[];
  readonly isOn: (run: Run) => boolean;
}

const planned = ['pipeline', '-c', 'CONFIG', '--targets', 'Planned'];
const report = (run: Run): JsonReport => JSON.parse(run.stdout) as JsonReport;

const SWITCHES: Readonly<Record<string, SwitchCase>> = {
  SECRETSYNC_DRY_RUN: {
    args: ['pipeline', '-c', 'CONFIG', '--targets', 'Applied', '-o', 'json'],
    isOn: (run) => report(run).dry_run,
  },
  SECRETSYNC_DIFF: {
    args: [...planned, '--dry-run', '-o', 'json'],
    // Every report lists the changes; only --diff adds their key names.
    isOn: (run) =>
      report(run).targets.some((target) =>
        (target.sync?.changes ?? []).some((change) => 'keys_added' in change),
      ),
  },
  SECRETSYNC_EXIT_CODE: {
    // A dry run of a plan with changes: 1 in exit-code mode, 0 otherwise.
    args: [...planned, '--dry-run'],
    isOn: (run) => run.code === 1,
  },
  SECRETSYNC_MERGE_ONLY: {
    args: [...planned, '--dry-run', '-o', 'json'],
    isOn: (run) => report(run).mode === 'merge-only',
  },
  SECRETSYNC_SYNC_ONLY: {
    args: [...planned, '--dry-run', '-o', 'json'],
    isOn: (run) => report(run).mode === 'sync-only',
  },
  SECRETSYNC_DISCOVER: {
    // Discovery lists the OU's accounts (moto has no such OU: the call is made, then fails).
    // At debug every API call writes one line naming its operation.
    args: ['validate', '-c', 'CONFIG', '--log-level', 'debug'],
    isOn: (run) => run.stderr.includes('aws.list_accounts_for_parent'),
  },
};

const VALUES = [
  ['true', true],
  ['1', true],
  ['false', false],
  ['0', false],
] as const;

const rows = Object.keys(SWITCHES).flatMap((name) =>
  VALUES.map(([value, on]) => [name, value, on] as const),
);

describe('boolean environment variables', () => {
  it.each(rows)('%s=%s turns the switch on: %s', async (name, value, on) => {
    const { args, isOn } = SWITCHES[name] as SwitchCase;
    const run = await cli(
      args.map((arg) => (arg === 'CONFIG' ? config : arg)),
      { [name]: value },
    );
    expect(run.stderr).not.toContain('must be one of');
    expect(isOn(run)).toBe(on);
  });

  it.each(Object.keys(SWITCHES))(
    '%s=garbage is a usage error naming the variable, exit 2 in exit-code mode',
    async (name) => {
      const { args } = SWITCHES[name] as SwitchCase;
      const run = await cli(
        [...args.map((arg) => (arg === 'CONFIG' ? config : arg)), '--exit-code'],
        { [name]: 'garbage' },
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `environment variable ${name} must be one of true, false, 1, 0, yes, no (got "garbage")`,
      );
      expect(run.stdout).toBe('');
    },
  );
});

describe('exit-code mode set by SECRETSYNC_EXIT_CODE', () => {
  it('exits 2 on a config error and on an unknown --targets', async () => {
    const missing = await cli(['pipeline', '-c', join(tmpdir(), 'no-such-secretsync.yaml')], {
      SECRETSYNC_EXIT_CODE: 'true',
    });
    expect(missing.stderr).toContain('file not found');
    expect(missing.code).toBe(2);
    const unknown = await cli(['pipeline', '-c', config, '--targets', 'Nope'], {
      SECRETSYNC_EXIT_CODE: 'true',
    });
    expect(unknown.stderr).toContain('Nope');
    expect(unknown.code).toBe(2);
    const plain = await cli(['pipeline', '-c', config, '--targets', 'Nope'], {});
    expect(plain.code).toBe(1);
  });
});

describe('--log-level and --log-format on every command that logs', () => {
  const commands = [
    ['validate', '--discover'],
    ['graph', '--discover'],
    ['context', '--check'],
  ] as const;

  it.each(commands)('%s %s logs JSON at the chosen level', async (command, extra) => {
    const args = [command, '-c', config, extra];
    const json = await cli([...args, '--log-format', 'json', '--log-level', 'debug'], {});
    const lines = json.stderr.split('\n').filter((line) => line.startsWith('{'));
    const operations = lines.map((line) => (JSON.parse(line) as { operation?: string }).operation);
    expect(operations).toContain('aws.get_caller_identity');
    const quiet = await cli([...args, '--log-format', 'json', '--log-level', 'error'], {});
    expect(quiet.stderr).not.toContain('aws.get_caller_identity');
  });
});
