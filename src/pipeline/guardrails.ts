import type { Target } from '../config/types.js';
import { GuardrailError } from '../core/errors.js';
import type { PlannedSecret } from '../core/sync-plan.js';

/** The run's limits on the size of a change, from flags over config. */
export interface GuardrailLimits {
  /** Replaces every target's own `max_deletes` (`--max-deletes`); undefined: the target's. */
  readonly maxDeletes: number | undefined;
  /** Replaces every target's own `max_changes` (`--max-changes`); undefined: the target's. */
  readonly maxChanges: number | undefined;
  /** Deletions across all targets of the run (`pipeline.sync.run_max_deletes`). */
  readonly runMaxDeletes: number | undefined;
  /** Changes across all targets of the run (`pipeline.sync.run_max_changes`). */
  readonly runMaxChanges: number | undefined;
}

/** No limit at all. */
export const NO_LIMITS: GuardrailLimits = {
  maxDeletes: undefined,
  maxChanges: undefined,
  runMaxDeletes: undefined,
  runMaxChanges: undefined,
};

/** How big a plan is: secrets it deletes, and secrets it changes in any way (deletes included). */
export interface PlanSize {
  readonly deletes: number;
  readonly changes: number;
}

/** Counts a plan's deletions and changes. */
export function sizeOf(secrets: readonly PlannedSecret[]): PlanSize {
  return {
    deletes: secrets.filter((secret) => secret.action === 'delete').length,
    changes: secrets.filter((secret) => secret.action !== 'unchanged').length,
  };
}

/**
 * Checks each target's plan against its limits and the run's budget before apply. Targets sync
 * in parallel, so the budget is a counter reserved when a plan passes: a target whose plan would
 * take the run past a limit is refused, and what it reserved is never given back (a partly
 * applied plan still counts in full).
 */
export class Guardrails {
  private deletes = 0;
  private changes = 0;

  constructor(private readonly limits: GuardrailLimits) {}

  /** Reserves the plan's size, or returns why the target must not be applied. */
  admit(target: Target, size: PlanSize): GuardrailError | undefined {
    const refusal = this.targetRefusal(target, size) ?? this.runRefusal(target.name, size);
    if (refusal !== undefined) return refusal;
    this.deletes += size.deletes;
    this.changes += size.changes;
    return undefined;
  }

  private targetRefusal(target: Target, size: PlanSize): GuardrailError | undefined {
    const checks = [
      { kind: 'deletes', count: size.deletes, limit: this.limits.maxDeletes ?? target.maxDeletes },
      { kind: 'changes', count: size.changes, limit: this.limits.maxChanges ?? target.maxChanges },
    ] as const;
    const over = checks.find((check) => check.limit !== undefined && check.count > check.limit);
    if (over?.limit === undefined) return undefined;
    const key = `max_${over.kind}`;
    return new GuardrailError(
      `the plan for ${target.name} ${over.kind} ${over.count} secret(s), more than ${key} ${over.limit} allows: nothing was written for it. ` +
        `If this is intended, raise pipeline.sync.${key} (or the target's ${key}), or pass --max-${over.kind} ${over.count} for this run`,
    );
  }

  private runRefusal(name: string, size: PlanSize): GuardrailError | undefined {
    const checks = [
      {
        kind: 'deletes',
        count: size.deletes,
        done: this.deletes,
        limit: this.limits.runMaxDeletes,
      },
      {
        kind: 'changes',
        count: size.changes,
        done: this.changes,
        limit: this.limits.runMaxChanges,
      },
    ] as const;
    const over = checks.find(
      (check) => check.limit !== undefined && check.done + check.count > check.limit,
    );
    if (over?.limit === undefined) return undefined;
    const total = over.done + over.count;
    return new GuardrailError(
      `the plan for ${name} ${over.kind} ${over.count} secret(s); with ${over.done} planned by earlier targets, the run would reach ${total}, more than run_max_${over.kind} ${over.limit} allows: nothing was written for ${name}. ` +
        `If this is intended, raise pipeline.sync.run_max_${over.kind}, or pass --run-max-${over.kind} ${total} for this run`,
    );
  }
}
