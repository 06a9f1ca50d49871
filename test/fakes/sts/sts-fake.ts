import { randomUUID } from 'node:crypto';
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';

/*
 * An in-memory AWS STS for unit tests (GetCallerIdentity and AssumeRole over the query protocol),
 * so the real client factory, role sessions and call middleware run without a network. Behaviour
 * and sources: SPEC.md next to this file.
 */

/** The caller's account when none is given (moto's default too). */
export const CALLER_ACCOUNT = '123456789012';
/** The access key id the fake's caller credentials carry. */
export const CALLER_KEY = 'AKIAFAKECALLER';

const CREDENTIAL = /Credential=([^/,\s]+)\//;
const ROLE_ACCOUNT = /^arn:aws:iam::(\d{12}):role\/(.+)$/;

/** One call the fake answered. */
export interface StsCall {
  readonly action: string;
  readonly accessKeyId: string | undefined;
  /** RoleArn of an AssumeRole. */
  readonly roleArn: string | undefined;
  readonly outcome: string;
}

/** How to build the fake. */
export interface StsFakeOptions {
  readonly callerAccount?: string;
  /** Told of every session issued, so other fakes can map its key to the role's account. */
  readonly onSession?: (accessKeyId: string, account: string) => void;
  readonly now?: () => Date;
}

/** A fake STS: the handler to give the SDK, its call log, and a switch to refuse roles. */
export interface StsFake {
  readonly handler: RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions>;
  readonly calls: readonly StsCall[];
  /** AssumeRole of this role ARN answers 403 AccessDenied from now on. */
  denyRole(roleArn: string): void;
}

/** Builds a fake STS whose AssumeRole issues a session in the role's account. */
export function createStsFake(options: StsFakeOptions = {}): StsFake {
  const calls: StsCall[] = [];
  const denied = new Set<string>();
  const sessions = new Map<string, string>();
  const caller = options.callerAccount ?? CALLER_ACCOUNT;
  const now = options.now ?? (() => new Date());
  const answer = (request: HttpRequest): HttpResponse => {
    const form = new URLSearchParams(bodyText(request.body));
    const action = form.get('Action') ?? '';
    const accessKeyId = CREDENTIAL.exec(headerOf(request, 'authorization') ?? '')?.[1];
    const roleArn = form.get('RoleArn') ?? undefined;
    const reply = respond(action, accessKeyId, roleArn);
    calls.push({ action, accessKeyId, roleArn, outcome: reply.outcome });
    return reply.response;
  };
  const respond = (action: string, key: string | undefined, roleArn: string | undefined) => {
    const account = sessions.get(key ?? '') ?? caller;
    if (action === 'GetCallerIdentity')
      return ok(
        action,
        `<Arn>arn:aws:iam::${account}:user/fake</Arn><UserId>AIDAFAKE</UserId><Account>${account}</Account>`,
      );
    if (action !== 'AssumeRole') return fail(400, 'InvalidAction', `${action} is not modelled`);
    const target = ROLE_ACCOUNT.exec(roleArn ?? '');
    if (target === null) return fail(400, 'ValidationError', `invalid RoleArn "${roleArn ?? ''}"`);
    if (denied.has(roleArn ?? ''))
      return fail(
        403,
        'AccessDenied',
        `User ${account} is not authorized to perform: sts:AssumeRole on resource: ${roleArn ?? ''}`,
      );
    const [, roleAccount = '', roleName = ''] = target;
    const issued = `ASIA${roleAccount}${String(sessions.size).padStart(4, '0')}`;
    sessions.set(issued, roleAccount);
    options.onSession?.(issued, roleAccount);
    const expiration = new Date(now().getTime() + 3600_000).toISOString();
    return ok(
      action,
      `<Credentials><AccessKeyId>${issued}</AccessKeyId><SecretAccessKey>fake</SecretAccessKey><SessionToken>fake-token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${roleAccount}:assumed-role/${roleName}/secretsync</Arn><AssumedRoleId>AROAFAKE:secretsync</AssumedRoleId></AssumedRoleUser>`,
    );
  };
  return {
    handler: {
      handle: (request) => Promise.resolve({ response: answer(request) }),
    },
    calls,
    denyRole: (roleArn) => {
      denied.add(roleArn);
    },
  };
}

function ok(action: string, result: string): { response: HttpResponse; outcome: string } {
  return {
    outcome: 'ok',
    response: xml(
      200,
      `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
    ),
  };
}

function fail(status: number, code: string, message: string) {
  return {
    outcome: code,
    response: xml(
      status,
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    ),
  };
}

function xml(statusCode: number, body: string): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() },
    body: Buffer.from(body, 'utf8'),
  };
}

function headerOf(request: HttpRequest, name: string): string | undefined {
  return Object.entries(request.headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  return body instanceof Uint8Array ? new TextDecoder().decode(body) : '';
}
