import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classify.js';
import { networkFailureOf, networkFailureText } from './network-failure.js';

/** Node's shape of a system error: a code and its text. */
const systemError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** The error a real connection to a port nobody listens on gives. */
function refusedConnection(): Promise<Error> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 1 });
    socket.on('error', resolve);
    socket.on('connect', () => {
      socket.destroy();
      resolve(new Error('port 1 unexpectedly accepted a connection'));
    });
  });
}

describe('networkFailureOf', () => {
  it('reads a real refused connection and names the peer in plain words', async () => {
    const error = await refusedConnection();
    expect(networkFailureOf(error)).toBe('refused');
    expect(networkFailureText(error)).toBe('connection refused (127.0.0.1:1)');
    expect(classifyFailure(error).reason).toBe('connection refused (127.0.0.1:1)');
  });

  it('tells DNS failures, TLS to a plain port and a closed connection apart', () => {
    const dns = systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND vault.nonexistent.invalid');
    expect(networkFailureOf(dns)).toBe('dns');
    expect(networkFailureText(dns)).toBe('host name does not resolve (vault.nonexistent.invalid)');
    const openssl = systemError(
      'EPROTO',
      'write EPROTO 806C:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:ssl3_record.c:350:',
    );
    expect(networkFailureOf(openssl)).toBe('tls_to_plain');
    expect(classifyFailure(openssl).reason).not.toMatch(/SSL routines/);
    expect(networkFailureOf(systemError('ECONNRESET', 'socket hang up'))).toBe('closed');
  });

  it('leaves an HTTP answer and an unrelated error alone', () => {
    const answered = Object.assign(new Error('permission denied'), { status: 403 });
    expect(networkFailureOf(answered)).toBeUndefined();
    expect(classifyFailure(answered).reason).toBe('permission denied');
    expect(networkFailureOf(systemError('EPROTO', 'unsupported protocol'))).toBeUndefined();
  });
});
