import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalArn } from './aws-auth.js';
import { call, control } from './http-test-client.js';
import { startVaultServer } from './server.js';
import type { RunningVaultServer } from './server.js';

/*
 * The IAM method of our server's aws auth against a scripted STS: what it checks before it
 * forwards, what it forwards, and how it maps the answer. (The integration suite runs the same
 * logins, signed by the client, through moto and against a real Vault.)
 */

let server: RunningVaultServer;
let sts: Server;
let stsUrl: string;
let answer: { status: number; type: string; arn: string };
let seen: { path: string; headers: IncomingHttpHeaders; body: string }[];

beforeAll(async () => {
  server = await startVaultServer();
  sts = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(
        `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>${answer.arn}</Arn><UserId>AIDX</UserId><Account>111111111111</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
  stsUrl = `http://127.0.0.1:${String((sts.address() as AddressInfo).port)}`;
});
afterAll(async () => {
  await server.close();
  sts.closeAllConnections();
  await new Promise((resolve) => sts.close(resolve));
});
beforeEach(async () => {
  await control(server, 'POST', 'reset');
  answer = {
    status: 200,
    type: 'text/xml',
    arn: 'arn:aws:sts::111111111111:assumed-role/ci/job-1',
  };
  seen = [];
  await control(server, 'POST', 'aws/config', {
    sts_endpoint: stsUrl,
    iam_server_id_header_value: 'vault.test',
  });
  await control(server, 'POST', 'aws/roles', {
    role: 'ci',
    bound_iam_principal_arn: ['arn:aws:iam::111111111111:role/c*'],
    policies: ['reader'],
    ttl: '10m',
  });
});

const b64 = (text: string) => Buffer.from(text).toString('base64');
const SIGNED =
  'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-vault-aws-iam-server-id, Signature=abc';

function loginBody(overrides: Record<string, unknown> = {}, headers: Record<string, unknown> = {}) {
  return {
    role: 'ci',
    iam_http_request_method: 'POST',
    iam_request_url: b64('https://sts.amazonaws.com/'),
    iam_request_body: b64('Action=GetCallerIdentity&Version=2011-06-15'),
    iam_request_headers: b64(
      JSON.stringify({
        'content-type': ['application/x-www-form-urlencoded; charset=utf-8'],
        'x-amz-date': ['20250101T000000Z'],
        'x-vault-aws-iam-server-id': ['vault.test'],
        authorization: [SIGNED],
        ...headers,
      }),
    ),
    ...overrides,
  };
}

const login = (body: unknown) => call(server, 'POST', '/v1/auth/aws/login', { token: null, body });
const errorsOf = (body: unknown) => (body as { errors: string[] }).errors;

describe('aws auth, IAM method', () => {
  it('forwards the signed request with its Host and maps an assumed role to its role ARN', async () => {
    const response = await login(loginBody());
    expect(response.status).toBe(200);
    const auth = (
      response.body as {
        auth: { policies: string[]; lease_duration: number; metadata: Record<string, string> };
      }
    ).auth;
    expect(auth.policies).toEqual(['default', 'reader']);
    expect(auth.lease_duration).toBe(600);
    expect(auth.metadata).toMatchObject({ account_id: '111111111111', auth_type: 'iam' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.host).toBe('sts.amazonaws.com');
    expect(seen[0]?.headers.authorization).toBe(SIGNED);
    expect(seen[0]?.body).toBe('Action=GetCallerIdentity&Version=2011-06-15');
  });

  it('refuses a principal outside the bound ARNs with Vault 1.14 text', async () => {
    answer.arn = 'arn:aws:sts::111111111111:assumed-role/deploy/job-1';
    const response = await login(loginBody());
    expect(response.status).toBe(400);
    expect(errorsOf(response.body)).toEqual([
      'IAM Principal "arn:aws:sts::111111111111:assumed-role/deploy/job-1" does not belong to the role "ci"',
    ]);
  });

  it.each([
    [
      { iam_http_request_method: 'GET' },
      {},
      "invalid iam_http_request_method; currently only 'POST' is supported",
    ],
    [{ iam_request_body: b64('Action=AssumeRole') }, {}, 'iam request body is invalid'],
    [
      { iam_request_url: b64('https://sts.amazonaws.com/?Action=GetCallerIdentity') },
      {},
      'invalid request',
    ],
    [{ iam_request_headers: undefined }, {}, 'missing iam_request_headers'],
    [{}, { 'x-amz-target': ['x'] }, 'invalid request header: x-amz-target'],
    [
      {},
      { 'x-vault-aws-iam-server-id': ['other'] },
      'error validating X-Vault-AWS-IAM-Server-ID header: expected "vault.test" but got "other"',
    ],
    [
      {},
      { authorization: [SIGNED.replace(';x-vault-aws-iam-server-id', '')] },
      "error validating X-Vault-AWS-IAM-Server-ID header: vault header wasn't signed",
    ],
    [{ role: 'nobody' }, {}, 'entry for role nobody not found'],
  ])('checks the login before it trusts it: %j %j', async (overrides, headers, message) => {
    const response = await login(loginBody(overrides, headers));
    expect(response.status).toBe(400);
    expect(errorsOf(response.body)).toEqual([message]);
  });

  it('passes STS refusals and unusable answers on as upstream errors', async () => {
    answer = { ...answer, status: 403 };
    expect(errorsOf((await login(loginBody())).body)[0]).toMatch(
      /^error making upstream request: received error code 403 from STS: /,
    );
    answer = { ...answer, status: 200, type: 'text/html' };
    expect(errorsOf((await login(loginBody())).body)).toEqual([
      'error making upstream request: body of GetCallerIdentity is invalid',
    ]);
    await control(server, 'POST', 'aws/config', { sts_endpoint: 'http://127.0.0.1:1' });
    expect(errorsOf((await login(loginBody())).body)[0]).toMatch(
      /^error making upstream request: error making request: Post "http:\/\/127\.0\.0\.1:1\/"/,
    );
  });

  it('canonicalizes callers as Vault does', () => {
    expect(canonicalArn('arn:aws:sts::1:assumed-role/r/s')).toBe('arn:aws:iam::1:role/r');
    expect(canonicalArn('arn:aws:iam::1:user/path/u')).toBe('arn:aws:iam::1:user/path/u');
    expect(() => canonicalArn('not-an-arn')).toThrow('unrecognized arn');
  });
});
