import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control } from './http-test-client.js';
import { rewriteListRequest } from './list-method.js';
import { startVaultServer } from './server.js';
import type { RunningVaultServer } from './server.js';

let server: RunningVaultServer;

beforeAll(async () => {
  server = await startVaultServer();
  await control(server, 'POST', 'secrets', { mount: 'secret', secrets: { 'x/y': { a: 1 } } });
});
afterAll(async () => {
  await server.close();
});

/** Sends raw HTTP/1.1 over one socket (as curl -X LIST or hvac would) and collects the reply. */
function rawExchange(payload: string): Promise<string> {
  const { hostname, port } = new URL(server.address);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('end', () => {
      resolve(received);
    });
    socket.on('error', reject);
    socket.write(payload);
  });
}

describe('the LIST method', () => {
  it('rewrites LIST into GET ?list=true with connection: close and no body headers', () => {
    const packet = Buffer.from(
      'LIST /v1/secret/metadata/?a=1 HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n',
    );
    expect(rewriteListRequest(packet)?.toString()).toBe(
      'GET /v1/secret/metadata/?a=1&list=true HTTP/1.1\r\nHost: h\r\nconnection: close\r\n\r\n',
    );
  });

  it('leaves other packets alone', () => {
    expect(rewriteListRequest(Buffer.from('BREW /pot HTTP/1.1\r\n\r\n'))).toBeUndefined();
    expect(rewriteListRequest(Buffer.from('LIST /incomplete HTTP/1.1\r\nHost'))).toBeUndefined();
  });

  it('answers a raw LIST request after an ordinary one on the same connection', async () => {
    const reply = await rawExchange(
      'GET /v1/sys/health HTTP/1.1\r\nHost: h\r\n\r\n' +
        'LIST /v1/secret/metadata/x HTTP/1.1\r\nHost: h\r\nX-Vault-Token: root\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(reply).toContain('"keys":["y"]');
  });

  it('answers an unparseable request with 400 and closes', async () => {
    const reply = await rawExchange('BREW /v1/pot HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request/);
  });
});
