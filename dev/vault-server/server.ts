import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleApi } from './api.js';
import { handleControl } from './control.js';
import { ListMethodBridge } from './list-method.js';
import { VaultHttpError, sendError } from './responses.js';
import { ServerState } from './server-state.js';

/** How to start the in-memory Vault-compatible server. */
export interface VaultServerOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 = a free port. */
  port?: number;
  /** The root token; default `root`. */
  rootToken?: string;
  /** PEM certificate and key; when given the server speaks https. */
  tls?: { cert: string; key: string };
  /** KV mounts of the root namespace; default `[{ path: 'secret', version: 2 }]`. */
  mounts?: readonly { path: string; version: 1 | 2 }[];
}

/** A started server. */
export interface RunningVaultServer {
  /** Base address, e.g. `http://127.0.0.1:43211` (`https://` with TLS). */
  readonly address: string;
  readonly rootToken: string;
  /** Stops listening and closes every connection, keep-alive ones included. */
  close(): Promise<void>;
}

/** Starts an in-memory Vault-compatible HTTP(S) server; see SPEC.md beside this file. */
export async function startVaultServer(
  options: VaultServerOptions = {},
): Promise<RunningVaultServer> {
  const rootToken = options.rootToken ?? 'root';
  const state = new ServerState(rootToken, options.mounts ?? [{ path: 'secret', version: 2 }]);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    void serve(state, req, res);
  };
  const server: Server =
    options.tls === undefined
      ? createHttpServer(handler)
      : createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler);
  const bridge = new ListMethodBridge(handler);
  await bridge.attach(server);
  try {
    await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  } catch (error) {
    await bridge.close();
    throw error;
  }
  const scheme = options.tls === undefined ? 'http' : 'https';
  return {
    address: `${scheme}://${hostPort(server.address() as AddressInfo)}`,
    rootToken,
    close: async () => {
      state.sleeper.cancelAll();
      await Promise.all([closeServer(server), bridge.close()]);
    },
  };
}

async function serve(state: ServerState, req: IncomingMessage, res: ServerResponse) {
  // A client that drops a connection mid-request must not crash the server.
  req.on('error', () => undefined);
  res.on('error', () => undefined);
  try {
    const url = new URL(req.url ?? '/', 'http://vault.invalid');
    if (url.pathname.startsWith('/_dev/')) await handleControl(state, req, res, url);
    else if (url.pathname.startsWith('/v1/')) await handleApi(state, req, res, url);
    else sendError(res, new VaultHttpError(404, []));
  } catch {
    sendError(res, new VaultHttpError(500, ['internal error']));
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function hostPort(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${host}:${address.port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error === undefined) resolve();
      else reject(error);
    });
    // close() alone waits for idle keep-alive sockets; tests must never hang on them.
    server.closeAllConnections();
  });
}
