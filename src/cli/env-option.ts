import { Option } from 'commander';
import type { Command } from 'commander';
import type { Environment } from '../config/env-substitution.js';
import { UsageError } from '../core/errors.js';

/** The words a boolean switch accepts (any case), and what they mean. */
const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  '1': true,
  yes: true,
  false: false,
  '0': false,
  no: false,
};

/** How a boolean environment variable reads: on, off, unset (absent or empty), or not a boolean. */
export type BooleanEnv = boolean | undefined | 'invalid';

/** Reads one boolean environment variable strictly: only true/false/1/0/yes/no count. */
export function readBooleanEnv(env: Environment, name: string): BooleanEnv {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  return BOOLEAN_WORDS[raw.toLowerCase()] ?? 'invalid';
}

/** Like readBooleanEnv, but a value that is not a boolean is a usage error naming the variable. */
export function requireBooleanEnv(env: Environment, name: string): boolean | undefined {
  const value = readBooleanEnv(env, name);
  if (value !== 'invalid') return value;
  const shown = (env[name] ?? '').slice(0, 40);
  throw new UsageError(
    `environment variable ${name} must be one of true, false, 1, 0, yes, no (got "${shown}"): set it to one of those or unset it`,
  );
}

/** The environment variable of each switch made by booleanFlag. */
const ENV_OF = new WeakMap<Option, string>();

/**
 * A boolean flag that an environment variable can also set, read strictly: `true/1/yes` turn it
 * on, `false/0/no` off, anything else is an error naming the variable (commander's own `.env()`
 * turns a switch on for any value, `false` included). The flag on the command line wins.
 */
export function booleanFlag(flags: string, description: string, envName: string): Option {
  const option = new Option(flags, `${description} (env: ${envName}=true|false)`);
  ENV_OF.set(option, envName);
  return option;
}

/** Sets the switches of `command` from their environment variables where no flag was given. */
export function applyBooleanEnv(command: Command, env: Environment): void {
  for (const option of command.options) {
    const envName = ENV_OF.get(option);
    if (envName === undefined) continue;
    // A bad value is refused even when the flag is given: it is wrong wherever it is read next.
    const value = requireBooleanEnv(env, envName);
    const key = option.attributeName();
    if (value !== undefined && command.getOptionValueSource(key) !== 'cli')
      command.setOptionValueWithSource(key, value, 'env');
  }
}
