import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP proxy that holds the first requests back before forwarding them. */
export interface DelayProxy {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Forwards every request to `target` (plain http), the first `count` after `delayMs`: slows a run
 * against a Vault that has no fault injection of its own (the real peer).
 */
export async function startDelayProxy(
  target: string,
  delayMs: number,
  count: number,
): Promise<DelayProxy> {
  let remaining = count;
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const wait = remaining-- > 0 ? delayMs : 0;
    setTimeout(() => {
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forwarded.on('error', () => res.destroy());
      req.pipe(forwarded);
    }, wait);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
