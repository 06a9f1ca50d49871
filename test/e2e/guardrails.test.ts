import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { secretValuesIn } from '../support/account-secrets.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { runCliInDir } from '../support/cli-in-dir.js';
import { peerEnv } from '../support/cli-run.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

/*
 * The data-safety guardrails through the CLI against the Vault server and moto: a source path
 * typo with delete_orphans deletes nothing, and a plan over --max-deletes is refused before
 * apply, with exit code 1 (2 with --exit-code).
 */

const ACCOUNT = '555555555555';
let vault: VaultPeer;
let aws: AwsPeer;
let dir: string;

beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await vault.mount('merged', 2);
  await vault.seed('secret', {
    'guard/app/a': { v: 1 },
    'guard/app/b': { v: 2 },
    'guard/app/c': { v: 3 },
  });
  dir = mkdtempSync(join(tmpdir(), 'secretsync-guard-'));
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

/** Writes the config with the source at `path` and runs the CLI with it. */
function run(path: string, args: string[] = []) {
  writeFileSync(
    join(dir, 'config.yaml'),
    `sources:
  app: {vault: {mount: secret, path: ${path}}}
merge_store: {vault: {mount: merged}}
pipeline: {sync: {delete_orphans: true}}
targets:
  Guarded: {account_id: '${ACCOUNT}', imports: [app], secret_prefix: guard/}
`,
  );
  return runCliInDir(['pipeline', '-c', 'config.yaml', ...args], {
    env: peerEnv(vault, aws.endpoint),
    cwd: dir,
  });
}

const synced = async () => [...(await secretValuesIn(aws.endpoint, ACCOUNT)).keys()];

interface JsonReport {
  targets: {
    merge?: { status: string; error?: { code: string; message: string } };
    sync?: {
      status: string;
      applied?: boolean;
      counts?: Record<string, number>;
      error?: { code: string; message: string };
    };
  }[];
}

describe('secretsync pipeline guardrails', () => {
  it('syncs, then refuses a source path typo instead of deleting every secret', async () => {
    expect((await run('guard/app')).code).toBe(0);
    expect(await synced()).toEqual(['guard/a', 'guard/b', 'guard/c']);
    const typo = await run('guard/ap', ['--exit-code']);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toContain(
      'source app (Vault mount "secret", path "guard/ap") returned no secrets, but the last sync of Guarded wrote 3: nothing was stored or written for Guarded',
    );
    expect(typo.stdout).toContain(
      "Check the source's mount and path; if app is meant to be empty, set sources.<name>.allow_empty or pipeline.allow_empty_sources to true",
    );
    expect(await synced()).toEqual(['guard/a', 'guard/b', 'guard/c']);
    const json = await run('guard/ap', ['-o', 'json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as JsonReport).targets[0]?.merge).toMatchObject({
      status: 'failed',
      error: { code: 'source_empty' },
    });
  });

  it('refuses a plan over --max-deletes before apply: exit 2 with --exit-code, 1 without', async () => {
    await vault.api('DELETE', 'secret/metadata/guard/app/b');
    await vault.api('DELETE', 'secret/metadata/guard/app/c');
    const refused = await run('guard/app', ['--max-deletes', '1', '--exit-code', '-o', 'json']);
    expect(refused.code).toBe(2);
    const sync = (JSON.parse(refused.stdout) as JsonReport).targets[0]?.sync;
    expect(sync).toMatchObject({
      status: 'failed',
      applied: false,
      counts: { removed: 2, unchanged: 1 },
      error: { code: 'guardrail_exceeded' },
    });
    expect(sync?.error?.message).toContain(
      'the plan for Guarded deletes 2 secret(s), more than max_deletes 1 allows: nothing was written for it.',
    );
    expect(await synced()).toEqual(['guard/a', 'guard/b', 'guard/c']);
    // commander reads option env vars from the process environment, as in a real run.
    vi.stubEnv('SECRETSYNC_MAX_DELETES', '1');
    const fromEnv = await run('guard/app').finally(() => {
      vi.unstubAllEnvs();
    });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stdout).toContain(
      '  sync: failed, 0 to add, 0 to modify, 2 to remove, 1 unchanged\n    ! not applied: the plan for Guarded deletes 2 secret(s)',
    );
    expect(fromEnv.stdout).toContain('or pass --max-deletes 2 for this run');
    // Nothing was deleted: the refused plan speaks in the conditional.
    expect(fromEnv.stdout).toContain('    - guard/b (orphan: would delete)');
    expect(fromEnv.stdout).not.toContain('were made');
    expect(await synced()).toEqual(['guard/a', 'guard/b', 'guard/c']);
    const allowed = await run('guard/app', ['--max-deletes', '2', '--exit-code']);
    expect(allowed.code).toBe(1);
    expect(await synced()).toEqual(['guard/a']);
  });

  it('rejects a guardrail flag that is not a count', async () => {
    const bad = await run('guard/app', ['--run-max-changes', 'many']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      '--run-max-changes must be a whole number of 0 or more, got "many"',
    );
  });
});
