import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { requestToken } from './api-request.js';
import type { AuthMount } from './auth.js';
import {
  appRoleRequest,
  awsConfigRequest,
  awsRoleRequest,
  clockRequest,
  kubernetesRoleRequest,
  mountRequest,
  namespaceRequest,
  policyRequest,
  secretsRequest,
  stateRequest,
  tokenRequest,
} from './control-schemas.js';
import { faultSpecSchema } from './faults.js';
import { requireKey } from './kv-paths.js';
import { normalizeMountPath } from './namespaces.js';
import type { Namespace } from './namespaces.js';
import { parseJson, parseWith, readText } from './request-body.js';
import {
  NO_CONTENT,
  VaultHttpError,
  badRequest,
  notFound,
  permissionDenied,
  sendError,
  sendReply,
} from './responses.js';
import type { Reply } from './responses.js';
import type { ServerState } from './server-state.js';

/** Bulk seeding sends tens of thousands of secrets in one body. */
const CONTROL_BODY_LIMIT = 256 * 1024 * 1024;

type ControlHandler = (state: ServerState, body: unknown, id: string) => Reply;

/** Plain JSON (no Vault envelope): the control surface is ours, not Vault's. */
function json(body: unknown, status = 200): Reply {
  return { kind: 'json', status, body };
}

const ROUTES: Readonly<Record<string, ControlHandler>> = {
  'POST mounts': (state, body) => createMount(state, parseWith(mountRequest, body)),
  'POST secrets': (state, body) => json({ written: seed(state, parseWith(secretsRequest, body)) }),
  'POST policies': (state, body) => {
    const { name, rules } = parseWith(policyRequest, body);
    state.policies.set(name, rules);
    return NO_CONTENT;
  },
  'POST tokens': (state, body) => json(createToken(state, parseWith(tokenRequest, body))),
  'POST approle/roles': (state, body) => defineAppRole(state, parseWith(appRoleRequest, body)),
  'POST kubernetes/roles': (state, body) =>
    defineKubernetesRole(state, parseWith(kubernetesRoleRequest, body)),
  'POST aws/config': (state, body) => {
    const config = parseWith(awsConfigRequest, body);
    const mount = authMount(state.namespaces.ensure(config.namespace), config.mount, 'aws');
    mount.client = {
      stsEndpoint: config.sts_endpoint,
      iamServerIdHeaderValue: config.iam_server_id_header_value,
    };
    return NO_CONTENT;
  },
  'POST aws/roles': (state, body) => {
    const role = parseWith(awsRoleRequest, body);
    const mount = authMount(state.namespaces.ensure(role.namespace), role.mount, 'aws');
    mount.roles.set(role.role, {
      role: role.role,
      roleId: randomUUID(),
      boundIamPrincipalArns: role.bound_iam_principal_arn,
      policies: role.policies,
      ttl: role.ttl,
      maxTtl: role.max_ttl,
    });
    return NO_CONTENT;
  },
  'POST namespaces': (state, body) => {
    state.namespaces.ensure(parseWith(namespaceRequest, body).path);
    return NO_CONTENT;
  },
  'GET state': (state) => json({ state: state.mode }),
  'POST state': (state, body) => {
    state.mode = parseWith(stateRequest, body).state;
    return NO_CONTENT;
  },
  'GET faults': (state) => json({ faults: state.faults.list() }),
  'POST faults': (state, body) => json({ id: addFault(state, body) }),
  'DELETE faults': (state) => {
    state.faults.clear();
    return NO_CONTENT;
  },
  'DELETE faults/:id': (state, _body, id) => {
    if (!state.faults.remove(Number(id))) throw notFound();
    return NO_CONTENT;
  },
  'GET stats': (state) => json(state.stats.snapshot()),
  'DELETE stats': (state) => {
    state.stats.reset();
    return NO_CONTENT;
  },
  'GET clock': (state) => json({ now_ms: state.clock.now() }),
  'POST clock': (state, body) => {
    state.clock.advance(parseWith(clockRequest, body).advance_ms);
    return json({ now_ms: state.clock.now() });
  },
  'POST reset': (state) => {
    state.reset();
    return NO_CONTENT;
  },
};

/** Serves `/_dev/...`: root token only, JSON in and out, never faulted or sealed. */
export async function handleControl(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  try {
    if (requestToken(req) !== state.rootToken) throw permissionDenied();
    const path = url.pathname.slice('/_dev/'.length).replace(/\/+$/, '');
    const idMatch = /^faults\/(\d+)$/.exec(path);
    const key = `${req.method ?? ''} ${idMatch === null ? path : 'faults/:id'}`;
    const handler = ROUTES[key];
    if (handler === undefined) throw new VaultHttpError(404, [`no control route "${key}"`]);
    const body = parseJson(await readText(req, CONTROL_BODY_LIMIT));
    sendReply(res, handler(state, body, idMatch?.[1] ?? ''));
  } catch (error) {
    sendError(res, error instanceof VaultHttpError ? error : badRequest(String(error)));
  }
}

function createMount(state: ServerState, body: z.infer<typeof mountRequest>): Reply {
  const namespace = state.namespaces.ensure(body.namespace);
  const clash = namespace.clash(body.path);
  if (clash !== undefined) throw badRequest(`path is already in use at ${clash}`);
  const mount = namespace.mount(body.path, body.version, state.clock, body.description);
  if (mount.version === 2) {
    mount.store.config.maxVersions = body.max_versions ?? 0;
    mount.store.config.casRequired = body.cas_required ?? false;
  }
  return NO_CONTENT;
}

/** Writes every secret straight into the store (one new version each on KV v2). */
function seed(state: ServerState, body: z.infer<typeof secretsRequest>): number {
  const namespace = state.namespaces.get(body.namespace);
  const mount = namespace?.mounts.get(normalizeMountPath(body.mount));
  if (mount === undefined) {
    throw badRequest(`no mount "${body.mount}" in namespace "${body.namespace}"`);
  }
  const entries = Object.entries(body.secrets);
  for (const [rawPath, data] of entries) {
    const key = requireKey(rawPath.replace(/^\/+/, ''));
    if (mount.version === 1) mount.store.write(key, data);
    // cas = the current version always matches, so seeding works on cas_required mounts too.
    else mount.store.write(key, data, mount.store.key(key)?.currentVersion ?? 0);
  }
  return entries.length;
}

function createToken(state: ServerState, body: z.infer<typeof tokenRequest>) {
  const token = state.tokens.create({
    id: body.id,
    policies: body.policies,
    ttl: body.ttl,
    maxTtl: body.max_ttl,
    renewable: body.renewable,
    namespace: state.namespaces.ensure(body.namespace).path,
    displayName: body.display_name,
    meta: body.meta,
  });
  return {
    client_token: token.id,
    accessor: token.accessor,
    policies: token.policies,
    lease_duration: token.creationTtl,
    renewable: token.renewable,
  };
}

function defineAppRole(state: ServerState, body: z.infer<typeof appRoleRequest>): Reply {
  const mount = authMount(state.namespaces.ensure(body.namespace), body.mount, 'approle');
  mount.roles.set(body.role_name, {
    roleName: body.role_name,
    roleId: body.role_id,
    secretIds: new Set(typeof body.secret_id === 'string' ? [body.secret_id] : body.secret_id),
    policies: body.policies,
    ttl: body.ttl,
    maxTtl: body.max_ttl,
  });
  return NO_CONTENT;
}

function defineKubernetesRole(
  state: ServerState,
  body: z.infer<typeof kubernetesRoleRequest>,
): Reply {
  const mount = authMount(state.namespaces.ensure(body.namespace), body.mount, 'kubernetes');
  mount.roles.set(body.role, {
    role: body.role,
    jwts: new Set(typeof body.jwt === 'string' ? [body.jwt] : body.jwt),
    policies: body.policies,
    ttl: body.ttl,
    maxTtl: body.max_ttl,
    serviceAccountName: body.service_account_name,
    serviceAccountNamespace: body.service_account_namespace,
    serviceAccountUid: randomUUID(),
  });
  return NO_CONTENT;
}

/** The auth mount at `path`, enabled on first use; a mount of another type is an error. */
function authMount<T extends AuthMount['type']>(
  namespace: Namespace,
  path: string,
  type: T,
): Extract<AuthMount, { type: T }> {
  const mountPath = normalizeMountPath(path);
  const existing = namespace.authMounts.get(mountPath);
  if (existing === undefined) {
    const created = {
      type,
      accessor: `auth_${type}_${randomUUID().slice(0, 8)}`,
      roles: new Map(),
      // Vault's defaults for an aws mount's config/client.
      ...(type === 'aws'
        ? {
            client: { stsEndpoint: 'https://sts.amazonaws.com', iamServerIdHeaderValue: undefined },
          }
        : {}),
    };
    namespace.authMounts.set(mountPath, created as AuthMount);
    return created as Extract<AuthMount, { type: T }>;
  }
  if (existing.type !== type) {
    throw badRequest(`auth mount "${mountPath}" is ${existing.type}, not ${type}`);
  }
  return existing as Extract<AuthMount, { type: T }>;
}

function addFault(state: ServerState, body: unknown): number {
  const spec = parseWith(faultSpecSchema, body);
  try {
    return state.faults.add(spec).id;
  } catch (error) {
    throw badRequest(`invalid path regex: ${(error as Error).message}`);
  }
}
