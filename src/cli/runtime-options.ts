import { Option } from 'commander';
import type { Command } from 'commander';
import type { Config } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import type { LogFormat, LogLevel } from '../observability/logger.js';

/** Flags every command that talks to Vault or AWS shares. */
export interface RuntimeFlags {
  readonly logLevel?: LogLevel;
  readonly logFormat?: LogFormat;
  readonly metricsPort?: string;
  readonly metricsAddr?: string;
}

/** Adds `--log-level`, `--log-format`, `--metrics-port`, `--metrics-addr` (with env equivalents). */
export function addRuntimeOptions(command: Command): Command {
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
    )
    .addOption(
      new Option(
        '--metrics-port <port>',
        'serve Prometheus /metrics and /health on this port during the run (default: off)',
      ).env('METRICS_PORT'),
    )
    .addOption(
      new Option('--metrics-addr <address>', 'address the metrics endpoint listens on')
        .default('127.0.0.1')
        .env('SECRETSYNC_METRICS_ADDR'),
    );
}

/** Log settings: flags win over the config file. */
export function logSettings(
  flags: RuntimeFlags,
  config: Config,
): { level: LogLevel; format: LogFormat } {
  return {
    level: flags.logLevel ?? config.log.level,
    format: flags.logFormat ?? config.log.format,
  };
}

/** The metrics port, or undefined when metrics are off; a bad value is a usage error. */
export function metricsPort(flags: RuntimeFlags): number | undefined {
  if (flags.metricsPort === undefined || flags.metricsPort === '') return undefined;
  const port = Number(flags.metricsPort);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(
      `--metrics-port (or METRICS_PORT) must be a port number 0-65535, got "${flags.metricsPort}"`,
    );
  }
  return port;
}
