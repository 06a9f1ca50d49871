import { Option } from 'commander';
import type { Config } from '../config/types.js';
import { UsageError } from '../core/errors.js';

/** `--pushgateway <url>` (env SECRETSYNC_PUSHGATEWAY): push the run's metrics when it ends. */
export function pushgatewayOption(): Option {
  return new Option(
    '--pushgateway <url>',
    'push the run\'s metrics to this Prometheus Pushgateway when it ends, as job "secretsync" ' +
      'grouped by targets, mode and dry_run (overrides metrics.pushgateway.url)',
  ).env('SECRETSYNC_PUSHGATEWAY');
}

/**
 * The Pushgateway to push to: the flag (or its environment variable) over the config; an empty
 * value counts as unset (an unset CI variable). Undefined: no push. A value that is not an http(s)
 * URL is a usage error, raised before the run starts; the message never echoes the value, which
 * may hold a password.
 */
export function pushgatewayUrl(flag: string | undefined, config: Config): string | undefined {
  const value = flag?.trim();
  if (value === undefined || value === '') return config.metrics.pushgatewayUrl;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new UsageError(
      '--pushgateway (or SECRETSYNC_PUSHGATEWAY) must be an http(s) URL such as ' +
        'http://pushgateway.monitoring:9091',
    );
  return value;
}
