import { resolve } from 'node:path';
import { Option } from 'commander';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/load.js';
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

/**
 * Loads the config the command was pointed at; a missing file's error names how it was chosen
 * (the --config flag, SECRETSYNC_CONFIG, or the ./config.yaml default) and the fix for that.
 */
export function loadChosenConfig(flag: string | undefined, io: CliIo): Promise<LoadedConfig> {
  const fix =
    flag !== undefined
      ? 'check the path given to --config'
      : io.env.SECRETSYNC_CONFIG !== undefined
        ? 'check the path in SECRETSYNC_CONFIG'
        : 'pass --config FILE or set SECRETSYNC_CONFIG';
  return loadConfig(resolveConfigPath(flag, io), io.env, fix);
}
