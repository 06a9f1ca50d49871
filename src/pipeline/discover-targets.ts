import type { Config, Target } from '../config/types.js';
import { mapLimit } from '../core/concurrency.js';
import { compareText } from '../core/account-filters.js';
import { expandDynamicTargets } from '../plan/dynamic-targets.js';
import type {
  DiscoveredTarget,
  ExclusionOutcome,
  ExpansionWarning,
} from '../plan/dynamic-targets.js';
import type { AccountDirectory } from './ports.js';

/** Dynamic targets looked up at once; each one fans out further inside the directory. */
const DYNAMIC_TARGETS_AT_ONCE = 4;

/** The targets of a run with discovery: the static ones plus one per discovered account. */
export interface TargetSet {
  /** Static and discovered targets by name, sorted by name. */
  readonly targets: ReadonlyMap<string, Target>;
  readonly discovered: readonly DiscoveredTarget[];
  readonly warnings: readonly ExpansionWarning[];
  readonly exclusions: readonly ExclusionOutcome[];
}

/**
 * Discovers the accounts of every dynamic target and expands them next to the static targets.
 * A discovery failure fails the whole call: syncing a partial account set silently is worse.
 */
export async function discoverTargets(
  config: Config,
  directory: AccountDirectory,
): Promise<TargetSet> {
  const discoveries = await mapLimit(
    [...config.dynamicTargets.values()],
    DYNAMIC_TARGETS_AT_ONCE,
    async (dynamic) => ({ dynamic, accounts: await directory.discover(dynamic) }),
  );
  const expansion = expandDynamicTargets(discoveries, config.targets);
  const all: [string, Target][] = [
    ...config.targets,
    ...expansion.targets.map((target): [string, Target] => [target.name, target]),
  ];
  return {
    targets: new Map(all.sort(([a], [b]) => compareText(a, b))),
    discovered: expansion.targets,
    warnings: expansion.warnings,
    exclusions: expansion.exclusions,
  };
}
