import type { Target } from '../config/types.js';
import { PlanError } from '../core/errors.js';
import { describeSharedDestination, findSharedDestinations } from '../core/shared-destinations.js';

/**
 * Refuses a target set in which two targets write overlapping secret names into the same account
 * and region. `validate` checks static targets from the config; this runs after discovery, when
 * dynamic targets have become targets, and before anything is written.
 */
export function assertDistinctDestinations(targets: ReadonlyMap<string, Target>): void {
  const pairs = findSharedDestinations(
    [...targets.values()].map((target) => ({
      name: target.name,
      accountId: target.accountId,
      region: target.region,
      secretPrefix: target.secretPrefix,
      allowShared: target.allowSharedPrefix,
    })),
  );
  if (pairs.length === 0) return;
  throw new PlanError(
    `${pairs.length} pair(s) of targets would write the same secrets; nothing was written:\n` +
      pairs.map((pair) => `  ${describeSharedDestination(pair)}`).join('\n'),
  );
}
