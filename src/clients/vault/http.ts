import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { z } from 'zod';
import type { Operation } from '../../context/operation.js';
import { plainHttpRefusal, sendsTokenInClear } from '../../core/vault-address.js';
import type { CallExternal } from '../../resilience/call-wrapper.js';
import { parseRetryAfter } from '../../resilience/classify.js';
import { VaultConfigError } from './vault-config-error.js';
import { vaultFailureHint } from './vault-failure-hint.js';
import { VaultResponseError, VaultShapeError } from './vault-error.js';

/** How to reach one Vault server. */
export interface VaultConnection {
  readonly address: string;
  readonly namespace?: string | undefined;
  /** Path of a PEM file with extra CAs to trust (also VAULT_CACERT). */
  readonly caCert?: string | undefined;
  readonly tlsServerName?: string | undefined;
  /** Allow plain http:// to a non-loopback address (never the default). */
  readonly allowInsecureHttp?: boolean | undefined;
}

/** One Vault API call. `path` is below `/v1/`. */
export interface VaultRequest<T> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'LIST';
  readonly path: string;
  /** Send as a LIST (`GET ?list=true`, which every Vault and proxy understands). */
  readonly list?: boolean;
  /** Query parameters, e.g. `{version: '3'}` for one version of a KV v2 secret. */
  readonly query?: Readonly<Record<string, string>>;
  readonly operation: Operation;
  readonly body?: unknown;
  readonly token?: string | undefined;
  /** Schema of the whole JSON response; undefined for calls answered with 204. */
  readonly schema?: z.ZodType<T>;
  /** When true, 404 resolves to undefined: absent data, not a failure. */
  readonly notFoundIsAbsent?: boolean;
  /** Hint added to a 403, e.g. the capability and path the policy must grant. */
  readonly deniedHint?: string;
  /**
   * Error texts that mean "refused", whatever the status: Vault 1.14 and OpenBao answer an
   * AppRole login with a wrong secret_id with 500 `invalid secret id`, which must fail at once
   * as invalid_request instead of being retried as an outage.
   */
  readonly refusal?: RegExp;
  /** Error texts that mean a conditional write lost (KV v2 `cas`): outcome `conflict`. */
  readonly conflict?: RegExp;
}

/** The one choke point for Vault HTTP: every call goes through here and the call wrapper. */
export interface VaultHttp {
  readonly address: string;
  request<T>(request: VaultRequest<T>): Promise<T | undefined>;
  close(): void;
}

const errorBody = z.object({ errors: z.array(z.string()).optional() });

/** Creates the HTTP client for one Vault address with keep-alive connection pooling. */
export function createVaultHttp(connection: VaultConnection, call: CallExternal): VaultHttp {
  const base = parseAddress(connection);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({
        keepAlive: true,
        maxSockets: 64,
        ca: trustedCas(connection.caCert),
        servername: connection.tlsServerName,
      })
    : new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const dependency = `vault:${base.origin}`;
  return {
    address: base.origin,
    close: () => {
      agent.destroy();
    },
    request: <T>(req: VaultRequest<T>) =>
      call(
        {
          dependency,
          labels: { kind: 'vault' },
          operation: req.operation,
          path: req.path,
          hintFor: (outcome, cause) =>
            vaultFailureHint(base.origin, outcome, cause, req.deniedHint),
        },
        (signal) => send(req, { base, secure, agent, namespace: connection.namespace, signal }),
      ),
  };
}

interface Transport {
  readonly base: URL;
  readonly secure: boolean;
  readonly agent: HttpAgent;
  readonly namespace: string | undefined;
  readonly signal: AbortSignal;
}

async function send<T>(req: VaultRequest<T>, transport: Transport): Promise<T | undefined> {
  const { status, headers, text } = await exchange(req, transport);
  if (status === 404 && req.notFoundIsAbsent === true) return undefined;
  if (status < 200 || status >= 300) {
    const parsed = errorBody.safeParse(safeJson(text));
    const errors = parsed.success ? (parsed.data.errors ?? []) : [];
    const matches = (pattern: RegExp | undefined): boolean =>
      pattern !== undefined && errors.some((error) => pattern.test(error));
    throw new VaultResponseError(
      status,
      errors,
      parseRetryAfter(headerOf(headers['retry-after']), Date.now()),
      matches(req.conflict) ? 'conflict' : matches(req.refusal) ? 'invalid_request' : undefined,
    );
  }
  if (req.schema === undefined || status === 204) return undefined;
  const result = req.schema.safeParse(safeJson(text));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new VaultShapeError(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

function exchange(
  req: VaultRequest<unknown>,
  transport: Transport,
): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
  const url = new URL(`v1/${encodePath(req.path.replace(/^\/+/, ''))}`, transport.base);
  const query = new URLSearchParams(req.query);
  if (req.list === true) query.set('list', 'true');
  url.search = query.toString();
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.token !== undefined) headers['x-vault-token'] = req.token;
  if (transport.namespace !== undefined) headers['x-vault-namespace'] = transport.namespace;
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const send = transport.secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      url,
      { method: req.method, headers, agent: transport.agent, signal: transport.signal },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/**
 * Percent-encodes each segment of a Vault API path. Key names come from Vault's own LIST answers;
 * a `?`, `#` or `%` in one must stay part of the path, never become a query, a fragment or an
 * escape that addresses a different secret.
 */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function parseAddress(connection: VaultConnection): URL {
  let url: URL;
  try {
    url = new URL(connection.address.endsWith('/') ? connection.address : `${connection.address}/`);
  } catch {
    throw new VaultConfigError(
      `vault.address "${connection.address}" is not a URL: expected https://host:8200`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new VaultConfigError(
      `vault.address "${connection.address}" must use https:// (or http:// on loopback)`,
    );
  }
  if (sendsTokenInClear(url) && connection.allowInsecureHttp !== true)
    throw new VaultConfigError(`vault.address ${plainHttpRefusal(connection.address)}`);
  return url;
}

function trustedCas(caCertPath: string | undefined): string[] | undefined {
  if (caCertPath === undefined) return undefined;
  try {
    return [...rootCertificates, readFileSync(caCertPath, 'utf8')];
  } catch (error) {
    throw new VaultConfigError(
      `vault.ca_cert "${caCertPath}" cannot be read: ${(error as Error).message}`,
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
