import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../dev/moto-server.js';
import { seedVault } from '../../dev/seed.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { runCliCaptured } from '../support/cli-run.js';
import { startDelayProxy } from '../support/delay-proxy.js';
import { startJwtIssuer } from '../support/jwt-issuer.js';
import type { JwtIssuer } from '../support/jwt-issuer.js';
import { configureAwsRole, configureJwtRole } from '../support/vault-auth-methods.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

// Unique markers: secret values, a token and an AppRole secret id. None may appear anywhere.
const VALUE_MARKER = `LEAKVALUE-${crypto.randomUUID()}`;
// Vault refuses custom token ids with a `hvs.` prefix or a dot, so the marker has neither.
const TOKEN_MARKER = `LEAKTOKEN${crypto.randomUUID().replaceAll('-', '')}`;
const SECRET_ID_MARKER = `LEAKSECRETID-${crypto.randomUUID()}`;
// The keyless logins' credentials: the AWS keys that sign GetCallerIdentity, the GitHub
// Actions request token, and (below) every JWT the test issuer signs.
const AWS_SECRET_MARKER = `LEAKAWSSECRET-${crypto.randomUUID()}`;
const AWS_SESSION_MARKER = `LEAKAWSSESSION-${crypto.randomUUID()}`;
const MARKERS = [
  VALUE_MARKER,
  TOKEN_MARKER,
  SECRET_ID_MARKER,
  AWS_SECRET_MARKER,
  AWS_SESSION_MARKER,
];

let vault: VaultPeer;
let aws: AwsPeer;
let env: Record<string, string>;
let cwd: string;
let issuer: JwtIssuer;
/** Configs with vault.auth.aws / vault.auth.jwt, outside cwd (which must stay clean). */
let configs: { aws: string; jwt: string };
const captured: { what: string; text: string }[] = [];

beforeAll(async () => {
  [vault, aws, issuer] = await Promise.all([
    startVaultPeer(),
    startAwsPeer(),
    startJwtIssuer({ sub: 'repo:acme/app:ref:refs/heads/main' }),
  ]);
  await seedVault(vault.address, vault.rootToken);
  await vault.seed('secret', {
    'common/leak/value': {
      password: VALUE_MARKER,
      nested: { again: VALUE_MARKER },
      list: [VALUE_MARKER],
    },
    // Over 65,536 bytes: fails that secret, and the failure must not quote the value.
    'common/leak/oversized': { blob: `${VALUE_MARKER}${'x'.repeat(70_000)}` },
  });
  await vault.policy('all', [
    { path: '*', capabilities: ['create', 'read', 'update', 'delete', 'list', 'sudo'] },
  ]);
  await vault.token(['all'], { id: TOKEN_MARKER });
  await vault.approleRole({
    name: 'leak',
    roleId: 'leak-role',
    secretId: SECRET_ID_MARKER,
    policies: ['all'],
  });
  await configureAwsRole(vault, {
    stsEndpoint: aws.endpoint,
    headerValue: 'leak.test',
    role: 'leak',
    boundArns: ['arn:aws:iam::123456789012:user/moto'],
    policies: ['all'],
  });
  if (!vault.local)
    await configureJwtRole(vault, issuer.jwksUrl, {
      role: 'leak',
      audiences: ['leak-audience'],
      boundClaims: { sub: 'repo:acme/app:ref:refs/heads/main' },
      policies: ['all'],
    });
  configs = writeAuthConfigs(mkdtempSync(join(tmpdir(), 'secretsync-leak-config-')));
  cwd = mkdtempSync(join(tmpdir(), 'secretsync-leak-'));
  env = {
    VAULT_ADDR: vault.address,
    VAULT_TOKEN: TOKEN_MARKER,
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    SECRETSYNC_CONFIG: join(process.cwd(), 'examples/secretsync.yaml'),
  };
}, 60_000);

afterAll(async () => {
  await Promise.all([vault.close(), aws.close(), issuer.close()]);
});

/** The example config with a keyless login method in place of VAULT_TOKEN. */
function writeAuthConfigs(dir: string): { aws: string; jwt: string } {
  const example = readFileSync(join(process.cwd(), 'examples/secretsync.yaml'), 'utf8');
  const withAuth = (name: string, auth: string) => {
    const path = join(dir, `${name}.yaml`);
    writeFileSync(path, example.replace(/^vault:\n/m, `vault:\n  auth: ${auth}\n`));
    return path;
  };
  return {
    aws: withAuth('aws', '{aws: {role: leak, header_value: leak.test}}'),
    jwt: withAuth('jwt', '{jwt: {role: leak, github_actions: true, audience: leak-audience}}'),
  };
}

/** Logins with the keyless methods, succeeding and refused, with every credential a marker. */
async function captureKeylessLogins(): Promise<void> {
  const awsKeys = {
    VAULT_TOKEN: '',
    SECRETSYNC_CONFIG: configs.aws,
    AWS_ACCESS_KEY_ID: 'AKIDLEAKSCAN',
    AWS_SECRET_ACCESS_KEY: AWS_SECRET_MARKER,
    AWS_SESSION_TOKEN: AWS_SESSION_MARKER,
  };
  const ok = await capture(
    'aws iam context',
    ['context', '--check', '--log-level', 'debug'],
    awsKeys,
  );
  expect(ok.stdout).toContain('logged in with AWS IAM at auth/aws, role leak');
  await capture('aws iam pipeline', ['pipeline', '--dry-run', '--log-level', 'debug'], awsKeys);
  const unknownRole = join(dirname(configs.aws), 'aws-unknown-role.yaml');
  writeFileSync(
    unknownRole,
    readFileSync(configs.aws, 'utf8').replace('role: leak', 'role: nobody'),
  );
  const refused = await capture('aws iam refused', ['context', '--log-level', 'debug'], {
    ...awsKeys,
    SECRETSYNC_CONFIG: unknownRole,
  });
  expect(refused.stdout).toContain('AWS IAM login FAILED');
  if (vault.local) return;
  const github = {
    VAULT_TOKEN: '',
    SECRETSYNC_CONFIG: configs.jwt,
    ACTIONS_ID_TOKEN_REQUEST_URL: issuer.githubRequestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.githubRequestToken,
  };
  MARKERS.push(issuer.githubRequestToken);
  const jwt = await capture('jwt context', ['context', '--log-level', 'debug'], github);
  expect(jwt.stdout).toContain('logged in with JWT/OIDC at auth/jwt, role leak');
  await capture('jwt pipeline', ['pipeline', '--dry-run', '--log-level', 'debug'], github);
  await capture('jwt refused request token', ['context', '--log-level', 'debug'], {
    ...github,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: `${issuer.githubRequestToken}x`,
  });
  // A JWT Vault refuses (wrong audience), from a variable.
  const wrong = writeAuthConfigs(mkdtempSync(join(tmpdir(), 'secretsync-leak-config-')));
  writeFileSync(
    wrong.jwt,
    readFileSync(wrong.jwt, 'utf8').replace(
      '{jwt: {role: leak, github_actions: true, audience: leak-audience}}',
      '{jwt: {role: leak, token_env: LEAK_JWT}}',
    ),
  );
  const refusedJwt = await capture('jwt wrong audience', ['context', '--log-level', 'debug'], {
    VAULT_TOKEN: '',
    SECRETSYNC_CONFIG: wrong.jwt,
    LEAK_JWT: issuer.sign({ sub: 'repo:acme/app:ref:refs/heads/main', aud: 'elsewhere' }),
  });
  expect(refusedJwt.stdout).toContain('wrong audience');
}

async function capture(what: string, args: string[], extra: Record<string, string> = {}) {
  const result = await runCliCaptured(args, { ...env, ...extra });
  captured.push(
    { what: `${what} stdout`, text: result.stdout },
    { what: `${what} stderr`, text: result.stderr },
  );
  return result;
}

/** Runs the built CLI with --metrics-port and scrapes /metrics while it runs. */
async function scrapeDuringRun(vaultAddr?: string): Promise<{ metrics: string; output: string }> {
  // A port free right now (a random one could be taken by another suite's connection).
  const port = await findFreePort('127.0.0.1');
  const child = spawn(
    process.execPath,
    ['dist/src/main.js', 'pipeline', '--metrics-port', String(port), '--log-level', 'debug'],
    {
      env: {
        ...process.env,
        ...env,
        ...(vaultAddr === undefined ? {} : { VAULT_ADDR: vaultAddr }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let last = '';
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setInterval(() => {
    fetch(`http://127.0.0.1:${port}/metrics`)
      .then(async (response) => {
        last = await response.text();
      })
      .catch(() => undefined);
  }, 15);
  return new Promise((resolve) =>
    child.on('close', () => {
      clearInterval(timer);
      captured.push({ what: 'built CLI output', text: output });
      resolve({ metrics: last, output });
    }),
  );
}

describe('secrets never leak', () => {
  it('no marker in any log line, error, report format, metrics exposition or file written, including failures', async () => {
    const gh = {
      GITHUB_OUTPUT: join(cwd, 'gh-output'),
      GITHUB_STEP_SUMMARY: join(cwd, 'gh-summary'),
    };
    writeFileSync(gh.GITHUB_OUTPUT, '');
    await capture('dry-run human debug json-logs', [
      'pipeline',
      '--dry-run',
      '--diff',
      '--log-level',
      'debug',
      '--log-format',
      'json',
    ]);
    const apply = await capture('apply text-logs', [
      'pipeline',
      '--diff',
      '--log-level',
      'debug',
      '--log-format',
      'text',
    ]);
    expect(apply.stdout).toContain('value is'); // the oversized secret failed, naming its size only
    for (const format of ['json', 'github', 'compact', 'human'])
      await capture(
        `report ${format}`,
        ['pipeline', '--diff', '-o', format, '--log-level', 'debug'],
        gh,
      );
    await capture('validate', ['validate']);
    await capture('graph', ['graph', '--format', 'dot']);
    await capture('context', ['context', '--check', '--log-level', 'debug']);
    // Failures: a refused token, and AppRole with a wrong role id (the secret id must not echo).
    await capture('refused token', ['pipeline', '--log-level', 'debug'], {
      VAULT_TOKEN: `${TOKEN_MARKER}x`,
    });
    await capture('bad approle', ['pipeline', '--log-level', 'debug'], {
      VAULT_TOKEN: '',
      VAULT_ROLE_ID: 'nope',
      VAULT_SECRET_ID: SECRET_ID_MARKER,
    });
    await captureKeylessLogins();
    MARKERS.push(...issuer.issued);
    // Hold the first Vault answers back so the run outlives a few scrapes however fast it is:
    // by a fault on our server, by a delaying proxy in front of a real Vault.
    const proxy = vault.local ? undefined : await startDelayProxy(vault.address, 400, 2);
    if (vault.local) await vault.control('POST', 'faults', { path: '.*', delay_ms: 400, count: 2 });
    const { metrics, output } = await scrapeDuringRun(proxy?.url).finally(() => proxy?.close());
    expect(metrics, `no scrape landed; the CLI said:\n${output.slice(-3000)}`).toContain(
      'secretsync_vault_requests_total',
    );
    captured.push({ what: 'metrics exposition', text: metrics });
    for (const file of readdirSync(cwd))
      captured.push({ what: `file ${file}`, text: readFileSync(join(cwd, file), 'utf8') });
    expect(captured.length).toBeGreaterThan(20);
    expect(captured.some((entry) => entry.text.includes('"level"'))).toBe(true);
    for (const { what, text } of captured) {
      for (const marker of MARKERS)
        expect(text.includes(marker), `${what} contains a secret marker`).toBe(false);
    }
    // Nothing else was written to the working directory.
    expect(readdirSync(cwd).sort()).toEqual(['gh-output', 'gh-summary']);
    process.stdout.write(
      `leak scan: ${captured.length} outputs, ${captured.reduce((sum, entry) => sum + entry.text.length, 0)} characters scanned for ${MARKERS.length} markers\n`,
    );
  }, 120_000);
});
