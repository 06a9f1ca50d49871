import type { IncomingMessage } from 'node:http';
import type { Token } from './auth.js';
import type { Namespace } from './namespaces.js';
import type { Capability } from './policy.js';
import { API_BODY_LIMIT, parseJson, readText } from './request-body.js';
import { INVALID_TOKEN, VaultHttpError, permissionDenied } from './responses.js';
import type { ServerState } from './server-state.js';

/** HTTP methods the API understands; LIST also arrives as `GET ?list=true`. */
export type ApiMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'LIST';

const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Go's strconv.ParseBool truths, which Vault uses for `?list=`. */
const TRUE_WORDS: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/** The method Vault sees: LIST for the LIST verb or `GET ?list=true`; undefined if unknown. */
export function effectiveMethod(method: string, query: URLSearchParams): ApiMethod | undefined {
  const upper = method.toUpperCase();
  if (upper === 'LIST') return 'LIST';
  if (!METHODS.has(upper)) return undefined;
  if (upper === 'GET' && TRUE_WORDS.has(query.get('list') ?? '')) return 'LIST';
  return upper as ApiMethod;
}

/** The token a request carries: `X-Vault-Token`, else `Authorization: Bearer <token>`. */
export function requestToken(req: IncomingMessage): string | undefined {
  const header = req.headers['x-vault-token'];
  const direct = Array.isArray(header) ? header[0] : header;
  if (direct !== undefined && direct !== '') return direct;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** One API request after namespace resolution, with its token and ACL checks. */
export class ApiRequest {
  private bodyPromise: Promise<unknown> | undefined;

  constructor(
    readonly state: ServerState,
    private readonly req: IncomingMessage,
    readonly method: ApiMethod,
    readonly namespace: Namespace,
    /** Path inside the namespace, without a leading slash. */
    readonly path: string,
    readonly query: URLSearchParams,
  ) {}

  /** The JSON body (read once; empty = `{}`). */
  body(): Promise<unknown> {
    this.bodyPromise ??= readText(this.req, API_BODY_LIMIT).then(parseJson);
    return this.bodyPromise;
  }

  /** The caller's live token; 403 when missing, unknown or expired. */
  requireToken(): Token {
    const id = requestToken(this.req);
    if (id === undefined) throw new VaultHttpError(403, [INVALID_TOKEN]);
    const token = this.state.tokens.lookup(id);
    if (token === undefined) throw new VaultHttpError(403, [INVALID_TOKEN]);
    return token;
  }

  /**
   * Requires `capability` on `path` (inside this namespace; default: the request's path) and
   * returns the token. Policies apply relative to the token's own namespace, as in Vault.
   */
  authorize(capability: Capability, path: string = this.path): Token {
    const token = this.requireToken();
    const relative = this.relativeTo(token, path);
    if (relative === undefined) throw permissionDenied();
    if (!this.state.policies.allows(token.policies, relative, capability)) {
      throw permissionDenied();
    }
    return token;
  }

  /** `path` as the token's policies see it; undefined when outside the token's namespace. */
  relativeTo(token: Token, path: string): string | undefined {
    const full = `${this.namespace.path}${path}`;
    return full.startsWith(token.namespace) ? full.slice(token.namespace.length) : undefined;
  }
}
