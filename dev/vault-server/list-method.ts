import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Headers that describe the original connection or body, replaced for the rewritten request. */
const CONNECTION_HEADERS = /^(connection|keep-alive|content-length|transfer-encoding)\s*:/i;

/**
 * `LIST /v1/p?x HTTP/1.1` → `GET /v1/p?x&list=true HTTP/1.1` with `connection: close`, which
 * Vault treats as the same request. Undefined when the packet is not a complete LIST head.
 */
export function rewriteListRequest(packet: Buffer): Buffer | undefined {
  const text = packet.toString('latin1');
  const start = text.startsWith('LIST ') ? 0 : text.indexOf('\nLIST ') + 1;
  if (start === 0 && !text.startsWith('LIST ')) return undefined;
  const end = text.indexOf('\r\n\r\n', start);
  if (end === -1) return undefined;
  const [requestLine = '', ...headers] = text.slice(start, end).split('\r\n');
  const match = /^LIST (\S+) (HTTP\/1\.[01])$/.exec(requestLine);
  if (match === null) return undefined;
  const url = new URL(match[1] ?? '/', 'http://vault.invalid');
  url.searchParams.set('list', 'true');
  const lines = [
    `GET ${url.pathname}${url.search} ${match[2] ?? 'HTTP/1.1'}`,
    ...headers.filter((header) => !CONNECTION_HEADERS.test(header)),
    'connection: close',
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/**
 * Node's HTTP parser (llhttp) has no LIST method and rejects it as a client error, yet Vault
 * clients such as hvac and curl send it. The bridge answers such a request through a
 * loopback-only listener that runs the same handler on the rewritten request, then closes that
 * one connection (the parser of the original connection cannot continue after the error).
 */
export class ListMethodBridge {
  private readonly internal: Server;
  private readonly clients = new Set<Duplex>();

  constructor(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    this.internal = createServer(handler);
  }

  /** Starts the internal listener and takes over `clientError` of the public server. */
  async attach(server: Server): Promise<void> {
    await new Promise<void>((resolve) => this.internal.listen(0, '127.0.0.1', resolve));
    server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
      this.answer(error, socket);
    });
  }

  /** Closes the internal listener and every bridged connection. */
  async close(): Promise<void> {
    for (const client of this.clients) client.destroy();
    this.clients.clear();
    this.internal.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.internal.close(() => {
        resolve();
      });
    });
  }

  private answer(error: NodeJS.ErrnoException & { rawPacket?: Buffer }, client: Duplex): void {
    const rewritten =
      error.code === 'HPE_INVALID_METHOD' && error.rawPacket !== undefined
        ? rewriteListRequest(error.rawPacket)
        : undefined;
    if (rewritten === undefined) {
      // What Node does without a clientError listener: a bare 400, then close.
      if (client.writable) client.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      else client.destroy();
      return;
    }
    this.clients.add(client);
    const { port } = this.internal.address() as AddressInfo;
    const upstream: Socket = connect(port, '127.0.0.1');
    upstream.on('error', () => {
      // A reset fault on the internal request must reach the client as a reset too.
      if ('resetAndDestroy' in client) (client as Socket).resetAndDestroy();
      else client.destroy();
    });
    client.on('error', () => upstream.destroy());
    client.on('close', () => this.clients.delete(client));
    upstream.pipe(client);
    upstream.write(rewritten);
  }
}
