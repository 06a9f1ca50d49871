import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultServer } from './server.js';
import type { RunningVaultServer } from './server.js';

/** Node cannot create an X.509 certificate itself, so the test asks the openssl binary. */
function selfSignedCertificate(): { cert: string; key: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'vault-tls-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pem = selfSignedCertificate();
if (pem === undefined) {
  // Visible in the test output, so a skipped TLS check is never mistaken for a pass.
  process.stderr.write('tls.test.ts: skipped, the openssl binary is missing or failed\n');
}

function httpsGet(
  url: string,
  ca: string,
  method = 'GET',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca, headers: { 'x-vault-token': 'root' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(pem === undefined)('TLS', () => {
  let server: RunningVaultServer;

  beforeAll(async () => {
    server = await startVaultServer({ tls: pem as { cert: string; key: string } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves https with the given certificate', async () => {
    expect(server.address).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const response = await httpsGet(
      `${server.address}/v1/sys/health`,
      (pem as { cert: string }).cert,
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ sealed: false });
  });

  it('answers the LIST method over TLS too', async () => {
    const response = await httpsGet(
      `${server.address}/v1/secret/metadata/`,
      (pem as { cert: string }).cert,
      'LIST',
    );
    expect(response.status).toBe(404);
    expect(response.body).toBe('{"errors":[]}');
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(fetch(`${server.address}/v1/sys/health`)).rejects.toThrow();
  });
});
