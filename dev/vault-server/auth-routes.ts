import { z } from 'zod';
import type { ApiRequest } from './api-request.js';
import { authBlock, findAppRole, lookupData } from './auth.js';
import { loginAwsIam } from './aws-auth.js';
import type { AuthMount, Token } from './auth.js';
import { parseDurationSeconds } from './clock.js';
import { capabilityFor } from './kv-paths.js';
import { normalizeMountPath } from './namespaces.js';
import { optionalParam, parseWith } from './request-body.js';
import {
  NO_CONTENT,
  VaultHttpError,
  badRequest,
  permissionDenied,
  replyEnvelope,
  unsupportedOperation,
  unsupportedPath,
} from './responses.js';
import type { Reply } from './responses.js';

const duration = z.union([z.string(), z.number()]).transform((value, context) => {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) context.addIssue({ code: 'custom', message: 'invalid duration' });
  return seconds ?? 0;
});

const renewBody = z.looseObject({ increment: optionalParam(duration) });

const createBody = z.looseObject({
  id: optionalParam(z.string().min(1)),
  policies: optionalParam(z.array(z.string())),
  ttl: optionalParam(duration),
  explicit_max_ttl: optionalParam(duration),
  renewable: optionalParam(z.boolean()),
  display_name: optionalParam(z.string()),
  meta: optionalParam(z.record(z.string(), z.string())),
  no_default_policy: optionalParam(z.boolean()),
});

const appRoleBody = z.looseObject({
  role_id: optionalParam(z.string()),
  secret_id: optionalParam(z.string()),
});
const kubernetesBody = z.looseObject({
  role: optionalParam(z.string()),
  jwt: optionalParam(z.string()),
});

/** Routes `auth/...` (the path after `auth/`). */
export async function handleAuth(req: ApiRequest, sub: string): Promise<Reply> {
  const writes = req.method === 'POST' || req.method === 'PUT';
  switch (sub) {
    case 'token/lookup-self':
      if (req.method !== 'GET' && !writes) throw unsupportedOperation();
      selfService(req, 'read', sub);
      return lookupSelf(req);
    case 'token/renew-self':
      if (!writes) throw unsupportedOperation();
      selfService(req, 'update', sub);
      return renewSelf(req);
    case 'token/revoke-self':
      if (!writes) throw unsupportedOperation();
      req.state.tokens.revoke(selfService(req, 'update', sub).id);
      return NO_CONTENT;
    case 'token/create':
      req.authorize(capabilityFor(req.method), 'auth/token/create');
      if (!writes) throw unsupportedOperation();
      return createToken(req);
    default:
      break;
  }
  if (sub.endsWith('/login') && writes) {
    const mountPath = normalizeMountPath(sub.slice(0, -'/login'.length));
    const mount = req.namespace.authMounts.get(mountPath);
    if (mount !== undefined) return login(req, mount, mountPath);
  }
  req.authorize(capabilityFor(req.method), `auth/${sub}`);
  throw unsupportedPath();
}

/**
 * Looking up, renewing and revoking itself is granted by Vault's `default` policy: a token
 * created without it (`no_default_policy`) needs another policy that grants the path, else 403.
 */
function selfService(req: ApiRequest, capability: 'read' | 'update', sub: string): Token {
  const token = req.requireToken();
  if (token.policies.includes('default') || token.policies.includes('root')) return token;
  return req.authorize(capability, `auth/${sub}`);
}

/** `auth/token/lookup-self`; see `selfService` for who may call it. */
function lookupSelf(req: ApiRequest): Reply {
  const token = req.requireToken();
  return replyEnvelope({ data: lookupData(token, req.state.tokens.remaining(token)) });
}

async function renewSelf(req: ApiRequest): Promise<Reply> {
  const token = req.requireToken();
  const body = parseWith(renewBody, await req.body());
  const renewal = req.state.tokens.renew(token, body.increment);
  // Vault 1.14: a token that never expires has no lease at all.
  if (token.expireMs === 0) throw badRequest('invalid lease ID');
  if (renewal === undefined) throw badRequest('lease is not renewable');
  return replyEnvelope({
    auth: authBlock(token, renewal.ttl),
    warnings: renewal.warnings.length === 0 ? null : renewal.warnings,
  });
}

async function createToken(req: ApiRequest): Promise<Reply> {
  const parent = req.requireToken();
  const body = parseWith(createBody, await req.body());
  if (body.id?.startsWith('hvs.') === true)
    throw badRequest("custom token ID cannot have the 'hvs.' prefix");
  if (body.id?.includes('.') === true)
    throw badRequest("custom token ID cannot have a '.' in the value");
  const policies = body.policies ?? parent.policies.filter((name) => name !== 'default');
  if (!parent.policies.includes('root') && !isSubset(policies, parent.policies)) {
    throw badRequest('child policies must be subset of parent');
  }
  const token = req.state.tokens.create({
    id: body.id,
    policies,
    ttl: body.ttl,
    maxTtl: body.explicit_max_ttl,
    renewable: body.renewable,
    namespace: req.namespace.path,
    displayName: body.display_name === undefined ? 'token' : `token-${body.display_name}`,
    meta: body.meta,
    noDefaultPolicy: body.no_default_policy,
  });
  return replyEnvelope({ auth: authBlock(token, token.creationTtl) });
}

async function login(req: ApiRequest, mount: AuthMount, mountPath: string): Promise<Reply> {
  const path = `auth/${mountPath}login`;
  const token =
    mount.type === 'approle'
      ? loginAppRole(req, mount, parseWith(appRoleBody, await req.body()), path)
      : mount.type === 'aws'
        ? await loginAwsIam(req, mount, path)
        : loginKubernetes(req, mount, parseWith(kubernetesBody, await req.body()), path);
  return replyEnvelope({ auth: authBlock(token, token.creationTtl) });
}

function loginAppRole(
  req: ApiRequest,
  mount: Extract<AuthMount, { type: 'approle' }>,
  body: z.infer<typeof appRoleBody>,
  path: string,
): Token {
  // Vault 1.14's own answers, 500s included: the alias lookahead fails before the role check.
  if (body.role_id === undefined || body.role_id === '')
    throw new VaultHttpError(500, ['failed to determine alias name from login request']);
  const role = findAppRole(mount, body.role_id);
  if (role === undefined) throw badRequest('invalid role ID');
  if (body.secret_id === undefined || body.secret_id === '') throw badRequest('missing secret_id');
  if (!role.secretIds.has(body.secret_id)) throw new VaultHttpError(500, ['invalid secret id']);
  return req.state.tokens.create({
    policies: role.policies,
    ttl: role.ttl,
    maxTtl: role.maxTtl,
    namespace: req.namespace.path,
    displayName: 'approle',
    meta: { role_name: role.roleName },
    path,
  });
}

function loginKubernetes(
  req: ApiRequest,
  mount: Extract<AuthMount, { type: 'kubernetes' }>,
  body: z.infer<typeof kubernetesBody>,
  path: string,
): Token {
  if (body.role === undefined || body.role === '') throw badRequest('missing role');
  if (body.jwt === undefined || body.jwt === '') throw badRequest('missing jwt');
  const role = mount.roles.get(body.role);
  if (role === undefined) throw badRequest(`invalid role name "${body.role}"`);
  // The real plugin validates the JWT with the cluster's TokenReview; here it is a fixed list.
  if (!role.jwts.has(body.jwt)) throw permissionDenied();
  return req.state.tokens.create({
    policies: role.policies,
    ttl: role.ttl,
    maxTtl: role.maxTtl,
    namespace: req.namespace.path,
    displayName: `kubernetes-${role.serviceAccountNamespace}-${role.serviceAccountName}`,
    meta: {
      role: role.role,
      service_account_name: role.serviceAccountName,
      service_account_namespace: role.serviceAccountNamespace,
      service_account_secret_name: '',
      service_account_uid: role.serviceAccountUid,
    },
    path,
  });
}

function isSubset(wanted: readonly string[], held: readonly string[]): boolean {
  return wanted.every((name) => name === 'default' || held.includes(name));
}
