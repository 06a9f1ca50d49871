import { hostname, userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Option } from 'commander';
import type { Config } from '../config/types.js';
import { parseDuration } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import type { AppLogger } from '../observability/logger.js';
import type { LeaseStore } from '../pipeline/ports.js';
import { RunLocks } from '../pipeline/run-locks.js';

/** `--lock-timeout <duration>` (env `SECRETSYNC_LOCK_TIMEOUT`), over `pipeline.lock.timeout`. */
export function lockTimeoutOption(): Option {
  return new Option(
    '--lock-timeout <duration>',
    'wait this long for targets another run holds (e.g. 10m); default 0: fail those targets at once',
  ).env('SECRETSYNC_LOCK_TIMEOUT');
}

/** The run lock of one run, over the merge store's leases, logging what it does. */
export function createRunLocks(
  config: Config,
  lockTimeout: string | undefined,
  runId: string,
  leases: LeaseStore,
  logger: AppLogger,
): RunLocks {
  const host = hostname();
  return new RunLocks({
    store: leases,
    owner: { runId, holder: `${userName()}@${host}`, host, pid: process.pid },
    settings: {
      timeoutMs: timeoutOf(lockTimeout) ?? config.pipeline.lockTimeoutMs,
      ttlMs: config.pipeline.lockTtlMs,
    },
    now: Date.now,
    sleep: (ms) => sleep(ms),
    processAlive,
    notice: (level, target, message) => {
      logger[level]({ target }, message);
    },
  });
}

function timeoutOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined)
    throw new UsageError(
      `--lock-timeout must be a duration such as 0s, 30s or 10m, got "${value}"`,
    );
  return ms;
}

/** True when a process with this pid exists here (signal 0 checks without sending anything). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
