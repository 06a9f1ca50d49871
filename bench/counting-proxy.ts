import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Calls and latencies of one API operation, as seen on the wire. */
export interface OperationStats {
  count: number;
  durationsMs: number[];
}

/**
 * A loopback HTTP proxy in front of moto that counts every AWS API call by operation and times
 * it. The CLI's own /metrics endpoint disappears with the process, so the bench measures from
 * outside, on the wire, where nothing can be missed.
 */
export async function startCountingProxy(
  upstream: string,
  kind: 'aws' | 'vault',
): Promise<{ url: string; stats: Map<string, OperationStats>; close(): Promise<void> }> {
  const stats = new Map<string, OperationStats>();
  const target = new URL(upstream);
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const started = performance.now();
      const operation =
        kind === 'aws' ? awsOperationOf(incoming, body) : vaultOperationOf(incoming);
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
          answer.on('end', () => {
            const entry = stats.get(operation) ?? { count: 0, durationsMs: [] };
            entry.count += 1;
            entry.durationsMs.push(performance.now() - started);
            stats.set(operation, entry);
          });
        },
      );
      forward.on('error', () => outgoing.destroy());
      forward.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** `vault.list`, `vault.read`, `vault.write`, `vault.delete`, `vault.auth`, `vault.sys`. */
function vaultOperationOf(incoming: IncomingMessage): string {
  const url = new URL(incoming.url ?? '/', 'http://x');
  const path = url.pathname;
  if (path.includes('/sys/')) return 'vault.sys';
  if (path.includes('/auth/')) return 'vault.auth';
  if (incoming.method === 'LIST' || url.searchParams.get('list') === 'true') return 'vault.list';
  if (incoming.method === 'DELETE') return 'vault.delete';
  return incoming.method === 'GET' ? 'vault.read' : 'vault.write';
}

/** `secretsmanager.ListSecrets`, `sts.AssumeRole`, `s3.PUT` — from the target header, query action or method. */
function awsOperationOf(incoming: IncomingMessage, body: Buffer): string {
  const amzTarget = incoming.headers['x-amz-target'];
  if (typeof amzTarget === 'string') {
    const [prefix = '', action = ''] = amzTarget.split('.');
    return `${prefix.startsWith('secretsmanager') ? 'secretsmanager' : prefix.toLowerCase()}.${action}`;
  }
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString('utf8'))?.[1];
  if (action !== undefined) return `sts.${action}`;
  return `s3.${incoming.method ?? 'GET'}`;
}
