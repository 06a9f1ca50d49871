import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../dev/moto-server.js';
import { startVaultServer } from '../../dev/vault-server/server.js';
import type { RunningVaultServer } from '../../dev/vault-server/server.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { stackFrames } from '../support/cli-in-dir.js';
import { createTestPki } from '../support/test-pki.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

/*
 * Issue 16: a failure names the service (Vault at its address; AWS with the service, region and
 * endpoint), the setting to change and one fix, for each way a connection or credential fails.
 * Every case runs the built CLI against a real peer or a real socket, and checks that no token
 * or secret value appears anywhere in what it printed.
 */

const CLI = 'dist/src/main.js';
const SECRET_VALUE = 'sv-9f3c1e7a-never-printed';
const workDir = mkdtempSync(join(tmpdir(), 'service-errors-'));
const pki = createTestPki(workDir, [['IP:127.0.0.1']]);
if (pki === undefined)
  process.stderr.write('service-errors.test.ts: plain-to-TLS case skipped, openssl is missing\n');

let vault: VaultPeer;
let aws: AwsPeer;
let tlsVault: RunningVaultServer | undefined;
let closedPort: number;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const server = pki?.servers[0];
  [vault, aws, tlsVault, closedPort] = await Promise.all([
    startVaultPeer(),
    startAwsPeer(),
    server === undefined ? undefined : startVaultServer({ tls: server }),
    findFreePort(),
  ]);
  await vault.mount('merged', 2);
  await vault.seed('secret', { 'app/db': { password: SECRET_VALUE } });
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close(), tlsVault?.close()]);
  rmSync(workDir, { recursive: true, force: true });
});

interface Run {
  readonly code: number;
  /** stdout and stderr together: the report and the log lines. */
  readonly output: string;
  readonly stderr: string;
}

/** Runs the built CLI's `pipeline` with `vault.address`/`merge_store` as given. */
function pipeline(
  options: { address?: string; mergeMount?: string; args?: readonly string[] },
  env: Readonly<Record<string, string>>,
): Promise<Run> {
  const config = join(workDir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    config,
    `vault: {address: '${options.address ?? vault.address}'}
sources: {app: {vault: {mount: secret, path: app}}}
merge_store: {vault: {mount: ${options.mergeMount ?? 'merged'}}}
targets: {Staging: {account_id: '111111111111', imports: [app]}}
`,
  );
  const args = [CLI, 'pipeline', '-c', config, '--log-level', 'warn', ...(options.args ?? [])];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}\n${stderr}`, stderr });
      },
    );
  });
}

/** The environment of a working run against the peers; `extra` changes one thing. */
function envWith(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    VAULT_TOKEN: vault.rootToken,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: aws.endpoint,
    ...extra,
  };
}

/** A failed run that leaks no credential or secret value and prints no stack trace. */
function expectCleanFailure(run: Run, secrets: readonly string[] = [vault.rootToken]): void {
  expect(run.code).toBe(1);
  for (const secret of [SECRET_VALUE, ...secrets]) expect(run.output).not.toContain(secret);
  expect(stackFrames(run.stderr)).toEqual([]);
}

describe('Vault failures name Vault, its address, the setting and the fix', () => {
  it('connection refused', async () => {
    const address = `http://127.0.0.1:${closedPort}`;
    const run = await pipeline({ address, args: ['--merge-only'] }, envWith());
    expectCleanFailure(run);
    expect(run.output).toContain(
      `connection refused (127.0.0.1:${closedPort}) (nothing listens at Vault's address ${address}: start Vault there, or set vault.address (or VAULT_ADDR) to the address Vault listens on)`,
    );
    expect(run.output).not.toContain('ECONNREFUSED');
  });

  it('DNS failure', async () => {
    const address = 'https://vault.nonexistent.invalid:8200';
    const run = await pipeline({ address, args: ['--merge-only'] }, envWith());
    expectCleanFailure(run);
    expect(run.output).toContain(
      `host name does not resolve (vault.nonexistent.invalid) (the host of Vault's address ${address} does not resolve: correct the host name in vault.address (or VAULT_ADDR))`,
    );
  });

  it('https:// to a plain-HTTP port', async () => {
    const address = vault.address.replace(/^http:/, 'https:');
    const run = await pipeline({ address, args: ['--merge-only'] }, envWith());
    expectCleanFailure(run);
    expect(run.output).toContain(
      `TLS handshake failed: the server answered in plain HTTP, not TLS (Vault at ${address} answers in plain HTTP, not TLS: point vault.address (or VAULT_ADDR) at Vault's TLS listener`,
    );
    expect(run.output).not.toMatch(/SSL routines|openssl/i);
  });

  it.skipIf(pki === undefined)('http:// to a TLS port', async () => {
    const address = (tlsVault?.address ?? '').replace(/^https:/, 'http:');
    const run = await pipeline(
      { address, args: ['--merge-only'] },
      envWith({ VAULT_TOKEN: tlsVault?.rootToken ?? '' }),
    );
    expectCleanFailure(run, [tlsVault?.rootToken ?? '']);
    expect(run.output).toContain(
      `(Vault at ${address} closed the connection without an answer, as a TLS listener does to plain HTTP: use https:// in vault.address (or VAULT_ADDR))`,
    );
  });

  it('a revoked token', async () => {
    const token = await vault.token(['default']);
    const revoked = await vault.api('POST', 'auth/token/revoke-self', undefined, token);
    expect(revoked.status).toBeLessThan(300);
    const run = await pipeline({ args: ['--merge-only'] }, envWith({ VAULT_TOKEN: token }));
    expectCleanFailure(run, [vault.rootToken, token]);
    expect(run.output).toContain(
      `(Vault at ${vault.address} does not accept the token (expired or revoked), so no policy change helps: give a current token of this Vault, lasting the whole run, in VAULT_TOKEN (or vault.auth.token)`,
    );
  });

  it('an expired token', async () => {
    const token = await vault.token(['default'], { ttl: '1s', maxTtl: '1s' });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const run = await pipeline({ args: ['--merge-only'] }, envWith({ VAULT_TOKEN: token }));
    expectCleanFailure(run, [vault.rootToken, token]);
    expect(run.output).toContain(
      `(Vault at ${vault.address} does not accept the token (expired or revoked), so no policy change helps`,
    );
  });

  it('a merge store mount that does not exist', async () => {
    const run = await pipeline({ mergeMount: 'no-such-mount', args: ['--merge-only'] }, envWith());
    expectCleanFailure(run);
    expect(run.output).toContain(
      `merge_store.vault.mount "no-such-mount" is not a KV mount of Vault at ${vault.address}`,
    );
    expect(run.output).toContain('vault secrets enable -version=2 -path=no-such-mount kv');
    expect(run.output).not.toContain("check the source's mount");
  });
});

describe('AWS failures name the AWS service, region, endpoint, the setting and the fix', () => {
  it('connection refused at AWS_ENDPOINT_URL', async () => {
    const endpoint = `http://127.0.0.1:${closedPort}`;
    const run = await pipeline({ args: ['--dry-run'] }, envWith({ AWS_ENDPOINT_URL: endpoint }));
    expectCleanFailure(run);
    expect(run.output).toContain(
      `(nothing listens at the endpoint of AWS STS in us-east-1 at ${endpoint} (AWS_ENDPOINT_URL): start the service there, or correct AWS_ENDPOINT_URL, or unset it to use AWS itself)`,
    );
  });

  it('DNS failure of a per-service endpoint', async () => {
    const endpoint = 'http://sts.nonexistent.invalid:5000';
    const run = await pipeline(
      { args: ['--dry-run'] },
      envWith({ AWS_ENDPOINT_URL_STS: endpoint }),
    );
    expectCleanFailure(run);
    expect(run.output).toContain(
      `(the endpoint host of AWS STS in us-east-1 at ${endpoint} (AWS_ENDPOINT_URL_STS) does not resolve: correct AWS_ENDPOINT_URL_STS, or unset it to use AWS itself)`,
    );
  });

  it('https:// to a plain-HTTP endpoint', async () => {
    const endpoint = aws.endpoint.replace(/^http:/, 'https:');
    const run = await pipeline({ args: ['--dry-run'] }, envWith({ AWS_ENDPOINT_URL: endpoint }));
    expectCleanFailure(run);
    expect(run.output).toContain(
      `TLS handshake failed: the server answered in plain HTTP, not TLS (AWS STS in us-east-1 at ${endpoint} (AWS_ENDPOINT_URL) answers in plain HTTP, not TLS: use http:// in AWS_ENDPOINT_URL)`,
    );
  });

  it('an endpoint that is not AWS', async () => {
    const run = await pipeline(
      { args: ['--dry-run'] },
      envWith({ AWS_ENDPOINT_URL: vault.address }),
    );
    expectCleanFailure(run);
    expect(run.output).toContain(
      `(the answer of AWS STS in us-east-1 at ${vault.address} (AWS_ENDPOINT_URL) is not an AWS STS response: correct AWS_ENDPOINT_URL, or unset it to use AWS itself`,
    );
  });

  it('no credentials anywhere in the chain', async () => {
    const env = envWith({
      AWS_CONFIG_FILE: join(workDir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const run = await pipeline({ args: ['--dry-run'] }, env);
    expectCleanFailure(run);
    expect(run.output).toContain(
      'failed to resolve AWS credentials at path "default credential chain"',
    );
    expect(run.output).toContain(
      '(give SecretSync AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity (AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, as IRSA sets), or an instance or task role)',
    );
  });

  it('an unknown region, before any AWS call', async () => {
    const run = await pipeline({ args: ['--dry-run'] }, envWith({ AWS_REGION: 'us-est-1' }));
    expectCleanFailure(run);
    expect(run.output).toContain(
      'AWS region "us-est-1" is not a known AWS region: did you mean "us-east-1"? Set the target\'s region, aws.region, or AWS_REGION (AWS_DEFAULT_REGION) when aws.region is not set, to a region AWS has',
    );
    expect(run.output).not.toContain('not valid JSON');
  });
});
