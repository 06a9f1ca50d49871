import type { RunningVaultServer } from './server.js';

/** A response as the tests inspect it. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed JSON body; undefined when the body is empty. */
  readonly body: unknown;
}

/** Options of one test call. */
export interface CallOptions {
  /** Sent as X-Vault-Token; default the root token; null = no token. */
  readonly token?: string | null;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One plain-fetch call to the server (tests and the demo use no Vault client library here). */
export async function call(
  server: RunningVaultServer,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? server.rootToken : options.token;
  if (token !== null) headers['x-vault-token'] = token;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.address}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

/** A control-surface call (`/_dev/<path>`) with the root token; throws on a non-2xx answer. */
export async function control(
  server: RunningVaultServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await call(server, method, `/_dev/${path}`, { body });
  if (response.status >= 300) {
    throw new Error(`control ${method} ${path} → ${response.status} ${response.text}`);
  }
  return response.body;
}

/** `data` of an envelope body, as a record for assertions. */
export function dataOf(response: TestResponse): Record<string, unknown> {
  const body = response.body as { data?: Record<string, unknown> } | undefined;
  if (body?.data === undefined) throw new Error(`no data in ${response.text}`);
  return body.data;
}
