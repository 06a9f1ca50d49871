import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import type { ApiRequest } from './api-request.js';
import type { AwsAuthRole } from './auth.js';
import type { Token } from './auth.js';
import { optionalParam, parseWith } from './request-body.js';
import { badRequest } from './responses.js';

/** An `aws` auth mount's `config/client`: where GetCallerIdentity is sent, the server-id header. */
export interface AwsClientConfig {
  /** Vault's default is the global endpoint. */
  readonly stsEndpoint: string;
  readonly iamServerIdHeaderValue: string | undefined;
}

/** The mount's state: its client config and roles. */
export interface AwsMountState {
  client: AwsClientConfig;
  readonly roles: Map<string, AwsAuthRole>;
}

const loginBody = z.looseObject({
  role: optionalParam(z.string()),
  iam_http_request_method: optionalParam(z.string()),
  iam_request_url: optionalParam(z.string()),
  iam_request_body: optionalParam(z.string()),
  iam_request_headers: optionalParam(z.string()),
});

/** Headers as Vault's TypeHeader takes them: a JSON object of a string or a list of strings. */
const headerObject = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

const SERVER_ID_HEADER = 'X-Vault-AWS-IAM-Server-ID';
/** The `X-Amz-*` headers Vault 1.14 lets a login carry (`defaultAllowedSTSRequestHeaders`). */
const ALLOWED_AMZ = new Set([
  'x-amz-algorithm',
  'x-amz-content-sha256',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

/**
 * `POST auth/<aws mount>/login` with the IAM method [api-docs/auth/aws, "Login"]: checks the
 * request as Vault does, forwards the signed GetCallerIdentity to the mount's STS endpoint, and
 * maps the caller's ARN to the role's bound principals. Answers with Vault 1.14's error texts.
 */
export async function loginAwsIam(
  req: ApiRequest,
  mount: AwsMountState,
  path: string,
): Promise<Token> {
  const body = parseWith(loginBody, await req.body());
  const method = body.iam_http_request_method ?? '';
  if (method === '') throw badRequest('missing iam_http_request_method');
  if (method !== 'POST')
    throw badRequest("invalid iam_http_request_method; currently only 'POST' is supported");
  const url = new URL(decode(body.iam_request_url, 'iam_request_url'));
  if (url.search !== '') throw badRequest('invalid request');
  const stsBody = decode(body.iam_request_body, 'iam_request_body');
  if (!isGetCallerIdentity(stsBody)) throw badRequest('iam request body is invalid');
  const headers = parseHeaders(body.iam_request_headers);
  checkServerId(headers, mount.client.iamServerIdHeaderValue);
  const arn = await callerArn(mount.client.stsEndpoint, url, stsBody, headers);
  const canonical = canonicalArn(arn);
  const roleName = body.role ?? canonical.split('/').pop() ?? '';
  const role = mount.roles.get(roleName);
  if (role === undefined) throw badRequest(`entry for role ${roleName} not found`);
  if (!role.boundIamPrincipalArns.some((bound) => principalMatches(bound, canonical)))
    throw badRequest(`IAM Principal "${arn}" does not belong to the role "${roleName}"`);
  const account = arn.split(':')[4] ?? '';
  return req.state.tokens.create({
    policies: role.policies,
    ttl: role.ttl,
    maxTtl: role.maxTtl,
    namespace: req.namespace.path,
    displayName: `aws-${canonical.split('/').pop() ?? ''}`,
    // The keys Vault 1.14 gives an IAM login's token.
    meta: { account_id: account, auth_type: 'iam', role_id: role.roleId },
    path,
  });
}

function decode(value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw badRequest(`missing ${field}`);
  return Buffer.from(value, 'base64').toString('utf8');
}

function isGetCallerIdentity(body: string): boolean {
  const params = new URLSearchParams(body);
  return [...params.keys()].every(
    (key) =>
      key === 'Version' ||
      (key === 'Action' && params.getAll('Action').join() === 'GetCallerIdentity'),
  );
}

function parseHeaders(encoded: string | undefined): Map<string, string> {
  if (encoded === undefined || encoded === '') throw badRequest('missing iam_request_headers');
  let parsed: z.infer<typeof headerObject>;
  try {
    parsed = headerObject.parse(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
  } catch {
    throw badRequest('missing iam_request_headers');
  }
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-') && !ALLOWED_AMZ.has(lower))
      throw badRequest(`invalid request header: ${name}`);
    headers.set(lower, [value].flat().join(','));
  }
  return headers;
}

/** The server-id header must be present, equal, and among the signed headers. */
function checkServerId(headers: Map<string, string>, required: string | undefined): void {
  if (required === undefined) return;
  const fail = (why: string) => badRequest(`error validating ${SERVER_ID_HEADER} header: ${why}`);
  const given = headers.get(SERVER_ID_HEADER.toLowerCase()) ?? '';
  if (given === '') throw fail(`missing header "${SERVER_ID_HEADER}"`);
  if (given !== required) throw fail(`expected "${required}" but got "${given}"`);
  const signed = /SignedHeaders=([^,]+)/.exec(headers.get('authorization') ?? '')?.[1];
  if (signed === undefined) throw fail('missing Authorization header');
  if (!signed.split(';').includes(SERVER_ID_HEADER.toLowerCase()))
    throw fail("vault header wasn't signed");
}

/** Sends the signed request to the configured STS endpoint with the signed Host, as Vault does. */
async function callerArn(
  endpoint: string,
  signedUrl: URL,
  body: string,
  headers: Map<string, string>,
): Promise<string> {
  const target = new URL(`${signedUrl.pathname}${signedUrl.search}`, endpoint);
  const outgoing = Object.fromEntries(headers);
  outgoing.host = signedUrl.host;
  let answer: { status: number; contentType: string; text: string };
  try {
    answer = await post(target, outgoing, body);
  } catch (error) {
    throw badRequest(
      `error making upstream request: error making request: Post "${target.href}": ${(error as Error).message}`,
    );
  }
  if (answer.contentType !== 'text/xml')
    throw badRequest('error making upstream request: body of GetCallerIdentity is invalid');
  if (answer.status !== 200)
    throw badRequest(
      `error making upstream request: received error code ${String(answer.status)} from STS: ${answer.text}`,
    );
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(answer.text)?.[1];
  if (arn === undefined)
    throw badRequest('error making upstream request: error parsing STS response');
  return arn;
}

function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; contentType: string; text: string }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method: 'POST', headers, setHost: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'] ?? '',
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * Vault's canonical form of a caller: `arn:aws:sts::<acct>:assumed-role/<role>/<session>`
 * becomes `arn:aws:iam::<acct>:role/<role>` (the path is dropped); users and roles keep theirs.
 */
export function canonicalArn(arn: string): string {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn')
    throw badRequest(`error parsing arn "${arn}": unrecognized arn`);
  const [, partition, , , account, resource = ''] = parts;
  const pieces = resource.split('/');
  if (pieces[0] === 'assumed-role')
    return `arn:${partition ?? 'aws'}:iam::${account ?? ''}:role/${pieces[1] ?? ''}`;
  return `arn:${partition ?? 'aws'}:iam::${account ?? ''}:${resource}`;
}

/** A bound ARN matches exactly, or as a prefix when it ends in `*`. */
function principalMatches(bound: string, canonical: string): boolean {
  return bound.endsWith('*') ? canonical.startsWith(bound.slice(0, -1)) : bound === canonical;
}
