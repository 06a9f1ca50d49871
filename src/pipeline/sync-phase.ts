import type { Target } from '../config/types.js';
import { mapLimit } from '../core/concurrency.js';
import { PlanError } from '../core/errors.js';
import type { Bundle } from '../core/json.js';
import { compareByName } from '../core/sync-plan.js';
import type { PlannedSecret } from '../core/sync-plan.js';
import { nextSyncRecord } from '../core/sync-record.js';
import { applyPlan } from './apply-plan.js';
import type { ApplyOutcome } from './apply-plan.js';
import type { PhaseContext } from './phase-context.js';
import { planTarget } from './plan-target.js';
import type { TargetPlan } from './plan-target.js';
import type { MergeStore } from './ports.js';
import { diffBucket } from './report.js';
import type { DiffCounts, SecretChange, SyncReport } from './report.js';
import { elapsed } from './run-state.js';

/**
 * Syncs each target (bounded by `syncParallel`): plan against the account, then apply exactly that
 * plan unless dry-run, then store the next sync record. A target whose merge failed is skipped;
 * with continue_on_error false, nothing new starts after the first failure.
 */
export async function runSyncPhase(
  ctx: PhaseContext,
  targets: readonly Target[],
): Promise<Map<string, SyncReport>> {
  const reports = new Map<string, SyncReport>();
  await mapLimit(targets, ctx.limits.syncParallel, async (target) => {
    const report = await syncTarget(ctx, target);
    // The merge phase is over: nothing else needs this bundle, so let it go before the next target.
    ctx.state.bundles.delete(target.name);
    reports.set(target.name, report);
    ctx.events.syncDone(target.name, report);
  });
  return reports;
}

const NO_COUNTS: DiffCounts = { added: 0, modified: 0, removed: 0, unchanged: 0 };

function notSynced(
  target: Target,
  status: 'skipped' | 'failed',
  error: string,
  ms = 0,
): SyncReport {
  return {
    status,
    durationMs: ms,
    accountId: target.accountId,
    roleArn: undefined,
    counts: NO_COUNTS,
    changes: [],
    failures: [],
    applied: false,
    error,
  };
}

async function syncTarget(ctx: PhaseContext, target: Target): Promise<SyncReport> {
  const earlier = ctx.state.failed.get(target.name);
  if (earlier !== undefined) return notSynced(target, 'skipped', `not synced: ${earlier}`);
  const blocked = ctx.state.blocked();
  if (blocked !== undefined) return notSynced(target, 'skipped', blocked);
  const started = ctx.now();
  try {
    const bundle = ctx.state.bundles.get(target.name) ?? (await readStored(target.name, ctx.store));
    const record = await ctx.store.readSyncRecord(target.name);
    const planned = await planTarget(target, bundle, record, ctx.target);
    const outcome = ctx.dryRun ? undefined : await apply(ctx, planned);
    const report = reportOf(planned, outcome, elapsed(started, ctx.now));
    if (report.error !== undefined) ctx.state.fail(target.name, report.error);
    return report;
  } catch (error) {
    const message = (error as Error).message;
    ctx.state.fail(target.name, message);
    return notSynced(target, 'failed', message, elapsed(started, ctx.now));
  }
}

/** Applies the plan, then stores what the account now holds as the next sync record. */
async function apply(ctx: PhaseContext, planned: TargetPlan): Promise<ApplyOutcome> {
  const { target } = planned;
  const outcome = await applyPlan(planned, ctx.target, {
    concurrency: ctx.limits.writeConcurrency,
    stopped: () => ctx.state.blocked() !== undefined && ctx.state.interruptedNow(),
    onApplied: (action) => {
      ctx.events.secretApplied(target.name, action);
    },
  });
  await ctx.store.writeSyncRecord(
    target.name,
    nextSyncRecord({
      accountId: planned.account.accountId,
      region: target.region,
      planned: planned.plan.secrets,
      applied: new Set(outcome.applied.map((secret) => secret.name)),
      hashes: planned.plan.hashes,
      listed: planned.listed,
      written: outcome.written,
    }),
  );
  return outcome;
}

/** The target's report: what was done (or, in dry-run, would be) and what failed. */
function reportOf(
  planned: TargetPlan,
  outcome: ApplyOutcome | undefined,
  durationMs: number,
): SyncReport {
  const failures = [...planned.plan.failures, ...(outcome?.failures ?? [])].sort(compareByName);
  const done =
    outcome === undefined
      ? planned.plan.secrets
      : [...outcome.applied, ...planned.plan.secrets.filter((s) => s.action === 'unchanged')];
  return {
    status: failures.length > 0 ? 'failed' : 'ok',
    durationMs,
    accountId: planned.account.accountId,
    roleArn: planned.account.roleArn,
    counts: countsOf(done),
    changes: changesOf(done),
    failures,
    applied: outcome !== undefined,
    error: failures.length > 0 ? `${failures.length} secret(s) failed` : undefined,
  };
}

async function readStored(name: string, store: MergeStore): Promise<Bundle> {
  const bundle = await store.readBundle(name);
  if (bundle === undefined)
    throw new PlanError(
      `no merged bundle at ${store.locate(name)}: run the merge phase first (without --sync-only)`,
    );
  return bundle;
}

function countsOf(secrets: readonly PlannedSecret[]): DiffCounts {
  const counts = { added: 0, modified: 0, removed: 0, unchanged: 0 };
  for (const secret of secrets) counts[diffBucket(secret.action)] += 1;
  return counts;
}

function changesOf(secrets: readonly PlannedSecret[]): SecretChange[] {
  return secrets.flatMap((secret) =>
    secret.action === 'unchanged'
      ? []
      : [
          {
            name: secret.name,
            action: secret.action,
            keys: secret.keys,
            // A new secret always gets its tags; only say so when an existing one is retagged.
            tagsChanged:
              (secret.action !== 'create' && Object.keys(secret.tags.set).length > 0) ||
              secret.tags.remove.length > 0 ||
              secret.metadata !== undefined,
          },
        ],
  );
}
