import type { Target } from '../config/types.js';
import { mapLimit } from '../core/concurrency.js';
import { StalePlanError, StoreStateError } from '../core/errors.js';
import type { Bundle } from '../core/json.js';
import { compareByName } from '../core/sync-plan.js';
import type { PlannedSecret } from '../core/sync-plan.js';
import { nextSyncRecord } from '../core/next-sync-record.js';
import { describeError } from '../context/describe-error.js';
import { applyPlan } from './apply-plan.js';
import type { ApplyOutcome } from './apply-plan.js';
import { sizeOf } from './guardrails.js';
import type { PhaseContext } from './phase-context.js';
import { planTarget } from './plan-target.js';
import type { TargetPlan } from './plan-target.js';
import type { MergeStore } from './ports.js';
import { diffBucket, NOT_SYNCED, secretsFailedMessage } from './report.js';
import type { DiffCounts, PhaseError, SecretChange, SyncReport, SyncResult } from './report.js';
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

/** A target that could not be planned: the error, with nothing done. */
function failedBeforePlan(
  target: Target,
  error: unknown,
  durationMs: number,
): Extract<SyncReport, { status: 'failed' }> {
  return {
    status: 'failed',
    error: describeError(error),
    durationMs,
    accountId: target.accountId,
    roleArn: undefined,
    counts: NO_COUNTS,
    changes: [],
    failures: [],
    keptOrphans: [],
    notStarted: 0,
    applied: false,
  };
}

async function syncTarget(ctx: PhaseContext, target: Target): Promise<SyncReport> {
  const refusal = ctx.state.takeRefusal(target.name);
  if (refusal !== undefined) return failedBeforePlan(target, refusal.error, 0);
  const earlier = ctx.state.failed.get(target.name);
  if (earlier !== undefined) return { status: 'skipped', reason: NOT_SYNCED };
  const blocked = ctx.state.blocked();
  if (blocked !== undefined) return { status: 'skipped', reason: blocked };
  const started = ctx.now();
  try {
    const { entries, generation } = await bundleOf(ctx, target.name);
    const record = await ctx.store.readSyncRecord(target.name);
    const planned = await planTarget(target, entries, record, ctx.target);
    const writes = planned.plan.secrets.filter((secret) => secret.action !== 'unchanged').length;
    ctx.events.targetPlanned?.(target.name, planned.plan.secrets.length, ctx.dryRun ? 0 : writes);
    const refusal = ctx.guardrails.admit(target, sizeOf(planned.plan.secrets));
    if (refusal !== undefined) {
      // Reported like a dry run (what the plan would do), and nothing is written.
      const result = resultOf(planned, undefined, elapsed(started, ctx.now));
      ctx.state.fail(target.name, refusal.message);
      return { status: 'failed', error: describeError(refusal), ...result };
    }
    const outcome = ctx.dryRun ? undefined : await apply(ctx, planned, generation);
    const report = reportOf(planned, outcome, elapsed(started, ctx.now));
    if (report.status === 'failed') ctx.state.fail(target.name, report.error.message);
    return report;
  } catch (error) {
    const report = failedBeforePlan(target, error, elapsed(started, ctx.now));
    ctx.state.fail(target.name, report.error.message);
    return report;
  }
}

/**
 * Applies the plan — only if the bundle it was planned from is still the merge store's current
 * generation and this run still holds the target's lock — then stores what the account now holds
 * as the next sync record.
 */
async function apply(
  ctx: PhaseContext,
  planned: TargetPlan,
  generation: string | undefined,
): Promise<ApplyOutcome> {
  const { target } = planned;
  if (planned.plan.secrets.some((secret) => secret.action !== 'unchanged'))
    await refuseStalePlan(ctx.store, target.name, generation);
  ctx.locks?.check(target.name);
  const outcome = await applyPlan(planned, ctx.target, {
    concurrency: ctx.limits.writeConcurrency,
    stopped: () =>
      (ctx.state.blocked() !== undefined && ctx.state.interruptedNow()) ||
      ctx.locks?.isLost(target.name) === true,
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
  const result = resultOf(planned, outcome, durationMs);
  if (result.failures.length === 0 && result.notStarted === 0) return { status: 'ok', ...result };
  return { status: 'failed', error: secretsFailed(planned, result), ...result };
}

/** What was done (or, without an outcome, would be done) and what failed. */
function resultOf(
  planned: TargetPlan,
  outcome: ApplyOutcome | undefined,
  durationMs: number,
): SyncResult {
  const failures = [...planned.plan.failures, ...(outcome?.failures ?? [])].sort(compareByName);
  const done =
    outcome === undefined
      ? planned.plan.secrets
      : [...outcome.applied, ...planned.plan.secrets.filter((s) => s.action === 'unchanged')];
  return {
    durationMs,
    accountId: planned.account.accountId,
    roleArn: planned.account.roleArn,
    counts: countsOf(done),
    changes: changesOf(done),
    failures,
    keptOrphans: planned.plan.keptOrphans,
    notStarted: outcome?.notStarted ?? 0,
    applied: outcome !== undefined,
  };
}

/**
 * The target's error when secrets failed: a user fault when every failure is the plan's own
 * refusal (a bad name, an oversized value, a secret SecretSync does not own), else the account's.
 */
function secretsFailed(planned: TargetPlan, result: SyncResult): PhaseError {
  const count = result.failures.length;
  return {
    code: 'secrets_failed',
    fault: count === planned.refusals && result.notStarted === 0 ? 'user' : 'dependency',
    outcome: undefined,
    requestId: undefined,
    message: secretsFailedMessage(count, result.notStarted),
  };
}

/** The bundle to sync: this run's merge result, else the merge store's current generation. */
async function bundleOf(
  ctx: PhaseContext,
  name: string,
): Promise<{ entries: Bundle; generation: string | undefined }> {
  const merged = ctx.state.bundles.get(name);
  if (merged !== undefined) return { entries: merged, generation: ctx.state.generations.get(name) };
  const stored = await ctx.store.readBundle(name);
  if (stored === undefined)
    throw new StoreStateError(
      `no merged bundle at ${ctx.store.locate(name)}: run the merge phase first (without --sync-only)`,
    );
  return stored;
}

/**
 * Refuses to apply a plan made from a bundle that is no longer the merge store's current
 * generation (another writer stored a newer one since): applying it could roll values back.
 */
async function refuseStalePlan(
  store: MergeStore,
  name: string,
  planned: string | undefined,
): Promise<void> {
  if (planned === undefined) return;
  const current = await store.currentGeneration(name);
  if (current !== planned)
    throw new StalePlanError(
      `the bundle of ${name} changed after this run planned it (generation ${planned}, now ${current ?? 'none'} at ${store.locate(name)}): the plan was not applied, nothing was written. Run again to plan against the current bundle`,
    );
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
