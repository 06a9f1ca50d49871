import { z } from 'zod';
import type { ApiRequest } from './api-request.js';
import { healthReply, sealStatusReply } from './health-routes.js';
import { capabilityFor, folderOf, listReply } from './kv-paths.js';
import { normalizeMountPath } from './namespaces.js';
import type { KvMount, Namespace } from './namespaces.js';
import { parseWith } from './request-body.js';
import {
  NO_CONTENT,
  VaultHttpError,
  badRequest,
  envelope,
  notFound,
  replyEnvelope,
  unsupportedOperation,
  unsupportedPath,
} from './responses.js';
import type { JsonRecord, Reply } from './responses.js';

/** Mounts every Vault namespace has; listed by `sys/mounts`, never KV. */
const BUILTIN_MOUNTS: readonly { path: string; type: string; description: string }[] = [
  { path: 'cubbyhole/', type: 'cubbyhole', description: 'per-token private secret storage' },
  { path: 'identity/', type: 'identity', description: 'identity store' },
  {
    path: 'sys/',
    type: 'system',
    description: 'system endpoints used for control, policy and debugging',
  },
];

const enableBody = z.looseObject({
  type: z.string().min(1),
  // Clients such as hvac send every parameter, unset ones as null; Vault ignores those.
  description: z.string().nullish(),
  options: z.looseObject({ version: z.union([z.string(), z.number()]).nullish() }).nullish(),
});

/** Routes `sys/...` (the path after `sys/`). */
export async function handleSys(req: ApiRequest, sub: string): Promise<Reply> {
  if (sub === 'health') return healthReply(req.state, req.method, req.query);
  if (sub === 'seal-status' && req.method === 'GET') return sealStatusReply(req.state);
  if (sub === 'internal/ui/mounts' || sub.startsWith('internal/ui/mounts/')) {
    return uiMounts(req, sub.slice('internal/ui/mounts'.length).replace(/^\/+/, ''));
  }
  if (sub === 'mounts' || sub.startsWith('mounts/')) {
    return mounts(req, sub.slice('mounts'.length).replace(/^\/+/, ''));
  }
  if (sub === 'namespaces' || sub.startsWith('namespaces/')) {
    return namespaces(req, sub.slice('namespaces'.length).replace(/^\/+/, ''));
  }
  req.authorize(capabilityFor(req.method), `sys/${sub}`);
  throw unsupportedPath();
}

/** How `sys/mounts` and `sys/internal/ui/mounts` describe a KV mount. */
export function describeMount(mount: KvMount): JsonRecord {
  return {
    accessor: mount.accessor,
    config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
    description: mount.description,
    external_entropy_access: false,
    local: false,
    options: { version: String(mount.version) },
    path: mount.path,
    plugin_version: '',
    running_plugin_version: 'v0.15.0+builtin',
    running_sha256: '',
    seal_wrap: false,
    type: 'kv',
    uuid: mount.uuid,
  };
}

/**
 * `sys/internal/ui/mounts/<path>`: the mount containing the path, if the token may use any part
 * of it. No mount and no permission look the same to the caller: 403 with the preflight text
 * (a missing or unknown token gets plain `permission denied` first).
 */
function uiMounts(req: ApiRequest, path: string): Reply {
  if (req.method !== 'GET') throw unsupportedOperation();
  // A missing or unknown token is refused before the preflight check (Vault 1.14).
  req.requireToken();
  if (path === '') {
    const visible: Record<string, JsonRecord> = {};
    for (const mount of sortedMounts(req.namespace)) {
      if (mayDiscover(req, mount)) visible[mount.path] = describeMount(mount);
    }
    return replyEnvelope({ data: { secret: visible, auth: {} } });
  }
  const found = req.namespace.findMount(path);
  if (found === undefined || !mayDiscover(req, found.mount)) {
    throw new VaultHttpError(403, [
      `preflight capability check returned 403, please ensure client's policies grant access to path "${folderOf(path)}"`,
    ]);
  }
  return replyEnvelope({ data: describeMount(found.mount) });
}

function mayDiscover(req: ApiRequest, mount: KvMount): boolean {
  try {
    const token = req.requireToken();
    const relative = req.relativeTo(token, mount.path);
    return relative !== undefined && req.state.policies.grantsAnyUnder(token.policies, relative);
  } catch {
    return false;
  }
}

async function mounts(req: ApiRequest, path: string): Promise<Reply> {
  req.authorize(capabilityFor(req.method), path === '' ? 'sys/mounts' : `sys/mounts/${path}`);
  const mountPath = normalizeMountPath(path);
  if (mountPath === '') {
    if (req.method !== 'GET') throw unsupportedOperation();
    const data: Record<string, JsonRecord> = {};
    for (const { path: at, ...builtin } of BUILTIN_MOUNTS) data[at] = { ...builtin, local: false };
    for (const mount of sortedMounts(req.namespace)) data[mount.path] = withoutPath(mount);
    return withTopLevelCopy(data);
  }
  const namespace = req.state.namespaces.ensure(req.namespace.path);
  switch (req.method) {
    case 'GET': {
      const mount = namespace.mounts.get(mountPath);
      if (mount === undefined) throw badRequest(`No secret engine mount at ${mountPath}`);
      return withTopLevelCopy(withoutPath(mount));
    }
    case 'POST':
    case 'PUT':
      enableMount(req, namespace, mountPath, parseWith(enableBody, await req.body()));
      return NO_CONTENT;
    case 'DELETE':
      namespace.mounts.delete(mountPath);
      return NO_CONTENT;
    case 'HEAD':
    case 'LIST':
    case 'PATCH':
      throw unsupportedOperation();
  }
}

/** A mount as `sys/mounts` shows it: keyed by its path, so without a `path` field. */
function withoutPath(mount: KvMount): JsonRecord {
  const described = describeMount(mount);
  delete described.path;
  return described;
}

/** `sys/mounts` answers as Vault does: the data in the envelope and again at the top level. */
function withTopLevelCopy(data: JsonRecord): Reply {
  return { kind: 'json', status: 200, body: { ...data, ...envelope({ data }) } };
}

function enableMount(
  req: ApiRequest,
  namespace: Namespace,
  mountPath: string,
  body: z.infer<typeof enableBody>,
): void {
  const version = kvVersion(body.type, body.options?.version ?? undefined);
  const clash = namespace.clash(mountPath);
  if (clash !== undefined) throw badRequest(`path is already in use at ${clash}`);
  namespace.mount(mountPath, version, req.state.clock, body.description ?? '');
}

/** `kv` (version from options, default 1), `kv-v2`, or the legacy `generic`. */
export function kvVersion(type: string, version: string | number | undefined): 1 | 2 {
  if (type === 'kv-v2') return 2;
  if (type !== 'kv' && type !== 'generic') {
    throw badRequest(`plugin not found in the catalog: ${type}`);
  }
  const text = String(version ?? '1');
  if (text !== '1' && text !== '2') throw badRequest(`invalid KV version "${text}"`);
  return text === '2' ? 2 : 1;
}

async function namespaces(req: ApiRequest, name: string): Promise<Reply> {
  req.authorize(
    capabilityFor(req.method),
    name === '' ? 'sys/namespaces/' : `sys/namespaces/${name}`,
  );
  const tree = req.state.namespaces;
  if (req.method === 'LIST') return listReply(tree.children(req.namespace.path));
  const fullPath = normalizeMountPath(`${req.namespace.path}${name}`);
  if (name === '') throw unsupportedPath();
  switch (req.method) {
    case 'GET': {
      const found = tree.get(fullPath);
      if (found === undefined) throw notFound();
      return replyEnvelope({ data: { id: found.id, path: fullPath, custom_metadata: {} } });
    }
    case 'POST':
    case 'PUT': {
      await req.body();
      const created = tree.ensure(fullPath);
      return replyEnvelope({ data: { id: created.id, path: fullPath, custom_metadata: {} } });
    }
    case 'DELETE':
    case 'HEAD':
    case 'PATCH':
      throw unsupportedOperation();
  }
}

function sortedMounts(namespace: Namespace): KvMount[] {
  return [...namespace.mounts.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}
