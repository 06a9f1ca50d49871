import type { Target } from '../config/types.js';
import { mapLimit } from '../core/concurrency.js';
import { PlanError } from '../core/errors.js';
import type { Bundle } from '../core/json.js';
import type { PlannedSecret, SecretFailure } from '../core/sync-plan.js';
import { nextSyncRecord } from '../core/next-sync-record.js';
import type { MergeStore, SecretTarget } from './ports.js';
import { diffBucket } from './report.js';
import type { DiffCounts, SecretChange, SyncReport } from './report.js';
import { elapsed } from './run-state.js';
import type { RunState } from './run-state.js';

/** What the sync phase needs. */
export interface SyncDeps {
  readonly target: SecretTarget;
  readonly store: MergeStore;
  readonly now: () => number;
  readonly onDone: (target: string, report: SyncReport) => void;
}

/**
 * Syncs each target (bounded by `parallel`): plan against the account, then apply exactly that
 * plan unless dry-run. A target whose merge failed is skipped; with continue_on_error false,
 * nothing new starts after the first failure.
 */
export async function runSyncPhase(
  targets: readonly Target[],
  parallel: number,
  state: RunState,
  dryRun: boolean,
  deps: SyncDeps,
): Promise<Map<string, SyncReport>> {
  const reports = new Map<string, SyncReport>();
  await mapLimit(targets, parallel, async (target) => {
    const report = await syncTarget(target, state, dryRun, deps);
    // The merge phase is over: nothing else needs this bundle, so let it go before the next target.
    state.bundles.delete(target.name);
    reports.set(target.name, report);
    deps.onDone(target.name, report);
  });
  return reports;
}

const NO_COUNTS: DiffCounts = { added: 0, modified: 0, removed: 0, unchanged: 0 };

async function syncTarget(
  target: Target,
  state: RunState,
  dryRun: boolean,
  deps: SyncDeps,
): Promise<SyncReport> {
  const empty = (status: SyncReport['status'], error: string, durationMs = 0): SyncReport => ({
    status,
    durationMs,
    accountId: target.accountId,
    roleArn: undefined,
    counts: NO_COUNTS,
    changes: [],
    failures: [],
    applied: false,
    error,
  });
  const earlier = state.failed.get(target.name);
  if (earlier !== undefined) return empty('skipped', `not synced: ${earlier}`);
  const blocked = state.blocked();
  if (blocked !== undefined) return empty('skipped', blocked);
  const started = deps.now();
  try {
    const bundle = state.bundles.get(target.name) ?? (await readStored(target.name, deps.store));
    const record = await deps.store.readSyncRecord(target.name);
    const planned = await deps.target.plan(target, bundle, record);
    const outcome = dryRun
      ? { applied: planned.plan.secrets, failures: [], written: new Map<string, string>() }
      : await deps.target.apply(
          planned,
          () => state.blocked() !== undefined && state.interruptedNow(),
        );
    if (!dryRun)
      await deps.store.writeSyncRecord(
        target.name,
        nextSyncRecord({
          accountId: planned.accountId,
          region: target.region,
          planned: planned.plan.secrets,
          applied: new Set(outcome.applied.map((secret) => secret.name)),
          hashes: planned.plan.hashes,
          listed: planned.listed,
          written: outcome.written,
        }),
      );
    const failures = [...planned.plan.failures, ...outcome.failures];
    const done = dryRun
      ? planned.plan.secrets
      : [...outcome.applied, ...planned.plan.secrets.filter((s) => s.action === 'unchanged')];
    const report: SyncReport = {
      status: failures.length > 0 ? 'failed' : 'ok',
      durationMs: elapsed(started, deps.now),
      accountId: planned.accountId,
      roleArn: planned.roleArn,
      counts: countsOf(done),
      changes: changesOf(done),
      failures: sortFailures(failures),
      applied: !dryRun,
      error: failures.length > 0 ? `${failures.length} secret(s) failed` : undefined,
    };
    if (failures.length > 0) state.fail(target.name, report.error ?? 'failed');
    return report;
  } catch (error) {
    const message = (error as Error).message;
    state.fail(target.name, message);
    return empty('failed', message, elapsed(started, deps.now));
  }
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

function sortFailures(failures: SecretFailure[]): SecretFailure[] {
  return failures.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
