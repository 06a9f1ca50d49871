import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedVault } from '../../dev/seed.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

// The GitHub Action's entry point, run as the container runs it: `node dist/src/action-main.js`
// with the inputs as INPUT_<NAME> variables and GitHub's output files (argument arrays only).
const ENTRY = 'dist/src/action-main.js';
const run = promisify(execFile);
let vault: VaultPeer;
let aws: AwsPeer;

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\``);
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await seedVault(vault.address, vault.rootToken);
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

async function action(inputs: Record<string, string>) {
  const folder = mkdtempSync(join(tmpdir(), 'secretsync-action-'));
  const outputFile = join(folder, 'output');
  const summaryFile = join(folder, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    VAULT_ADDR: vault.address,
    VAULT_TOKEN: vault.rootToken,
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  let code = 0;
  let stdout = '';
  let stderr = '';
  try {
    ({ stdout, stderr } = await run(process.execPath, [ENTRY], { env }));
  } catch (error) {
    ({ code, stdout, stderr } = error as { code: number; stdout: string; stderr: string });
  }
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('=') as [string, string]),
  );
  return { code, stdout, stderr, outputs, summary: readFileSync(summaryFile, 'utf8') };
}

describe('GitHub Action entry point', () => {
  it('plans a dry run, writes the step outputs and the summary, and exits 1 for changes', async () => {
    const result = await action({
      config: 'examples/secretsync.yaml',
      'dry-run': 'true',
      'compute-diff': 'true',
      'exit-code': 'true',
      'output-format': 'github',
      targets: 'Staging',
      discover: '',
      'log-level': 'warn',
    });
    expect(result.stderr).toContain(
      'secretsync pipeline --config=examples/secretsync.yaml --targets=Staging --dry-run --output=github --diff --exit-code --log-level=warn',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::group::Target Staging');
    expect(Object.keys(result.outputs).sort()).toEqual(
      [
        'added',
        'changes',
        'failed-targets',
        'kept-orphans',
        'modified',
        'removed',
        'unchanged',
        'zero-sum',
        'zero_sum',
      ].sort(),
    );
    expect(Number(result.outputs.added)).toBeGreaterThan(0);
    expect(result.outputs.changes).toBe(result.outputs.added);
    expect(result.outputs['zero-sum']).toBe('false');
    expect(result.outputs.zero_sum).toBe('false');
    expect(result.summary).toContain('### SecretSync dry run (full)');
  });
});
