import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: a status (with headers/body), a delay, or a dropped connection. */
export type ScriptedReply =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly delayMs: number; readonly status: number }
  | { readonly reset: true };

/** A loopback HTTP server answering requests from a script, then 200 once the script runs out. */
export interface ScriptedServer {
  readonly url: string;
  readonly requests: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  script(replies: readonly ScriptedReply[]): void;
  close(): Promise<void>;
}

/** Starts a scripted server on a free loopback port (for wrapper and fault tests). */
export async function startScriptedServer(): Promise<ScriptedServer> {
  let pending: ScriptedReply[] = [];
  const requests: ScriptedServer['requests'] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
    });
    const reply = pending.shift() ?? { status: 200, body: '{"ok":true}' };
    if ('reset' in reply) {
      request.socket.destroy();
      return;
    }
    const send = () => {
      const body = 'body' in reply ? (reply.body ?? '') : '';
      response.writeHead(reply.status, {
        'content-type': 'application/json',
        ...('headers' in reply ? reply.headers : {}),
      });
      response.end(body);
    };
    if ('delayMs' in reply) setTimeout(send, reply.delayMs).unref();
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (replies) => {
      pending = [...replies];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
