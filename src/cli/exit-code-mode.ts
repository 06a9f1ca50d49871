import type { Environment } from '../config/env-substitution.js';
import { readBooleanEnv } from './env-option.js';

/**
 * Whether an error exits in exit-code mode (2, since 1 means "changes" there), decided without
 * the parsed flags, which an error may have stopped: `--exit-code` among the arguments before
 * `--`, or SECRETSYNC_EXIT_CODE on. A SECRETSYNC_EXIT_CODE that is not a boolean counts as on: the
 * caller asked for the mode, and 2 is a failure in both modes.
 */
export function exitCodeModeOf(argv: readonly string[], env: Environment): boolean {
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  if (flags.includes('--exit-code')) return true;
  const fromEnv = readBooleanEnv(env, 'SECRETSYNC_EXIT_CODE');
  return fromEnv === true || fromEnv === 'invalid';
}
