import { describe, expect, it } from 'vitest';
import { captureStream } from '../../test/support/capture-stream.js';
import { withRequest, withRun } from '../context/request-context.js';
import { createLogger } from './logger.js';

const MARKERS = [
  'hvs.MARKER-token-1',
  'MARKER-secret-id-2',
  'MARKER-value-3',
  'Bearer MARKER-4',
  'MARKER-jwt-5',
];

describe('createLogger', () => {
  it('redacts tokens, secret ids, secret values and auth headers wherever they sit', () => {
    const out = captureStream();
    const logger = createLogger({ level: 'debug', format: 'json', destination: out });
    logger.info({ token: MARKERS[0], auth: { secret_id: MARKERS[1] } }, 'login');
    logger.debug({ response: { SecretString: MARKERS[2] } }, 'read');
    logger.warn({ headers: { authorization: MARKERS[3], 'x-vault-token': MARKERS[0] } }, 'request');
    logger.error({ login: { jwt: MARKERS[4], role: 'sync' } }, 'kubernetes');
    const text = out.text();
    for (const marker of MARKERS) expect(text).not.toContain(marker);
    expect(text.match(/\[REDACTED\]/g)).toHaveLength(6);
    expect(text).toContain('"role":"sync"');
  });

  it('adds the run id and, inside a call, the request id', () => {
    const out = captureStream();
    const logger = createLogger({ level: 'info', format: 'json', destination: out });
    withRun(() => {
      logger.info('outside');
      withRequest({ operation: 'vault.read', path: 'secret/a', requestId: 'req-1' }, () => {
        logger.info('inside');
      });
    }, 'run-9');
    const [outside, inside] = out
      .lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(outside).toMatchObject({ run_id: 'run-9', msg: 'outside' });
    expect(outside).not.toHaveProperty('request_id');
    expect(inside).toMatchObject({ run_id: 'run-9', request_id: 'req-1', msg: 'inside' });
  });

  it('writes readable text lines in text format, honouring the level', () => {
    const out = captureStream();
    const logger = createLogger({ level: 'warn', format: 'text', destination: out });
    logger.info('hidden');
    logger.warn({ target: 'Prod' }, 'visible');
    expect(out.text()).not.toContain('hidden');
    expect(out.text()).toMatch(/WARN.*visible/);
    expect(out.text()).toContain('target: "Prod"');
  });
});
