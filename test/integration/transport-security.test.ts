import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultServer } from '../../dev/vault-server/server.js';
import type { RunningVaultServer } from '../../dev/vault-server/server.js';
import { createVaultHttp } from '../../src/clients/vault/http.js';
import { VaultConfigError } from '../../src/clients/vault/vault-config-error.js';
import { secretNamesIn } from '../support/account-secrets.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { runCliInDir, stackFrames } from '../support/cli-in-dir.js';
import type { CliResult } from '../support/cli-in-dir.js';
import { testRuntime } from '../support/runtime.js';
import { createTestPki } from '../support/test-pki.js';
import type { TestPki } from '../support/test-pki.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

// Transport security (issue 10): Vault TLS is verified by default and configurable, plain http
// leaves loopback only on request, S3 bundles are always encrypted at rest, and a full run
// leaves nothing on the local disk.

const SERVER_NAME = 'vault.secretsync.test';
const workDir = mkdtempSync(join(tmpdir(), 'transport-security-'));
const pki: TestPki | undefined = createTestPki(workDir, [['IP:127.0.0.1'], [`DNS:${SERVER_NAME}`]]);
if (pki === undefined) {
  // Visible in the output, so a skipped TLS check is never mistaken for a pass.
  process.stderr.write('transport-security.test.ts: TLS part skipped, openssl is missing\n');
}

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** Writes a config file (outside any run's working directory) and returns its path. */
function writeConfig(name: string, text: string): string {
  const path = join(workDir, `${name}.yaml`);
  writeFileSync(path, text);
  return path;
}

function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    VAULT_TOKEN: 'root',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    ...extra,
  };
}

async function pipeline(
  config: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd = workDir,
): Promise<CliResult> {
  return runCliInDir(['pipeline', '--config', config, ...args], { env, cwd });
}

/** JSON over https trusting only `ca` (the control surface of a TLS Vault server). */
function httpsJson(
  url: string,
  tls: { readonly ca: string; readonly servername: string | undefined },
  method: string,
  body?: unknown,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method,
        ...tls,
        headers: { 'x-vault-token': 'root', 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => {
          resolve(text === '' ? undefined : (JSON.parse(text) as unknown));
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe.skipIf(pki === undefined)('Vault over HTTPS', () => {
  const ca = pki?.caPem ?? '';
  let byIp: RunningVaultServer;
  let byName: RunningVaultServer;

  const control = (server: RunningVaultServer, method: string, path: string, body?: unknown) =>
    httpsJson(
      `${server.address}/_dev/${path}`,
      { ca, servername: server === byName ? SERVER_NAME : undefined },
      method,
      body,
    );
  const apiRequests = async (server: RunningVaultServer) =>
    ((await control(server, 'GET', 'stats')) as { total: number }).total;
  const tlsConfig = (name: string, address: string, vaultExtra: string) =>
    writeConfig(
      name,
      `vault: {address: "${address}"${vaultExtra}}\nsources: {s: {vault: {mount: secret}}}\nmerge_store: {vault: {mount: merged}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n`,
    );

  beforeAll(async () => {
    const [ipCert, nameCert] = pki?.servers ?? [];
    if (ipCert === undefined || nameCert === undefined) throw new Error('no test certificates');
    const mounts = [
      { path: 'secret', version: 2 as const },
      { path: 'merged', version: 2 as const },
    ];
    [byIp, byName] = await Promise.all([
      startVaultServer({ tls: ipCert, mounts }),
      startVaultServer({ tls: nameCert, mounts }),
    ]);
    for (const server of [byIp, byName])
      await control(server, 'POST', 'secrets', { mount: 'secret', secrets: { db: { a: 1 } } });
  });
  afterAll(async () => {
    await Promise.all([byIp.close(), byName.close()]);
  });

  it('refuses an untrusted certificate with a TLS error, before any request (or token) is sent', async () => {
    await control(byIp, 'DELETE', 'stats');
    const result = await pipeline(
      tlsConfig('untrusted', byIp.address, ''),
      ['--merge-only'],
      baseEnv(),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('failed to look up token at path "auth/token/lookup-self"');
    expect(result.stdout).toMatch(/certificate/i);
    expect(result.stdout).toContain('set vault.ca_cert (or VAULT_CACERT) to the PEM file');
    expect(stackFrames(result.stderr)).toEqual([]);
    // The handshake failed, so no HTTP request (and no X-Vault-Token) ever reached the server.
    expect(await apiRequests(byIp)).toBe(0);
  });

  it('trusts a private CA given as vault.ca_cert', async () => {
    const config = tlsConfig('ca-cert', byIp.address, `, ca_cert: "${pki?.caPath ?? ''}"`);
    const result = await pipeline(config, ['--merge-only'], baseEnv());
    expect(result.stdout).toContain('merge: ok, 1 secret(s)');
    expect(result.code).toBe(0);
    expect(await apiRequests(byIp)).toBeGreaterThan(0);
  });

  it('trusts a private CA given as VAULT_CACERT', async () => {
    const config = tlsConfig('vault-cacert', byIp.address, '');
    const result = await pipeline(
      config,
      ['--merge-only'],
      baseEnv({ VAULT_CACERT: pki?.caPath ?? '' }),
    );
    expect(result.stdout).toContain('merge: ok, 1 secret(s)');
    expect(result.code).toBe(0);
  });

  it('checks the certificate against the address unless tls_server_name names it', async () => {
    const trust = `, ca_cert: "${pki?.caPath ?? ''}"`;
    const mismatch = await pipeline(
      tlsConfig('name-mismatch', byName.address, trust),
      ['--merge-only'],
      baseEnv(),
    );
    expect(mismatch.code).toBe(1);
    expect(mismatch.stdout).toMatch(/does not match certificate's altnames/);
    expect(mismatch.stdout).toContain('or set vault.tls_server_name to it');
    expect(stackFrames(mismatch.stderr)).toEqual([]);
    const named = await pipeline(
      tlsConfig('server-name', byName.address, `${trust}, tls_server_name: ${SERVER_NAME}`),
      ['--merge-only'],
      baseEnv(),
    );
    expect(named.stdout).toContain('merge: ok, 1 secret(s)');
    expect(named.code).toBe(0);
  });
});

describe('plain http:// to Vault', () => {
  const { call } = testRuntime();
  const connect = (address: string, allowInsecureHttp?: boolean) =>
    createVaultHttp({ address, allowInsecureHttp }, call);

  it('is refused for a non-loopback address, naming the setting that allows it', () => {
    for (const address of ['http://vault.example.com:8200', 'http://10.0.0.5:8200']) {
      expect(() => connect(address)).toThrow(VaultConfigError);
      expect(() => connect(address)).toThrow(
        `vault.address "${address}" uses plain http:// to a non-loopback host, which would send the token unencrypted: use https://, or set vault.allow_insecure_http: true if you accept that`,
      );
    }
  });

  it('is allowed on loopback, and elsewhere only with allow_insecure_http', () => {
    for (const address of ['http://127.0.0.1:8200', 'http://localhost:8200', 'http://[::1]:8200'])
      expect(connect(address).address).toBe(new URL(address).origin);
    expect(connect('http://vault.example.com:8200', true).address).toBe(
      'http://vault.example.com:8200',
    );
    expect(() => connect('ftp://vault.example.com')).toThrow('must use https://');
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

  it.skipIf(external === undefined)(
    'sends nothing to a non-loopback http:// Vault without the setting, and talks to it with it',
    async () => {
      const seen: IncomingHttpHeaders[] = [];
      const server = createServer((req, res) => {
        seen.push(req.headers);
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end('{"errors":["permission denied"]}');
      });
      await new Promise<void>((resolve) => server.listen(0, external, resolve));
      try {
        const address = `http://${external ?? ''}:${(server.address() as AddressInfo).port}`;
        const config = (name: string, extra: string) =>
          writeConfig(
            name,
            `vault: {address: "${address}"${extra}}\nsources: {s: {vault: {mount: secret}}}\nmerge_store: {vault: {mount: merged}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n`,
          );
        const refused = await pipeline(config('insecure', ''), ['--merge-only'], baseEnv());
        expect(refused.code).toBe(1);
        // Refused when the config is loaded, before any request.
        expect(refused.stderr).toContain('vault.address: "http://');
        expect(refused.stderr).toContain('set vault.allow_insecure_http: true if you accept that');
        expect(stackFrames(refused.stderr)).toEqual([]);
        expect(seen).toEqual([]);
        await pipeline(
          config('insecure-allowed', ', allow_insecure_http: true'),
          ['--merge-only'],
          baseEnv(),
        );
        expect(seen[0]?.['x-vault-token']).toBe('root');
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
        });
      }
    },
  );
});

describe('with a real merge store and AWS', () => {
  let vault: VaultPeer;
  let aws: AwsPeer;
  let s3: S3Client;
  const BUCKET = 'secretsync-transport-test';
  const KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  beforeAll(async () => {
    [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
    await vault.mount('transport-merged', 2);
    await vault.seed('secret', { 'transport/db': { user: 'app' }, 'transport/api': { key: 'k' } });
    s3 = new S3Client({ endpoint: aws.endpoint, region: 'us-east-1', forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  }, 60_000);
  afterAll(async () => {
    s3.destroy();
    await Promise.all([vault.close(), aws.close()]);
  });

  const env = () =>
    baseEnv({
      VAULT_ADDR: vault.address,
      VAULT_TOKEN: vault.rootToken,
      AWS_ENDPOINT_URL: aws.endpoint,
    });
  const s3Config = (name: string, store: string, account: string) =>
    writeConfig(
      name,
      `sources: {s: {vault: {mount: secret/transport}}}\nmerge_store: {s3: {${store}}}\ntargets: {T: {account_id: '${account}', imports: [s], secret_prefix: t/}}\n`,
    );
  const encryptionOf = async (key: string) => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return { sse: head.ServerSideEncryption, kmsKeyId: head.SSEKMSKeyId };
  };

  it('HeadObject tells an unencrypted object apart (the checks below can fail)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'control/plain.json', Body: '{}' }));
    expect((await encryptionOf('control/plain.json')).sse).toBeUndefined();
  });

  it('writes S3 bundles with AES256 server-side encryption by default', async () => {
    const config = s3Config('s3-aes', `bucket: ${BUCKET}, prefix: aes/`, '220000000001');
    const result = await pipeline(config, ['--merge-only'], env());
    expect(result.code).toBe(0);
    expect(await encryptionOf('aes/T.json')).toEqual({ sse: 'AES256', kmsKeyId: undefined });
  });

  it('writes S3 bundles with aws:kms and the configured key when kms_key_id is set', async () => {
    const config = s3Config(
      's3-kms',
      `bucket: ${BUCKET}, prefix: kms/, kms_key_id: "${KMS_KEY}"`,
      '220000000002',
    );
    const result = await pipeline(config, ['--merge-only'], env());
    expect(result.code).toBe(0);
    expect(await encryptionOf('kms/T.json')).toEqual({ sse: 'aws:kms', kmsKeyId: KMS_KEY });
  });

  it('keeps the sync record beside the bundles, encrypted, holding hashes and never a value', async () => {
    const config = s3Config('s3-record', `bucket: ${BUCKET}, prefix: rec/`, '220000000003');
    expect((await pipeline(config, [], env())).code).toBe(0);
    const key = 'rec/.secretsync/T.sync-record.json';
    expect(await encryptionOf(key)).toEqual({ sse: 'AES256', kmsKeyId: undefined });
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const stored = JSON.parse((await object.Body?.transformToString()) ?? '') as {
      meta: { account_id: string };
      secrets: Record<string, [string, string, null]>;
    };
    expect(stored.meta.account_id).toBe('220000000003');
    const entries = Object.values(stored.secrets);
    expect(entries.length).toBeGreaterThan(0);
    for (const [hash] of entries) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // A second run plans from the record: nothing to change, and the record is not a target.
    const again = await pipeline(config, ['--exit-code'], env());
    expect(again.code).toBe(0);
  });

  /** Files and folders under `dir`, recursively, relative to it. */
  function entriesUnder(dir: string): string[] {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  }

  /**
   * Runs `fn` with the process and the CLI in a fresh empty working directory and TMPDIR, and
   * returns what was left in each afterwards.
   */
  async function leftOnDisk(fn: (cwd: string) => Promise<void>) {
    const cwd = mkdtempSync(join(workDir, 'cwd-'));
    const temp = mkdtempSync(join(workDir, 'tmp-'));
    const previous = { cwd: process.cwd(), tmp: process.env.TMPDIR };
    process.env.TMPDIR = temp;
    process.chdir(cwd);
    try {
      expect(tmpdir()).toBe(temp);
      await fn(cwd);
    } finally {
      process.chdir(previous.cwd);
      if (previous.tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous.tmp;
    }
    return { cwd: entriesUnder(cwd), tmp: entriesUnder(temp) };
  }

  it('the leak check sees a file written to the working directory or TMPDIR', async () => {
    const left = await leftOnDisk((cwd) => {
      writeFileSync(join(cwd, 'report.json'), '{}');
      writeFileSync(join(tmpdir(), 'secretsync-bundle'), '{}');
      return Promise.resolve();
    });
    expect(left).toEqual({ cwd: ['report.json'], tmp: ['secretsync-bundle'] });
  });

  it.each([
    ['a Vault merge store', 'vault: {mount: transport-merged}', '220000000003'],
    ['an S3 merge store', `s3: {bucket: ${BUCKET}, prefix: disk/}`, '220000000004'],
  ])('a full pipeline run with %s writes nothing to local disk', async (_, store, account) => {
    const config = writeConfig(
      `disk-${account}`,
      `sources: {s: {vault: {mount: secret/transport}}}\nmerge_store: {${store}}\ntargets: {T: {account_id: '${account}', imports: [s], secret_prefix: t/}}\n`,
    );
    let result: CliResult | undefined;
    const left = await leftOnDisk(async (cwd) => {
      result = await pipeline(config, ['--diff'], env(), cwd);
    });
    expect(result?.code).toBe(0);
    expect(await secretNamesIn(aws.endpoint, account)).toEqual(['t/api', 't/db']);
    expect(left).toEqual({ cwd: [], tmp: [] });
  });
});
