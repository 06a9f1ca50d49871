import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/core/errors.js';
import { secretNamesIn, secretsClientIn, secretStringIn } from '../support/account-secrets.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { runCliInDir, stackFrames } from '../support/cli-in-dir.js';
import type { CliResult } from '../support/cli-in-dir.js';
import { peerEnv } from '../support/cli-run.js';
import { startScriptedServer } from '../support/scripted-server.js';
import type { ScriptedServer } from '../support/scripted-server.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';
import {
  ACCEPTED_CASES,
  CONFIG_CASES,
  RUNTIME_CASES,
  VAULT_ODD_KEYS,
  VAULT_SEED,
} from './cases.js';
import type { AcceptedCase, RefusedCase, Untouched } from './cases.js';

// The bad-input corpus (issue 10): every case runs through the real CLI against real peers and
// must end with a clear message that names the thing, no stack trace, exit 1 (2 with
// --exit-code), and nothing written. README.md is the table of these cases.

const CASES_DIR = join(import.meta.dirname, 'cases');
const MERGE_MOUNT = 'bad-input-merged';

let vault: VaultPeer;
let aws: AwsPeer;
let scripted: ScriptedServer;
let generatedDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  [vault, aws, scripted] = await Promise.all([
    startVaultPeer(),
    startAwsPeer(),
    startScriptedServer(),
  ]);
  generatedDir = mkdtempSync(join(tmpdir(), 'bad-input-'));
  await vault.mount('bad-input-src', 2);
  await vault.mount(MERGE_MOUNT, 2);
  await vault.seed('bad-input-src', VAULT_SEED);
  if (vault.local) await vault.seed('bad-input-src', VAULT_ODD_KEYS);
  const caller = await callerAccount(aws.endpoint);
  await seedAwsSource(aws.endpoint);
  env = peerEnv(vault, aws.endpoint, {
    BI_CALLER_ACCOUNT: caller,
    BI_SCRIPTED_VAULT: scripted.url,
  });
}, 60_000);
afterAll(async () => {
  rmSync(generatedDir, { recursive: true, force: true });
  await Promise.all([vault.close(), aws.close(), scripted.close()]);
});

async function callerAccount(endpoint: string): Promise<string> {
  const sts = new STSClient({ endpoint, region: 'us-east-1' });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  } finally {
    sts.destroy();
  }
}

/** Existing secrets an AWS source reads: one binary, one plain string. */
async function seedAwsSource(endpoint: string): Promise<void> {
  const client = await secretsClientIn(endpoint);
  try {
    await client.send(
      new CreateSecretCommand({
        Name: 'bi-binary/blob',
        SecretBinary: new Uint8Array([0, 159, 146, 150, 255]),
      }),
    );
    await client.send(new CreateSecretCommand({ Name: 'bi-text/plain', SecretString: 'hunter2' }));
  } finally {
    client.destroy();
  }
}

/** The path of a case's input: committed under cases/, or generated into a temp dir. */
function inputPath(testCase: RefusedCase): string {
  if (testCase.generate === undefined) return join(CASES_DIR, testCase.file);
  const path = join(generatedDir, testCase.file);
  writeFileSync(path, testCase.generate());
  return path;
}

async function runPipeline(
  file: string,
  args: readonly string[],
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  return runCliInDir(['pipeline', '--config', file, ...args], {
    env: { ...env, ...extraEnv },
    cwd: CASES_DIR,
  });
}

/** Total `/v1/` requests the local Vault has served (undefined on a real Vault). */
async function vaultRequestCount(): Promise<number | undefined> {
  if (!vault.local) return undefined;
  return ((await vault.control('GET', 'stats')) as { total: number }).total;
}

/** Relative paths stored for a target in the merge-store mount, sorted. */
async function mergeStoreEntries(target: string): Promise<string[]> {
  const walk = async (folder: string): Promise<string[]> => {
    const listed = await vault.api('GET', `${MERGE_MOUNT}/metadata/${folder}?list=true`);
    if (listed.status === 404) return [];
    const keys = (listed.body as { data: { keys: string[] } }).data.keys;
    const nested = await Promise.all(
      keys.map((key) =>
        key.endsWith('/') ? walk(`${folder}${key}`) : Promise.resolve([`${folder}${key}`]),
      ),
    );
    return nested.flat();
  };
  const prefix = `${encodeURIComponent(target)}/`;
  return (await walk(prefix)).map((path) => path.slice(prefix.length)).sort();
}

/** The checks every refusal shares: message, no stack, exit code. */
function expectRefusal(result: CliResult, testCase: RefusedCase, exitCode: number): void {
  const output = `${result.stdout}\n${result.stderr}`;
  for (const fragment of testCase.expected) {
    if (typeof fragment === 'string') expect(output).toContain(fragment);
    else expect(output).toMatch(fragment);
  }
  for (const fragment of testCase.forbidden ?? []) expect(output).not.toContain(fragment);
  expect(stackFrames(result.stderr)).toEqual([]);
  expect(result.code).toBe(exitCode);
}

async function expectUntouched(untouched: Untouched, vaultRequestsBefore: number | undefined) {
  // First, before the listings below add requests of their own.
  if (untouched.noVaultRequest) expect(await vaultRequestCount()).toBe(vaultRequestsBefore);
  for (const account of untouched.accounts)
    expect(await secretNamesIn(aws.endpoint, account)).toEqual([]);
  for (const target of untouched.mergeTargets) expect(await mergeStoreEntries(target)).toEqual([]);
}

/** Runs a refused case plainly (exit 1) and with --exit-code (exit 2); nothing may be written. */
async function checkRefused(testCase: RefusedCase): Promise<void> {
  const file = inputPath(testCase);
  for (const [flags, exitCode] of [
    [[], 1],
    [['--exit-code'], 2],
  ] as const) {
    if (testCase.vaultScript !== undefined) scripted.script(testCase.vaultScript);
    const before = await vaultRequestCount();
    const result = await runPipeline(file, [...(testCase.args ?? []), ...flags], testCase.env);
    expectRefusal(result, testCase, exitCode);
    await expectUntouched(testCase.untouched, before);
  }
}

function refusedTest(testCase: RefusedCase): void {
  const title = `${testCase.id}: ${testCase.input}`;
  if (testCase.bug === undefined) it(title, () => checkRefused(testCase));
  // Known defect (see README "Bugs found"): passes while the code still misbehaves.
  else it.fails(`${title} [bug: ${testCase.bug}]`, () => checkRefused(testCase));
}

describe('config files and command lines are refused before anything is contacted', () => {
  for (const testCase of CONFIG_CASES) refusedTest(testCase);
});

describe('bad data from Vault and AWS fails the target and writes nothing', () => {
  for (const testCase of RUNTIME_CASES) refusedTest(testCase);

  it('asks the scripted Vault exactly what the script answers (the stand-in is in the loop)', async () => {
    const testCase = RUNTIME_CASES.find((c) => c.id === 'vault-read-data-not-object');
    scripted.script(testCase?.vaultScript ?? []);
    const seen = scripted.requests.length;
    await runPipeline(join(CASES_DIR, 'vault-unexpected-shape.yaml.in'), []);
    expect(scripted.requests.slice(seen).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/auth/token/lookup-self',
      'GET /v1/sys/internal/ui/mounts/secret',
      'GET /v1/secret/metadata/?list=true',
      'GET /v1/secret/data/db',
    ]);
  });
});

function acceptedCase(id: string): AcceptedCase {
  const found = ACCEPTED_CASES.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no accepted case ${id}`);
  return found;
}

async function runAccepted(testCase: AcceptedCase, flags: readonly string[] = []) {
  const result = await runPipeline(join(CASES_DIR, testCase.file), [...testCase.args, ...flags]);
  const output = `${result.stdout}\n${result.stderr}`;
  for (const fragment of testCase.expected) expect(output).toContain(fragment);
  expect(stackFrames(result.stderr)).toEqual([]);
  return result;
}

describe('odd input that is skipped, fails alone, or is valid', () => {
  it('Vault keys with "..", ".", "" or NUL are skipped with a warning naming each; the safe secret syncs', async ({
    skip,
  }) => {
    // Checked against Vault 1.14: it answers such paths with 301 (unclean path) or 400 (NUL).
    if (!vault.local) skip('a real Vault cannot store such keys; only our server can serve them');
    const testCase = acceptedCase('vault-key-traversal');
    const result = await runAccepted(testCase);
    expect(result.code).toBe(testCase.exitCode);
    expect(await secretNamesIn(aws.endpoint, '210000000025')).toEqual(['trav/db']);
    expect(await mergeStoreEntries('KeyTraversal')).toEqual(['db']);
    // Following "../" would have listed the mount root and read every secret of the mount.
    expect(result.stdout).toContain('merge: ok, 1 secret(s)');
  });

  it('a unicode secret key fails that secret alone; unicode values sync byte-exact', async () => {
    const testCase = acceptedCase('unicode-secret-key');
    const result = await runAccepted(testCase);
    expect(result.code).toBe(1);
    expect(await secretNamesIn(aws.endpoint, '210000000026')).toEqual(['uni/plain']);
    expect(await secretStringIn(aws.endpoint, '210000000026', 'uni/plain')).toBe(
      '{"emoji":"🔐","pässwörd":"日本語🔑"}',
    );
    expect((await runAccepted(testCase, ['--exit-code'])).code).toBe(2);
  });

  it('a secret over 65,536 bytes (counted in UTF-8 bytes) fails alone; the rest syncs', async () => {
    const testCase = acceptedCase('secret-too-large');
    const result = await runAccepted(testCase);
    expect(result.code).toBe(1);
    expect(await secretNamesIn(aws.endpoint, '210000000027')).toEqual(['big/small']);
    expect((await runAccepted(testCase, ['--exit-code'])).code).toBe(2);
  });

  it('leading and doubled slashes in a source mount are normalized, not refused', async () => {
    const testCase = acceptedCase('source-mount-slashes');
    const result = await runAccepted(testCase);
    expect(result.code).toBe(0);
    expect(await mergeStoreEntries('Slashes')).toEqual([]);
  });

  it('"..", "//" and a leading "/" in a secret prefix are kept literally in the secret name', async () => {
    const testCase = acceptedCase('secret-prefix-dots');
    const result = await runAccepted(testCase);
    expect(result.code).toBe(0);
    expect(await secretNamesIn(aws.endpoint, '210000000031')).toEqual(['/../bi//db']);
  });
  it('a secret key named "toString" syncs like any other key', async () => {
    const testCase = acceptedCase('prototype-key-removed');
    await vault.seed('bad-input-src', { 'proto/cfg': { a: 1, toString: 'stale' } });
    expect((await runAccepted({ ...testCase, expected: [] })).code).toBe(0);
    expect(await secretStringIn(aws.endpoint, '210000000033', 'proto/cfg')).toBe(
      '{"a":1,"toString":"stale"}',
    );
  });

  // Runs after the test above, which synced the "toString" key.
  it('a secret key named "toString" that Vault drops is removed in AWS too', async () => {
    const testCase = acceptedCase('prototype-key-removed');
    await vault.seed('bad-input-src', { 'proto/cfg': { a: 1 } });
    const result = await runAccepted(testCase);
    expect(result.code).toBe(testCase.exitCode);
    expect(await secretStringIn(aws.endpoint, '210000000033', 'proto/cfg')).toBe('{"a":1}');
  });
});

describe('environment substitution edge cases', () => {
  const nested = readFileSync(join(CASES_DIR, 'env-nested.yaml.in'), 'utf8');
  const prefixOf = (environment: Record<string, string>): string => {
    try {
      return parseConfig(nested, 'env-nested.yaml.in', {
        ...env,
        ...environment,
      }).config.targets.get('Stg')?.secretPrefix as string;
    } catch (error) {
      // The file name contains "nested" too: look at the issue messages only.
      if (error instanceof ConfigError && error.issues.some((i) => /nested/i.test(i.message)))
        return 'refused: nested';
      throw error;
    }
  };

  it('${OUTER:-${INNER}} expands like a shell, or is refused as nested', () => {
    expect(['inner/', 'refused: nested']).toContain(prefixOf({ BI_INNER: 'inner/' }));
    expect(['outer/', 'refused: nested']).toContain(
      prefixOf({ BI_OUTER: 'outer/', BI_INNER: 'inner/' }),
    );
  });

  it('$${X} is the literal text ${X} even when X is set', () => {
    const text = readFileSync(join(CASES_DIR, 'env-escaped.yaml.in'), 'utf8').replace(
      /^ {4}secret_prefix: .*\n/m,
      '',
    );
    const loaded = parseConfig(text, 'env-escaped.yaml.in', { ...env, BI_LITERAL: 'set' });
    expect(loaded.config.targets.get('Stg')?.description).toBe('literal ${BI_LITERAL}');
  });
});

describe('README.md', () => {
  const readme = readFileSync(join(import.meta.dirname, 'README.md'), 'utf8');
  const rows = readme.split('\n').filter((line) => line.startsWith('| `'));
  const all = [
    ...[...CONFIG_CASES, ...RUNTIME_CASES, ...ACCEPTED_CASES].map((c) => ({
      id: c.id,
      message: c.message,
    })),
    { id: 'env-nested', message: '' },
    { id: 'env-escaped-literal', message: '' },
  ];

  it('has one table row per case, quoting its key message', () => {
    for (const { id, message } of all) {
      const row = rows.find((line) => line.startsWith(`| \`${id}\``));
      expect(row, `README row for ${id}`).toBeDefined();
      expect(row?.replaceAll('\\|', '|')).toContain(message);
    }
    expect(rows).toHaveLength(all.length);
  });
});
