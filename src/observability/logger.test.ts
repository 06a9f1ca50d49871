import { describe, expect, it } from 'vitest';
import { captureStream } from '../../test/support/capture-stream.js';
import { withRequest, withRun } from '../context/request-context.js';
import { ConfigError } from '../core/errors.js';
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
    expect(out.lines()).toHaveLength(1);
    expect(out.text()).toContain('{"target":"Prod"}');
  });

  it('serializes errors with class, code and fault, and the stack only at debug', () => {
    const error = new ConfigError('config.yaml', [
      { path: 'targets', message: 'missing', rule: 'required' },
    ]);
    const logged = (level: 'debug' | 'info') => {
      const out = captureStream();
      createLogger({ level, format: 'json', destination: out }).error({ err: error }, 'failed');
      return (JSON.parse(out.text()) as { err: Record<string, unknown> }).err;
    };
    const info = logged('info');
    expect(info).toEqual({
      type: 'ConfigError',
      code: 'config_invalid',
      fault: 'user',
      message: error.message,
    });
    expect(logged('debug')).toEqual({ ...info, stack: error.stack });
    expect(error.stack).toMatch(/\n\s+at /);
  });

  it('under GitHub Actions adds a workflow command per warning and error, on its own line', () => {
    for (const format of ['json', 'text'] as const) {
      const out = captureStream();
      const logger = createLogger({ level: 'info', format, destination: out, annotations: true });
      logger.info('plain');
      logger.warn({ password: 'MARKER-pw' }, 'skipped 50% of\r\nkeys');
      logger.error('gave up');
      const lines = out.lines();
      // Text prints the message's own line break; the workflow command escapes it.
      expect(lines).toHaveLength(format === 'json' ? 5 : 6);
      expect(lines.filter((line) => line.startsWith('::'))).toEqual([
        '::warning title=SecretSync::skipped 50%25 of%0D%0Akeys',
        '::error title=SecretSync::gave up',
      ]);
      expect(lines[format === 'json' ? 2 : 3]).toBe(
        '::warning title=SecretSync::skipped 50%25 of%0D%0Akeys',
      );
      expect(out.text()).not.toContain('MARKER-pw');
    }
  });

  it('writes no workflow commands unless asked', () => {
    const out = captureStream();
    createLogger({ level: 'info', format: 'json', destination: out }).warn('careful');
    expect(out.text()).not.toContain('::warning');
  });
});
