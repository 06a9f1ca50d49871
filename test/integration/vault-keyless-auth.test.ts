import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultTokenSource } from '../../src/clients/vault/auth.js';
import { createVaultHttp } from '../../src/clients/vault/http.js';
import type { VaultHttp } from '../../src/clients/vault/http.js';
import type { AwsIamAuth, JwtAuth, JwtSource } from '../../src/config/types.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { startJwtIssuer } from '../support/jwt-issuer.js';
import type { JwtIssuer } from '../support/jwt-issuer.js';
import { configFrom, testRuntime } from '../support/runtime.js';
import { configureAwsRole, configureJwtRole } from '../support/vault-auth-methods.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

const REPO_SUB = 'repo:acme/app:ref:refs/heads/main';
/** The claims a job's token of acme/app carries. */
const CLAIMS = { sub: REPO_SUB, repository: 'acme/app' };
const JWT_ONLY_ON_REAL =
  'the JWT auth method is tested against the real Vault peer (npm run test:real-vault); our server does not emulate it';

let peer: VaultPeer;
let aws: AwsPeer;
let issuer: JwtIssuer;
let http: VaultHttp;
let dir: string;
const runtime = testRuntime();

beforeAll(async () => {
  [peer, aws, issuer] = await Promise.all([
    startVaultPeer(),
    startAwsPeer(),
    startJwtIssuer(CLAIMS),
  ]);
  await peer.policy('reader', [{ path: 'secret/*', capabilities: ['read', 'list'] }]);
  http = createVaultHttp({ address: peer.address }, runtime.call);
  dir = mkdtempSync(join(tmpdir(), 'secretsync-keyless-'));
  if (!peer.local) {
    await configureJwtRole(peer, issuer.jwksUrl, {
      role: 'ci',
      audiences: ['vault-ci'],
      boundClaims: { repository: 'acme/app' },
      policies: ['reader'],
      ttl: '60s',
    });
    await configureJwtRole(peer, issuer.jwksUrl, {
      role: 'rotating',
      audiences: ['vault-ci'],
      policies: ['reader'],
      ttl: '60s',
      tokenType: 'batch',
    });
    await configureJwtRole(peer, issuer.jwksUrl, {
      mount: 'gha',
      role: 'deploy',
      audiences: ['https://github.com/acme'],
      boundClaims: { sub: REPO_SUB },
      policies: ['reader'],
    });
  }
  await configureAwsRole(peer, {
    stsEndpoint: aws.endpoint,
    headerValue: 'vault.example.test',
    role: 'runner',
    boundArns: ['arn:aws:iam::111111111111:role/ci-runner'],
    policies: ['reader'],
  });
  await configureAwsRole(peer, {
    mount: 'aws-user',
    stsEndpoint: aws.endpoint,
    role: 'moto',
    boundArns: ['arn:aws:iam::123456789012:user/moto'],
    policies: ['reader'],
  });
  await configureAwsRole(peer, {
    mount: 'aws-nosts',
    stsEndpoint: 'http://127.0.0.1:1',
    role: 'any',
    boundArns: ['arn:aws:iam::123456789012:user/moto'],
    policies: ['reader'],
  });
}, 120_000);

afterAll(async () => {
  http.close();
  await Promise.all([peer.close(), aws.close(), issuer.close()]);
});

function jwtAuth(source: JwtSource, extra: Partial<JwtAuth> = {}): JwtAuth {
  return { method: 'jwt', mount: 'jwt', role: 'ci', source, audience: undefined, ...extra };
}

function tokenFile(name: string, jwt: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${jwt}\n`);
  return path;
}

/** The message of the login's rejection (the test fails when it resolves). */
async function loginError(tokens: VaultTokenSource): Promise<string> {
  const error = await tokens.login().then(
    () => undefined,
    (failure: unknown) => failure as Error,
  );
  expect(error, 'the login should have failed').toBeDefined();
  return error?.message ?? '';
}

describe('JWT/OIDC login', () => {
  it('logs in with a token file when the bound claims match, and says how', async ({ skip }) => {
    if (peer.local) skip(JWT_ONLY_ON_REAL);
    const path = tokenFile('ok.jwt', issuer.sign({ ...CLAIMS, aud: 'vault-ci' }));
    const tokens = new VaultTokenSource(http, jwtAuth({ kind: 'file', path }), runtime.logger);
    const login = await tokens.login();
    expect(login).toEqual({
      method: 'jwt',
      mount: 'jwt',
      role: 'ci',
      policies: ['default', 'reader'],
      ttlSeconds: 60,
    });
    expect((await peer.api('GET', 'secret/data/x', undefined, await tokens.token())).status).toBe(
      404,
    );
  });

  it('reads the token file again at every login (projected tokens rotate)', async ({ skip }) => {
    if (peer.local) skip(JWT_ONLY_ON_REAL);
    const write = (sub: string, options = {}) =>
      tokenFile('rotating.jwt', issuer.sign({ ...CLAIMS, aud: 'vault-ci', sub }, options));
    const path = write('pod-a');
    let now = Date.now();
    // Batch tokens cannot be renewed: near the end of one, the client logs in again.
    const tokens = new VaultTokenSource(
      http,
      jwtAuth({ kind: 'file', path }, { role: 'rotating' }),
      runtime.logger,
      () => now,
    );
    const subject = async () =>
      (
        (await peer.api('GET', 'auth/token/lookup-self', undefined, await tokens.token())).body as {
          data: { display_name: string };
        }
      ).data.display_name;
    expect(await subject()).toBe('jwt-pod-a');
    // The kubelet rotates the file; the next login must present the new token.
    write('pod-b');
    now += 50_000;
    expect(await subject()).toBe('jwt-pod-b');
    write('pod-c', { foreignKey: true });
    now += 50_000;
    const refused = await tokens.token().then(
      () => '',
      (error: unknown) => (error as Error).message,
    );
    expect(refused).toContain('JWT login at auth/jwt/login as role rotating failed');
    expect(refused).toContain('Vault does not trust the key that signed the token');
  });

  it('refuses a wrong audience with the method, mount, role and the fix, never the token', async ({
    skip,
  }) => {
    if (peer.local) skip(JWT_ONLY_ON_REAL);
    const jwt = issuer.sign({ ...CLAIMS, aud: 'someone-else' });
    const tokens = new VaultTokenSource(
      http,
      jwtAuth({ kind: 'env', name: 'CI_JWT', token: jwt }),
      runtime.logger,
    );
    const message = await loginError(tokens);
    expect(message).toContain('Vault JWT login at auth/jwt/login as role ci failed');
    expect(message).toContain('invalid audience (aud) claim');
    expect(message).toContain(
      "wrong audience: the token's aud claim is not one of the role's bound_audiences",
    );
    expect(message).not.toContain(jwt);
    expect(message).not.toContain(jwt.split('.')[2]);
  });

  it('refuses a token whose bound claim does not match, naming the claim', async ({ skip }) => {
    if (peer.local) skip(JWT_ONLY_ON_REAL);
    const path = tokenFile(
      'other-repo.jwt',
      issuer.sign({ ...CLAIMS, aud: 'vault-ci', repository: 'acme/other' }),
    );
    const message = await loginError(
      new VaultTokenSource(http, jwtAuth({ kind: 'file', path }), runtime.logger),
    );
    expect(message).toContain(
      'claim "repository" does not match any associated bound claim values',
    );
    expect(message).toContain(
      "bound claim mismatch: the token's repository claim does not match bound_claims of auth/jwt/role/ci",
    );
  });

  it("names clock skew when the token is not valid yet by Vault's clock", async ({ skip }) => {
    if (peer.local) skip(JWT_ONLY_ON_REAL);
    const future = Math.floor(Date.now() / 1000) + 600;
    const path = tokenFile(
      'future.jwt',
      issuer.sign({ ...CLAIMS, aud: 'vault-ci' }, { nowSeconds: future }),
    );
    const message = await loginError(
      new VaultTokenSource(http, jwtAuth({ kind: 'file', path }), runtime.logger),
    );
    expect(message).toContain('token not yet valid');
    expect(message).toContain('clock skew');
  });

  it('GitHub Actions: requests the ID token for the audience and logs in with the repository sub', async ({
    skip,
  }) => {
    if (peer.local) skip(JWT_ONLY_ON_REAL);
    const config = configFrom(
      `vault: {address: ${peer.address}, auth: {jwt: {mount: gha, role: deploy, github_actions: true, audience: 'https://github.com/acme'}}}\nsources: {s: {vault: {mount: secret}}}\nmerge_store: {vault: {mount: merged}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n`,
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: issuer.githubRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.githubRequestToken,
      },
    );
    const before = issuer.requestedAudiences.length;
    const tokens = new VaultTokenSource(
      http,
      config.vault.auth,
      runtime.logger,
      {},
      {
        call: runtime.call,
      },
    );
    expect(await tokens.login()).toMatchObject({ method: 'jwt', mount: 'gha', role: 'deploy' });
    expect(issuer.requestedAudiences.slice(before)).toEqual(['https://github.com/acme']);
  });

  it('GitHub Actions: a refused request token names the id-token permission', async () => {
    const tokens = new VaultTokenSource(
      http,
      jwtAuth({
        kind: 'github_actions',
        requestUrl: issuer.githubRequestUrl,
        requestToken: 'stale',
      }),
      runtime.logger,
      {},
      { call: runtime.call },
    );
    const message = await loginError(tokens);
    expect(message).toContain('failed to request the OIDC ID token');
    expect(message).toContain('permissions: id-token: write');
    expect(message).not.toContain('stale');
  });

  it('GitHub Actions outside a job with id-token: write fails before any request', async () => {
    const tokens = new VaultTokenSource(
      http,
      jwtAuth({ kind: 'github_actions', requestUrl: undefined, requestToken: undefined }),
      runtime.logger,
    );
    expect(await loginError(tokens)).toContain(
      'needs ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    );
  });

  it('checks a configured audience and the expiry in the token before asking Vault', async () => {
    const wrong = tokenFile('aud.jwt', issuer.sign({ ...CLAIMS, aud: ['a', 'b'] }));
    expect(
      await loginError(
        new VaultTokenSource(
          http,
          jwtAuth({ kind: 'file', path: wrong }, { audience: 'vault-ci' }),
          runtime.logger,
        ),
      ),
    ).toContain("JWT auth (auth/jwt, role ci): the token's audience is a, b, not vault-ci");
    const old = Math.floor(Date.now() / 1000) - 3600;
    const expired = tokenFile(
      'old.jwt',
      issuer.sign({ ...CLAIMS, aud: 'vault-ci' }, { nowSeconds: old }),
    );
    expect(
      await loginError(
        new VaultTokenSource(http, jwtAuth({ kind: 'file', path: expired }), runtime.logger),
      ),
    ).toMatch(
      /the token expired at .*: the file is not being rotated, or this machine's clock is wrong/,
    );
    expect(
      await loginError(
        new VaultTokenSource(
          http,
          jwtAuth({ kind: 'file', path: join(dir, 'absent') }),
          runtime.logger,
        ),
      ),
    ).toContain(`JWT auth needs the token file ${join(dir, 'absent')}: ENOENT`);
  });
});

describe('AWS IAM login', () => {
  function awsAuth(extra: Partial<AwsIamAuth> = {}): AwsIamAuth {
    return {
      method: 'aws',
      mount: 'aws',
      role: 'runner',
      headerValue: 'vault.example.test',
      region: undefined,
      stsEndpoint: aws.endpoint,
      ...extra,
    };
  }

  async function assumedCredentials(roleArn: string) {
    const sts = new STSClient({ endpoint: aws.endpoint, region: 'us-east-1' });
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci-job' }),
    );
    sts.destroy();
    return {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    };
  }

  it('logs in as an assumed role: the ARN maps to the role bound to it', async () => {
    const credentials = await assumedCredentials('arn:aws:iam::111111111111:role/ci-runner');
    const tokens = new VaultTokenSource(
      http,
      awsAuth(),
      runtime.logger,
      {},
      {
        awsCredentials: () => Promise.resolve(credentials),
      },
    );
    expect(await tokens.login()).toMatchObject({
      method: 'aws',
      mount: 'aws',
      role: 'runner',
      policies: ['default', 'reader'],
    });
    const lookup = await peer.api('GET', 'auth/token/lookup-self', undefined, await tokens.token());
    const meta = (lookup.body as { data: { meta: Record<string, string> } }).data.meta;
    expect(meta).toMatchObject({ account_id: '111111111111', auth_type: 'iam' });
  });

  it('honours AWS_ENDPOINT_URL_STS from the config load and the default credential chain', async () => {
    const config = configFrom(
      `vault: {address: ${peer.address}, auth: {aws: {mount: aws-user, role: moto}}}\nsources: {s: {vault: {mount: secret}}}\nmerge_store: {vault: {mount: merged}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n`,
      { AWS_ENDPOINT_URL_STS: aws.endpoint, AWS_ENDPOINT_URL: 'http://127.0.0.1:1' },
    );
    expect(config.vault.auth).toMatchObject({ method: 'aws', stsEndpoint: aws.endpoint });
    const tokens = new VaultTokenSource(
      http,
      config.vault.auth,
      runtime.logger,
      {},
      {
        awsCredentials: () => Promise.resolve({ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' }),
      },
    );
    expect(await tokens.login()).toMatchObject({ method: 'aws', mount: 'aws-user', role: 'moto' });
  });

  it('refuses a caller not bound to the role, naming the ARN and the fix, never the keys', async () => {
    const credentials = await assumedCredentials('arn:aws:iam::222222222222:role/intruder');
    const message = await loginError(
      new VaultTokenSource(
        http,
        awsAuth(),
        runtime.logger,
        {},
        {
          awsCredentials: () => Promise.resolve(credentials),
        },
      ),
    );
    expect(message).toContain('Vault AWS IAM login at auth/aws/login as role runner failed');
    expect(message).toContain(
      'IAM Principal "arn:aws:sts::222222222222:assumed-role/intruder/ci-job" does not belong to the role "runner"',
    );
    expect(message).toContain('is not in bound_iam_principal_arn of auth/aws/role/runner');
    expect(message).not.toContain(credentials.secretAccessKey);
    expect(message).not.toContain(credentials.sessionToken);
  });

  it('names header_value when the server-id header is missing', async () => {
    const credentials = await assumedCredentials('arn:aws:iam::111111111111:role/ci-runner');
    const message = await loginError(
      new VaultTokenSource(
        http,
        awsAuth({ headerValue: undefined }),
        runtime.logger,
        {},
        {
          awsCredentials: () => Promise.resolve(credentials),
        },
      ),
    );
    expect(message).toContain('missing header "X-Vault-AWS-IAM-Server-ID"');
    expect(message).toContain(
      'set vault.auth.aws.header_value to iam_server_id_header_value of auth/aws/config/client',
    );
  });

  it('says Vault could not reach STS when its sts_endpoint is down', async () => {
    const message = await loginError(
      new VaultTokenSource(
        http,
        awsAuth({ mount: 'aws-nosts', role: 'any', headerValue: undefined }),
        runtime.logger,
        {},
        { awsCredentials: () => Promise.resolve({ accessKeyId: 'AKIDX', secretAccessKey: 'x' }) },
      ),
    );
    expect(message).toContain('error making upstream request');
    expect(message).toContain(
      'Vault could not reach STS: check sts_endpoint of auth/aws-nosts/config/client',
    );
  });
});
