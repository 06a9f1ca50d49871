import type { ConfigWarning } from '../config/types.js';
import type { AppLogger } from '../observability/logger.js';

/**
 * Logs the config's warnings at the start of a run, as `validate` prints them: a run does what
 * they say (e.g. a target without account_id syncs into the caller's account), so it says so.
 */
export function logConfigWarnings(logger: AppLogger, warnings: readonly ConfigWarning[]): void {
  for (const warning of warnings) {
    logger.warn(
      { config_path: warning.path, ...(warning.line === undefined ? {} : { line: warning.line }) },
      `config: ${warning.path}: ${warning.message}`,
    );
  }
}
