import type { Option } from 'commander';
import type { Config } from '../config/types.js';
import { withRun } from '../context/request-context.js';
import type { AppLogger } from '../observability/logger.js';
import { logFilterOutcome } from '../observability/filter-log.js';
import { createMetrics } from '../observability/metrics.js';
import { discoverTargets } from '../pipeline/discover-targets.js';
import type { TargetSet } from '../pipeline/discover-targets.js';
import type { AccountDirectory } from '../pipeline/ports.js';
import type { DiscoveredTarget } from '../plan/dynamic-targets.js';
import { assertDistinctDestinations } from '../plan/distinct-destinations.js';
import { createApp } from './app.js';
import { booleanFlag } from './env-option.js';
import type { CliIo } from './io.js';
import { commandLogger } from './runtime-options.js';
import type { LogFlags } from './runtime-options.js';

/** `--discover` for pipeline, validate and graph. */
export function discoverOption(what: string): Option {
  return booleanFlag(
    '--discover',
    `expand dynamic_targets into one target per discovered AWS account (${what})`,
    'SECRETSYNC_DISCOVER',
  );
}

/**
 * Runs discovery and logs what it found and every warning expansion raised. Throws PlanError when
 * two targets (static or discovered) would write the same secret names.
 */
export async function discoverForRun(
  config: Config,
  directory: AccountDirectory,
  logger: AppLogger,
): Promise<TargetSet> {
  const set = await discoverTargets(config, directory);
  for (const { dynamicTarget, outcome } of set.exclusions)
    logFilterOutcome(logger, dynamicTarget, outcome);
  for (const warning of set.warnings)
    logger.warn({ dynamic_target: warning.dynamicTarget }, warning.message);
  logger.info(
    { dynamic_targets: config.dynamicTargets.size, discovered: set.discovered.length },
    `discovered ${set.discovered.length} target(s) from ${config.dynamicTargets.size} dynamic target(s)${describeDiscovered(set.discovered)}`,
  );
  assertDistinctDestinations(set.targets);
  return set;
}

/** The static targets only; says once that dynamic targets are left out without --discover. */
export function staticTargetsForRun(config: Config, logger: AppLogger): TargetSet {
  const dynamic = [...config.dynamicTargets.keys()];
  if (dynamic.length > 0) {
    logger.warn(
      { dynamic_targets: dynamic },
      `${dynamic.length} dynamic target(s) not synced in this run (${dynamic.join(', ')}): add --discover to expand them into their accounts`,
    );
  }
  return { targets: config.targets, discovered: [], warnings: [], exclusions: [] };
}

/** `: sandbox_alpha (account 123456789012 "sandbox-alpha", by Sandboxes), …` — the target names. */
function describeDiscovered(discovered: readonly DiscoveredTarget[]): string {
  if (discovered.length === 0) return '';
  const names = discovered.map((target) => {
    const account = target.accountName === '' ? '' : ` "${target.accountName}"`;
    return `${target.name} (account ${target.accountId}${account}, by ${target.discoveredBy})`;
  });
  return `: ${names.join(', ')}`;
}

/** Discovery for commands that otherwise contact nothing (validate, graph): its own app and run. */
export async function discoverStandalone(
  config: Config,
  io: CliIo,
  log: LogFlags,
): Promise<TargetSet> {
  const logger = commandLogger(log, config, io);
  const app = createApp(config, io.env, logger, createMetrics());
  try {
    return await withRun(() => discoverForRun(config, app.directory, logger));
  } finally {
    app.close();
  }
}
