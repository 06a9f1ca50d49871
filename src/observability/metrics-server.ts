import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { SecretSyncError } from '../core/errors.js';

/** A running `/metrics` + `/health` endpoint. */
export interface MetricsServer {
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  readonly url: string;
  close(): Promise<void>;
}

/** Error raised when the metrics endpoint cannot start (e.g. the port is taken). */
export class MetricsServerError extends SecretSyncError {
  readonly code = 'startup_failed';
  readonly fault = 'user';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetricsServerError';
  }
}

/**
 * Serves the registry on `GET /metrics` (Prometheus text format) and `GET /health` until closed.
 * A port already in use is a clear startup error naming the address and the fix.
 */
export async function startMetricsServer(
  registry: Registry,
  port: number,
  host: string,
): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/metrics') {
      registry
        .metrics()
        .then((body) => {
          response.writeHead(200, { 'content-type': registry.contentType });
          response.end(body);
        })
        .catch(() => {
          response.writeHead(500).end('metrics unavailable\n');
        });
      return;
    }
    if (request.method === 'GET' && path === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}\n');
      return;
    }
    response
      .writeHead(404, { 'content-type': 'text/plain' })
      .end('not found: try /metrics or /health\n');
  });
  await listen(server, port, host);
  const { port: bound } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use: choose another with --metrics-port or METRICS_PORT, or stop what holds it`
          : `${error.code ?? 'error'}: ${error.message}`;
      reject(
        new MetricsServerError(`cannot start the metrics endpoint: ${reason}`, { cause: error }),
      );
    });
    server.listen(port, host, () => {
      resolve();
    });
  });
}
