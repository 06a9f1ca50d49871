import { destination, pino, stdTimeFunctions } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { currentContext } from '../context/request-context.js';

/** Log level names accepted by the CLI and config. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** `json` for machines (one object per line), `text` for people. */
export type LogFormat = 'json' | 'text';

/** The structured logger every layer uses; never console.*. */
export type AppLogger = Logger;

/**
 * Field paths whose values are replaced by `[REDACTED]` wherever they appear in a log object:
 * tokens, secret ids, secret values and auth headers.
 */
export const REDACTED_PATHS = [
  'token',
  'client_token',
  'secret_id',
  'secretId',
  'SecretString',
  'SecretBinary',
  'value',
  'values',
  'data',
  'password',
  'jwt',
  'X-Vault-Token',
  'x-vault-token',
  'Authorization',
  'authorization',
  'headers["x-vault-token"]',
  'headers.authorization',
  '*.token',
  '*.client_token',
  '*.secret_id',
  '*.secretId',
  '*.SecretString',
  '*.SecretBinary',
  '*.password',
  '*.jwt',
  '*["X-Vault-Token"]',
  '*["x-vault-token"]',
  '*.Authorization',
  '*.authorization',
  'credentials.*',
  '*.credentials.*',
];

/** Creates the logger: JSON or text, to stderr unless a destination is given (tests). */
export function createLogger(options: {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly destination?: DestinationStream;
}): AppLogger {
  const stream =
    options.format === 'text'
      ? PinoPretty({
          destination: options.destination ?? 2,
          sync: true,
          colorize: false,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname',
        })
      : (options.destination ?? destination({ dest: 2, sync: true }));
  return pino(
    {
      level: options.level,
      base: null,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      // Every line carries the run and, inside an external call, the request it belongs to.
      mixin: () => {
        const context = currentContext();
        if (context === undefined) return {};
        return context.requestId === undefined
          ? { run_id: context.runId }
          : { run_id: context.runId, request_id: context.requestId };
      },
      timestamp: stdTimeFunctions.isoTime,
    },
    stream,
  );
}
