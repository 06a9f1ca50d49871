import { resolve } from 'node:path';
import { Option } from 'commander';
import type { CliIo } from './io.js';

/** The `--config` option every command that reads a config shares. */
export function configOption(): Option {
  return new Option(
    '-c, --config <file>',
    'config file to use (default: $SECRETSYNC_CONFIG, then ./config.yaml)',
  );
}

/** Resolves the config path: the flag, then SECRETSYNC_CONFIG, then config.yaml in the cwd. */
export function resolveConfigPath(flag: string | undefined, io: CliIo): string {
  const chosen = flag ?? io.env.SECRETSYNC_CONFIG ?? 'config.yaml';
  return resolve(io.cwd, chosen);
}
