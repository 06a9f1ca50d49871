import { mapLimit } from '../core/concurrency.js';
import { compareByName } from '../core/sync-plan.js';
import type { PlannedSecret, SecretActionKind, SecretFailure } from '../core/sync-plan.js';
import type { TargetPlan } from './plan-target.js';
import type { SecretTarget } from './ports.js';

/** What apply did: the actions carried out and the secrets that failed. */
export interface ApplyOutcome {
  readonly applied: readonly PlannedSecret[];
  readonly failures: readonly SecretFailure[];
  /** Version id each successful value write returned, by secret name. */
  readonly written: ReadonlyMap<string, string>;
  /** Planned actions never started because apply was stopped (reported as one count). */
  readonly notStarted: number;
}

/** How apply runs. */
export interface ApplyControls {
  /** Secrets of this target in flight at once. */
  readonly concurrency: number;
  /** Once true, no new write starts (in-flight ones finish). */
  readonly stopped: () => boolean;
  /** Called after each successful action. */
  readonly onApplied: (action: SecretActionKind) => void;
}

/**
 * Carries out exactly the plan's actions (nothing for unchanged secrets) with bounded
 * concurrency; a failed secret is reported and does not stop the rest.
 */
export async function applyPlan(
  planned: TargetPlan,
  port: SecretTarget,
  controls: ApplyControls,
): Promise<ApplyOutcome> {
  const work = planned.plan.secrets.filter((secret) => secret.action !== 'unchanged');
  const applied: PlannedSecret[] = [];
  const failures: SecretFailure[] = [];
  const written = new Map<string, string>();
  let notStarted = 0;
  await mapLimit(work, controls.concurrency, async (secret) => {
    if (controls.stopped()) {
      notStarted += 1;
      return;
    }
    try {
      const payload = planned.plan.payloads.get(secret.name);
      const version = await port.applyAction(planned.target, secret, payload);
      if (version !== undefined) written.set(secret.name, version);
      applied.push(secret);
      controls.onApplied(secret.action);
    } catch (error) {
      failures.push({ name: secret.name, path: secret.path, reason: (error as Error).message });
    }
  });
  return {
    applied: applied.sort(compareByName),
    failures: failures.sort(compareByName),
    written,
    notStarted,
  };
}
