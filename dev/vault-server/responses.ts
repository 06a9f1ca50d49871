import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** A JSON object as stored and returned by the server (a secret, a metadata map). */
export type JsonRecord = Record<string, unknown>;

/** Vault's go-multierror text: `1 error occurred:\n\t* permission denied\n\n`. */
export function multierror(...messages: readonly string[]): string {
  const count = messages.length;
  const lines = messages.map((message) => `\t* ${message}`).join('\n');
  return `${count} error${count === 1 ? '' : 's'} occurred:\n${lines}\n\n`;
}

/** The 403 text Vault gives when a policy does not grant the capability. */
export const PERMISSION_DENIED = multierror('permission denied');
/** The 403 text a real Vault 1.14 gives for a missing, unknown, revoked or expired token. */
export const INVALID_TOKEN = 'permission denied';

/** An error answer: status, the `errors` array and optional extra headers. */
export class VaultHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly string[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(errors[0] ?? `HTTP ${status}`);
    this.name = 'VaultHttpError';
  }
}

/** 400 with one message, the status Vault uses for invalid input. */
export function badRequest(message: string): VaultHttpError {
  return new VaultHttpError(400, [message]);
}

/** 403 permission denied in Vault's multierror form. */
export function permissionDenied(): VaultHttpError {
  return new VaultHttpError(403, [PERMISSION_DENIED]);
}

/** 404 with an empty `errors` array: Vault's answer for "nothing here". */
export function notFound(): VaultHttpError {
  return new VaultHttpError(404, []);
}

/** 404 for a path no backend route matches (inside a mount). */
export function unsupportedPath(): VaultHttpError {
  return new VaultHttpError(404, [multierror('unsupported path')]);
}

/** 405 for a method the path does not support. */
export function unsupportedOperation(): VaultHttpError {
  return new VaultHttpError(405, [multierror('unsupported operation')]);
}

/** What a route handler answers: JSON with a status, or 204. */
export type Reply =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'empty'; readonly status?: number };

/** 204 No Content: writes and deletes that return nothing. */
export const NO_CONTENT: Reply = { kind: 'empty' };

/** Fields of the envelope a handler may set; everything else keeps Vault's defaults. */
export interface EnvelopeParts {
  readonly data?: unknown;
  readonly auth?: unknown;
  readonly warnings?: readonly string[] | null;
}

/** The standard response envelope every logical Vault endpoint answers with. */
export function envelope(parts: EnvelopeParts): JsonRecord {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data: parts.data ?? null,
    wrap_info: null,
    warnings: parts.warnings ?? null,
    auth: parts.auth ?? null,
  };
}

/** A 200 (or other status) JSON reply in the standard envelope. */
export function replyEnvelope(parts: EnvelopeParts, status = 200): Reply {
  return { kind: 'json', status, body: envelope(parts) };
}

/** Writes a JSON body; a destroyed socket (fault reset, server closing) is skipped quietly. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Writes a bodiless answer (204, or a HEAD). */
export function sendEmpty(res: ServerResponse, status = 204): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'cache-control': 'no-store' });
  res.end();
}

/** Writes a handler's reply. */
export function sendReply(res: ServerResponse, reply: Reply): void {
  if (reply.kind === 'empty') sendEmpty(res, reply.status);
  else sendJson(res, reply.status, reply.body);
}

/** Writes `{"errors": [...]}` with the error's status and headers. */
export function sendError(res: ServerResponse, error: VaultHttpError): void {
  sendJson(res, error.status, { errors: error.errors }, error.headers);
}
