import { destination, multistream, pino, stdTimeFunctions } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { currentContext } from '../context/request-context.js';
import { annotationStream } from './annotations.js';
import { loggedError } from './error-fields.js';

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

/**
 * Creates the logger: JSON or text (one line per record either way), to stderr unless a
 * destination is given (tests). Errors under `err` show their class, code and fault, and their
 * stack at debug only. With `annotations` (under GitHub Actions) every warning and error is also
 * written as a workflow command, on a line of its own.
 */
export function createLogger(options: {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly destination?: DestinationStream;
  readonly annotations?: boolean;
}): AppLogger {
  const stream = outputStream(options);
  const withStack = options.level === 'debug';
  return pino(
    {
      level: options.level,
      base: null,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      serializers: { err: (error: unknown) => loggedError(error, withStack) },
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

/** Where records go: JSON or single-line text, plus workflow commands when asked. */
function outputStream(options: {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly destination?: DestinationStream;
  readonly annotations?: boolean;
}): DestinationStream {
  const out = options.destination ?? destination({ dest: 2, sync: true });
  const lines =
    options.format === 'text'
      ? PinoPretty({
          destination: out,
          sync: true,
          colorize: false,
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname',
        })
      : out;
  if (options.annotations !== true) return lines;
  return multistream([
    { level: options.level, stream: lines },
    {
      level: 'warn',
      stream: annotationStream((line) => {
        out.write(line);
      }),
    },
  ]);
}
