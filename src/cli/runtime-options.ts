import { Option } from 'commander';
import type { Command } from 'commander';
import type { Environment } from '../config/env-substitution.js';
import type { Config } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import { createLogger } from '../observability/logger.js';
import type { AppLogger, LogFormat, LogLevel } from '../observability/logger.js';
import type { CliIo } from './io.js';
import { stderrStream } from './stderr-stream.js';

/** The log flags every command that logs takes. */
export interface LogFlags {
  readonly logLevel?: LogLevel;
  readonly logFormat?: LogFormat;
}

/** Flags of a run that talks to Vault or AWS: the log flags and the metrics endpoint. */
export interface RuntimeFlags extends LogFlags {
  readonly metricsPort?: string;
  readonly metricsAddr?: string;
}

/** Adds `--log-level` and `--log-format` (with env equivalents). */
export function addLogOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--log-level <level>', 'log level (overrides log.level)')
        .choices(['debug', 'info', 'warn', 'error'])
        .env('SECRETSYNC_LOG_LEVEL'),
    )
    .addOption(
      new Option('--log-format <format>', 'log format on stderr (overrides log.format)')
        .choices(['json', 'text'])
        .env('SECRETSYNC_LOG_FORMAT'),
    );
}

/** Adds the log options, `--metrics-port` and `--metrics-addr` (with env equivalents). */
export function addRuntimeOptions(command: Command): Command {
  return addLogOptions(command)
    .addOption(
      new Option(
        '--metrics-port <port>',
        'serve Prometheus /metrics and /health on this port during the run (default: off; env: SECRETSYNC_METRICS_PORT, then METRICS_PORT)',
      ),
    )
    .addOption(
      new Option('--metrics-addr <address>', 'address the metrics endpoint listens on')
        .default('127.0.0.1')
        .env('SECRETSYNC_METRICS_ADDR'),
    );
}

/** Log settings: flags win over the config file. */
export function logSettings(
  flags: LogFlags,
  config: Config,
): { level: LogLevel; format: LogFormat } {
  return {
    level: flags.logLevel ?? config.log.level,
    format: flags.logFormat ?? config.log.format,
  };
}

/** The command's logger on stderr, with the log flags over the config file. */
export function commandLogger(flags: LogFlags, config: Config, io: CliIo): AppLogger {
  return createLogger({
    ...logSettings(flags, config),
    destination: stderrStream(io),
    // Under GitHub Actions, warnings and errors also become workflow annotations.
    annotations: io.env.GITHUB_ACTIONS === 'true',
  });
}

/** Where the metrics port may come from, first wins. */
const METRICS_PORT_ENV = ['SECRETSYNC_METRICS_PORT', 'METRICS_PORT'] as const;

/**
 * The metrics port: `--metrics-port`, then SECRETSYNC_METRICS_PORT, then METRICS_PORT; undefined
 * when metrics are off. A bad value is a usage error naming where it came from.
 */
export function metricsPort(flags: RuntimeFlags, env: Environment): number | undefined {
  const from = [
    { name: '--metrics-port', value: flags.metricsPort },
    ...METRICS_PORT_ENV.map((name) => ({ name, value: env[name] })),
  ].find((source) => source.value !== undefined && source.value.trim() !== '');
  if (from?.value === undefined) return undefined;
  const port = Number(from.value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`${from.name} must be a port number 0-65535, got "${from.value}"`);
  }
  return port;
}
