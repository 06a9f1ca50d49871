import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiRequest, effectiveMethod } from './api-request.js';
import type { ApiMethod } from './api-request.js';
import { handleAuth } from './auth-routes.js';
import { faultAnswer } from './faults.js';
import { capabilityFor } from './kv-paths.js';
import { handleKvV1 } from './kv1-routes.js';
import { handleKvV2 } from './kv2-routes.js';
import type { Namespace } from './namespaces.js';
import {
  VaultHttpError,
  badRequest,
  sendError,
  sendReply,
  unsupportedOperation,
} from './responses.js';
import type { Reply } from './responses.js';
import type { ServerMode, ServerState } from './server-state.js';
import { handleSys } from './sys-routes.js';

/** Where a request goes, and its kind for `/_dev/stats` (`kv2.data`, `sys.health`, ...). */
interface Target {
  readonly kind: string;
  readonly run: (req: ApiRequest) => Promise<Reply>;
}

const KV2_KINDS: ReadonlySet<string> = new Set([
  'data',
  'metadata',
  'delete',
  'undelete',
  'destroy',
  'config',
]);

/** Paths answered while sealed or standby, as on a real node (sys/health, seal status). */
const ALWAYS_ANSWERED: ReadonlySet<string> = new Set(['sys/health', 'sys/seal-status']);

/** Serves one `/v1/...` request: count it, apply faults, check availability, route, answer. */
export async function handleApi(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const rawPath = decodePath(url.pathname.slice('/v1/'.length));
  const method = effectiveMethod(req.method ?? '', url.searchParams);
  if (rawPath === undefined || method === undefined) {
    state.stats.record(req.method ?? '', 'invalid');
    sendError(res, rawPath === undefined ? badRequest('invalid path') : unsupportedOperation());
    return;
  }
  const resolved = state.namespaces.resolve(namespaceHeader(req), rawPath);
  const target = route(resolved.namespace, resolved.path);
  state.stats.record(method, target.kind);
  if (await applyFault(state, req, res, method, rawPath)) return;
  const gate = availabilityError(state.mode, resolved.path);
  if (gate !== undefined) {
    sendError(res, gate);
    return;
  }
  const patchType = unsupportedPatchType(req, method);
  if (patchType !== undefined) {
    sendError(res, patchType);
    return;
  }
  const { namespace, path } = resolved;
  const request = new ApiRequest(state, req, method, namespace, path, url.searchParams);
  try {
    sendReply(res, await target.run(request));
  } catch (error) {
    sendError(
      res,
      error instanceof VaultHttpError ? error : new VaultHttpError(500, ['internal error']),
    );
  }
}

/** Vault's HTTP layer refuses a PATCH that is not a JSON merge patch, before any routing. */
function unsupportedPatchType(req: IncomingMessage, method: string): VaultHttpError | undefined {
  if (method !== 'PATCH') return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  if (type === 'application/merge-patch+json') return undefined;
  return new VaultHttpError(415, [
    `PATCH requires Content-Type of application/merge-patch+json, provided ${type}`,
  ]);
}

function route(namespace: Namespace, path: string): Target {
  if (path === 'sys' || path.startsWith('sys/')) {
    const sub = path.slice('sys/'.length);
    return { kind: sysKind(sub), run: (req) => handleSys(req, sub) };
  }
  if (path.startsWith('auth/')) {
    const sub = path.slice('auth/'.length);
    const kind = sub.startsWith('token/')
      ? 'auth.token'
      : sub.endsWith('/login')
        ? 'auth.login'
        : 'auth';
    return { kind, run: (req) => handleAuth(req, sub) };
  }
  const found = namespace.findMount(path);
  if (found === undefined) return { kind: 'unmounted', run: (req) => noHandler(req) };
  const { mount, rest } = found;
  if (mount.version === 1) {
    return { kind: 'kv1', run: (req) => handleKvV1(req, mount.path, mount.store, rest) };
  }
  const head = rest.split('/', 1)[0] ?? '';
  return {
    kind: `kv2.${KV2_KINDS.has(head) ? head : 'other'}`,
    run: (req) => handleKvV2(req, mount.path, mount.store, rest),
  };
}

function sysKind(sub: string): string {
  if (sub === 'health') return 'sys.health';
  if (sub.startsWith('internal/ui/mounts')) return 'sys.ui-mounts';
  if (sub.startsWith('mounts')) return 'sys.mounts';
  return 'sys';
}

/** No mount: the ACL refuses non-root tokens first; root learns there is no route. */
function noHandler(req: ApiRequest): Promise<Reply> {
  req.authorize(capabilityFor(req.method));
  const path = `${req.namespace.path}${req.path}`;
  return Promise.reject(
    new VaultHttpError(404, [`no handler for route "${path}". route entry not found.`]),
  );
}

/** Applies the first matching fault; true when it answered (or dropped) the request. */
async function applyFault(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  method: ApiMethod,
  rawPath: string,
): Promise<boolean> {
  const fault = state.faults.take(method, rawPath);
  if (fault === undefined) return false;
  if (fault.spec.delay_ms !== undefined) await state.sleeper.sleep(fault.spec.delay_ms);
  if (fault.spec.reset === true) {
    req.socket.resetAndDestroy();
    return true;
  }
  if (fault.spec.status === undefined) return false;
  const answer = faultAnswer(fault.spec);
  sendError(res, new VaultHttpError(fault.spec.status, answer.errors, answer.headers));
  return true;
}

function availabilityError(mode: ServerMode, path: string): VaultHttpError | undefined {
  if (ALWAYS_ANSWERED.has(path)) return undefined;
  if (mode === 'sealed' || mode === 'uninitialized') {
    return new VaultHttpError(503, ['Vault is sealed']);
  }
  if (mode === 'standby') return new VaultHttpError(503, ['Vault is in standby mode']);
  return undefined;
}

function namespaceHeader(req: IncomingMessage): string {
  const header = req.headers['x-vault-namespace'];
  return (Array.isArray(header) ? header[0] : header) ?? '';
}

function decodePath(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}
