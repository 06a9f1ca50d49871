import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A server certificate signed by the test CA, with the names it is valid for. */
export interface ServerCertificate {
  readonly cert: string;
  readonly key: string;
}

/** A throw-away certificate authority and the server certificates it signed, as PEM. */
export interface TestPki {
  /** Path of the CA certificate (what `vault.ca_cert` points at). */
  readonly caPath: string;
  readonly caPem: string;
  /** One certificate per requested subjectAltName list, in request order. */
  readonly servers: readonly ServerCertificate[];
}

/**
 * Creates a CA and server certificates in `dir` with the openssl binary (Node cannot create an
 * X.509 certificate itself). Argument arrays only, no shell. `altNames` are subjectAltName
 * values such as `IP:127.0.0.1` or `DNS:vault.test`. Undefined when openssl is missing.
 */
export function createTestPki(
  dir: string,
  altNames: readonly (readonly string[])[],
): TestPki | undefined {
  const openssl = (args: readonly string[]) =>
    execFileSync('openssl', [...args], { stdio: 'ignore', cwd: dir });
  try {
    const caPath = join(dir, 'ca.pem');
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '1',
      '-subj',
      '/CN=secretsync test CA',
    ]);
    const servers = altNames.map((names, index) => {
      const base = `server-${index}`;
      openssl([
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.csr`,
        '-subj',
        '/CN=secretsync test server',
      ]);
      openssl([
        'x509',
        '-req',
        '-in',
        `${base}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-set_serial',
        String(index + 2),
        '-days',
        '1',
        '-out',
        `${base}.pem`,
        '-extfile',
        writeExtensions(dir, base, names),
      ]);
      return {
        cert: readFileSync(join(dir, `${base}.pem`), 'utf8'),
        key: readFileSync(join(dir, `${base}.key`), 'utf8'),
      };
    });
    return { caPath, caPem: readFileSync(caPath, 'utf8'), servers };
  } catch {
    return undefined;
  }
}

function writeExtensions(dir: string, base: string, names: readonly string[]): string {
  const file = `${base}.ext`;
  writeFileSync(join(dir, file), `subjectAltName=${names.join(',')}\n`);
  return file;
}
