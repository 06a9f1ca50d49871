import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A loopback fake of the IAM Identity Center admin API (SSO-Admin) and the Identity Store API,
 * for the discovery calls moto 5.2.1 does not model faithfully. Behaviour: SPEC.md next to this
 * file, written from the AWS API reference.
 */

/** An Identity Center instance. */
export interface FakeInstance {
  readonly arn: string;
  readonly identityStoreId: string;
  readonly ownerAccountId: string;
}

/** A group in an identity store. */
export interface FakeGroup {
  readonly identityStoreId: string;
  readonly groupId: string;
  readonly displayName: string;
}

/** A permission set of an instance. */
export interface FakePermissionSet {
  readonly instanceArn: string;
  readonly arn: string;
  readonly name: string;
}

/** A principal's assignment of a permission set in an account. */
export interface FakeAssignment {
  readonly instanceArn: string;
  readonly accountId: string;
  readonly permissionSetArn: string;
  readonly principalType: 'GROUP' | 'USER';
  readonly principalId: string;
}

/** Everything the fake knows. */
export interface FakeIdentityCenterState {
  readonly instances: readonly FakeInstance[];
  readonly groups: readonly FakeGroup[];
  readonly permissionSets: readonly FakePermissionSet[];
  readonly assignments: readonly FakeAssignment[];
  /** Provisioned without (any longer) an assignment: AWS keeps provisioning after removal. */
  readonly provisionedOnly?: readonly {
    readonly accountId: string;
    readonly permissionSetArn: string;
  }[];
}

/** How the fake pages. */
export interface FakeOptions {
  /** Items per page when the request's MaxResults is larger or absent (AWS default: up to 100). */
  readonly pageSize?: number;
  /** Answer an empty page (with a NextToken) before every page after the first, as AWS may. */
  readonly emptyPages?: boolean;
}

/** A running fake. */
export interface IdentityCenterFake {
  readonly endpoint: string;
  /** Every request as `Service.Operation` with its JSON body, in arrival order. */
  readonly requests: { readonly target: string; readonly body: Record<string, unknown> }[];
  close(): Promise<void>;
}

class FakeError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Handler = (body: Record<string, unknown>) => Record<string, unknown>;

/** Starts the fake on a free loopback port. */
export async function startIdentityCenterFake(
  state: FakeIdentityCenterState,
  options: FakeOptions = {},
): Promise<IdentityCenterFake> {
  const requests: IdentityCenterFake['requests'] = [];
  const handlers = handlersFor(state, options);
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = parseBody(text);
      requests.push({ target, body });
      answer(response, target, body, handlers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function answer(
  response: ServerResponse,
  target: string,
  body: Record<string, unknown>,
  handlers: Record<string, Handler>,
): void {
  try {
    const handler = handlers[target];
    if (handler === undefined)
      throw new FakeError('UnknownOperationException', `operation ${target} is not supported`);
    send(response, 200, handler(body));
  } catch (error) {
    const failure =
      error instanceof FakeError ? error : new FakeError('InternalServerException', String(error));
    response.setHeader('x-amzn-errortype', failure.type);
    send(response, failure.type === 'InternalServerException' ? 500 : 400, {
      __type: failure.type,
      message: failure.message,
    });
  }
}

function handlersFor(state: FakeIdentityCenterState, options: FakeOptions) {
  const page = (items: readonly unknown[], body: Record<string, unknown>, key: string) =>
    paginate(items, body, key, options);
  const instance = (body: Record<string, unknown>) => {
    const arn = requireString(body, 'InstanceArn');
    if (!state.instances.some((i) => i.arn === arn))
      throw new FakeError('ResourceNotFoundException', `instance ${arn} does not exist`);
    return arn;
  };
  const permissionSet = (body: Record<string, unknown>, instanceArn: string) => {
    const arn = requireString(body, 'PermissionSetArn');
    const found = state.permissionSets.find((p) => p.arn === arn && p.instanceArn === instanceArn);
    if (found === undefined)
      throw new FakeError('ResourceNotFoundException', `permission set ${arn} does not exist`);
    return found;
  };
  return {
    'SWBExternalService.ListInstances': (body) =>
      page(
        state.instances.map((i) => ({
          InstanceArn: i.arn,
          IdentityStoreId: i.identityStoreId,
          OwnerAccountId: i.ownerAccountId,
          Status: 'ACTIVE',
        })),
        body,
        'Instances',
      ),
    'SWBExternalService.ListPermissionSets': (body) => {
      const arn = instance(body);
      const sets = state.permissionSets.filter((p) => p.instanceArn === arn).map((p) => p.arn);
      return page(sets, body, 'PermissionSets');
    },
    'SWBExternalService.DescribePermissionSet': (body) => {
      const set = permissionSet(body, instance(body));
      return {
        PermissionSet: { Name: set.name, PermissionSetArn: set.arn, SessionDuration: 'PT1H' },
      };
    },
    'SWBExternalService.ListAccountsForProvisionedPermissionSet': (body) => {
      const arn = instance(body);
      const set = permissionSet(body, arn).arn;
      const accounts = [
        ...state.assignments.filter((a) => a.instanceArn === arn && a.permissionSetArn === set),
        ...(state.provisionedOnly ?? []).filter((p) => p.permissionSetArn === set),
      ].map((a) => a.accountId);
      return page([...new Set(accounts)].sort(), body, 'AccountIds');
    },
    'SWBExternalService.ListAccountAssignments': (body) => {
      const arn = instance(body);
      const set = permissionSet(body, arn).arn;
      const account = requireString(body, 'AccountId');
      if (!/^\d{12}$/.test(account))
        throw new FakeError('ValidationException', 'AccountId must be 12 digits');
      const held = state.assignments
        .filter((a) => a.instanceArn === arn && a.permissionSetArn === set)
        .filter((a) => a.accountId === account)
        .map((a) => ({
          AccountId: a.accountId,
          PermissionSetArn: a.permissionSetArn,
          PrincipalType: a.principalType,
          PrincipalId: a.principalId,
        }));
      return page(held, body, 'AccountAssignments');
    },
    'AWSIdentityStore.GetGroupId': (body) => getGroupId(state, body),
  } satisfies Record<string, Handler>;
}

function getGroupId(state: FakeIdentityCenterState, body: Record<string, unknown>) {
  const storeId = requireString(body, 'IdentityStoreId');
  const alternate = body.AlternateIdentifier as
    { UniqueAttribute?: { AttributePath?: unknown; AttributeValue?: unknown } } | undefined;
  const unique = alternate?.UniqueAttribute;
  if (unique?.AttributePath !== 'displayName')
    throw new FakeError('ValidationException', 'the only valid attribute path is displayName');
  const group = state.groups.find(
    (g) => g.identityStoreId === storeId && g.displayName === unique.AttributeValue,
  );
  if (group === undefined) throw new FakeError('ResourceNotFoundException', 'GROUP not found.');
  return { GroupId: group.groupId, IdentityStoreId: storeId };
}

function paginate(
  items: readonly unknown[],
  body: Record<string, unknown>,
  key: string,
  options: FakeOptions,
): Record<string, unknown> {
  const size = Math.min(
    typeof body.MaxResults === 'number' ? body.MaxResults : 100,
    options.pageSize ?? 100,
  );
  const token = typeof body.NextToken === 'string' ? decodeToken(body.NextToken) : undefined;
  const offset = token?.offset ?? 0;
  if (options.emptyPages === true && token !== undefined && !token.emptied)
    return { [key]: [], NextToken: encodeToken(offset, true) };
  const end = offset + size;
  return {
    [key]: items.slice(offset, end),
    ...(end < items.length ? { NextToken: encodeToken(end, false) } : {}),
  };
}

function encodeToken(offset: number, emptied: boolean): string {
  return Buffer.from(JSON.stringify({ offset, emptied })).toString('base64url');
}

function decodeToken(token: string): { offset: number; emptied: boolean } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as {
      offset?: unknown;
      emptied?: unknown;
    };
    if (typeof parsed.offset === 'number')
      return { offset: parsed.offset, emptied: parsed.emptied === true };
  } catch {
    // fall through to the validation error
  }
  throw new FakeError('ValidationException', 'the pagination token is invalid');
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '')
    throw new FakeError('ValidationException', `${field} is required`);
  return value;
}

function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}
