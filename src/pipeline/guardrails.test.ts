import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { MemoryMergeStore } from '../../test/fakes/merge-store/memory-merge-store.js';
import { memoryAws } from '../../test/support/memory-aws.js';
import { runOverFakes } from '../../test/support/pipeline-over-fakes.js';
import { configFrom } from '../../test/support/runtime.js';
import type { Config } from '../config/types.js';
import type { JsonObject } from '../core/json.js';
import type { GuardrailLimits } from './guardrails.js';
import { NO_LIMITS } from './guardrails.js';
import type { PipelineReport } from './report.js';
import { problemOf } from './report.js';

/*
 * The guardrails on the size of a change and on empty sources, over the real Secrets Manager
 * adapter with AWS and the merge store in memory: a refused target writes nothing.
 */

const STG = '111111111111';
const OTHER = '333333333333';

const YAML = (sync = '', extra = '') => `
aws: {region: us-east-1, endpoint: 'http://aws.fake'}
sources:
  common: {vault: {mount: secret, path: common}}
  extra: {vault: {mount: secret, path: extra}}
merge_store: {vault: {mount: merged}}
pipeline: {continue_on_error: true, sync: {delete_orphans: true${sync}}${extra}}
targets:
  Staging: {account_id: '${STG}', imports: [common], secret_prefix: stg/}
  Other: {account_id: '${OTHER}', imports: [extra], secret_prefix: other/}
`;

type Sources = Record<string, Record<string, JsonObject>>;

const many = (prefix: string, count: number): Record<string, JsonObject> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, { i }]));

const FULL: Sources = { common: many('c', 5), extra: many('e', 3) };

function harness(yaml: string) {
  const config = configFrom(yaml, { VAULT_ADDR: 'http://127.0.0.1:1' });
  const aws = memoryAws(config);
  const store = new MemoryMergeStore();
  const run = (sources: Sources, options: { dryRun?: boolean; limits?: GuardrailLimits } = {}) =>
    runOnce(config, aws, store, sources, options);
  const writes = () =>
    aws.secretsManager.calls.filter(
      (call) => !['ListSecrets', 'BatchGetSecretValue', 'GetSecretValue'].includes(call.operation),
    );
  const exists = async (account: string, name: string) => {
    try {
      await aws.clientIn(account).send(new GetSecretValueCommand({ SecretId: name }));
      return true;
    } catch {
      return false;
    }
  };
  return { config, aws, store, run, writes, exists };
}

function runOnce(
  config: Config,
  aws: ReturnType<typeof memoryAws>,
  store: MemoryMergeStore,
  sources: Sources,
  options: { dryRun?: boolean; limits?: GuardrailLimits },
): Promise<PipelineReport> {
  return runOverFakes(config, aws.target, store, sources, {
    options: {
      runId: 'guard-run',
      dryRun: options.dryRun ?? false,
      continueOnError: true,
      mergeParallel: 1,
      syncParallel: 1,
      guardrails: options.limits ?? {
        ...NO_LIMITS,
        runMaxDeletes: config.pipeline.runMaxDeletes,
        runMaxChanges: config.pipeline.runMaxChanges,
      },
    },
  });
}

const syncOf = (report: PipelineReport, name: string) =>
  report.targets.find((target) => target.name === name)?.sync;

describe('max_deletes and max_changes', () => {
  it('refuses a target whose plan deletes more than max_deletes, reports the plan and writes nothing', async () => {
    const { run, writes, exists } = harness(YAML(', max_deletes: 2'));
    await run(FULL);
    const before = writes().length;
    const report = await run({ common: many('c', 2), extra: FULL.extra ?? {} });
    expect(syncOf(report, 'Staging')).toMatchObject({
      status: 'failed',
      applied: false,
      counts: { removed: 3, unchanged: 2 },
      error: { code: 'guardrail_exceeded', fault: 'user' },
    });
    expect(problemOf(syncOf(report, 'Staging'))).toBe(
      'the plan for Staging deletes 3 secret(s), more than max_deletes 2 allows: nothing was written for it. ' +
        "If this is intended, raise pipeline.sync.max_deletes (or the target's max_deletes), or pass --max-deletes 3 for this run",
    );
    expect(writes().length).toBe(before);
    // The run's totals count only what was applied: the refused plan adds nothing.
    expect(report.totals).toMatchObject({ removed: 0, failedTargets: 1 });
    expect(await exists(STG, 'stg/c4')).toBe(true);
    expect(syncOf(report, 'Other')?.status).toBe('ok');
  });

  it('lets a target override the pipeline limit, and the flag override both', async () => {
    const yaml = YAML(', max_changes: 1').replace(
      'secret_prefix: other/}',
      'secret_prefix: other/, max_changes: 10}',
    );
    const { run, exists } = harness(yaml);
    const first = await run(FULL);
    expect(syncOf(first, 'Staging')?.status).toBe('failed');
    expect(problemOf(syncOf(first, 'Staging'))).toContain(
      'changes 5 secret(s), more than max_changes 1',
    );
    expect(syncOf(first, 'Other')?.status).toBe('ok');
    expect(await exists(STG, 'stg/c0')).toBe(false);
    const allowed = await run(FULL, { limits: { ...NO_LIMITS, maxChanges: 5 } });
    expect(syncOf(allowed, 'Staging')).toMatchObject({ status: 'ok', applied: true });
    expect(await exists(STG, 'stg/c0')).toBe(true);
  });

  it('refuses in a dry run too, so the dry run predicts the real one', async () => {
    const { run, writes } = harness(YAML(', max_changes: 4'));
    const report = await run(FULL, { dryRun: true });
    expect(syncOf(report, 'Staging')).toMatchObject({
      status: 'failed',
      applied: false,
      error: { code: 'guardrail_exceeded' },
    });
    expect(syncOf(report, 'Other')?.status).toBe('ok');
    expect(writes()).toEqual([]);
  });

  it('counts the run budget across targets and refuses the target that would exceed it', async () => {
    const { run, exists } = harness(YAML(', run_max_changes: 6'));
    const report = await run(FULL);
    // Targets of one level sync in name order with syncParallel 1: Other (3), then Staging (5).
    expect(syncOf(report, 'Other')?.status).toBe('ok');
    expect(syncOf(report, 'Staging')).toMatchObject({
      status: 'failed',
      applied: false,
      error: { code: 'guardrail_exceeded' },
    });
    expect(problemOf(syncOf(report, 'Staging'))).toBe(
      'the plan for Staging changes 5 secret(s); with 3 planned by earlier targets, the run would reach 8, more than run_max_changes 6 allows: nothing was written for Staging. ' +
        'If this is intended, raise pipeline.sync.run_max_changes, or pass --run-max-changes 8 for this run',
    );
    expect(await exists(OTHER, 'other/e0')).toBe(true);
    expect(await exists(STG, 'stg/c0')).toBe(false);
    expect(report.totals.failedTargets).toBe(1);
  });
});

describe('a source that returns no secrets', () => {
  it('refuses the target whose last sync wrote secrets: nothing is stored or deleted', async () => {
    const { run, writes, exists, store } = harness(YAML());
    await run(FULL);
    const storedBefore = store.stored('Staging');
    const before = writes().length;
    const report = await run({ common: {}, extra: FULL.extra ?? {} });
    const staging = report.targets.find((target) => target.name === 'Staging');
    expect(staging?.merge).toMatchObject({
      status: 'failed',
      error: { code: 'source_empty', fault: 'user' },
    });
    expect(problemOf(staging?.merge)).toBe(
      'source common (Vault mount "secret", path "common") returned no secrets, but the last sync of Staging wrote 5: nothing was stored or written for Staging ' +
        "(with delete_orphans its secrets would be deleted). Check the source's mount and path; if common is meant to be empty, " +
        'set sources.<name>.allow_empty or pipeline.allow_empty_sources to true',
    );
    expect(staging?.sync?.status).toBe('skipped');
    expect(writes().length).toBe(before);
    expect(store.stored('Staging')).toBe(storedBefore);
    expect(await exists(STG, 'stg/c0')).toBe(true);
    expect(syncOf(report, 'Other')?.status).toBe('ok');
  });

  it('accepts an empty source on the first run, and when allowed', async () => {
    const empty = { common: {}, extra: FULL.extra ?? {} };
    const first = harness(YAML());
    expect((await first.run(empty)).totals.failedTargets).toBe(0);
    const allowed = harness(YAML('', ', allow_empty_sources: true'));
    await allowed.run(FULL);
    const report = await allowed.run(empty);
    expect(syncOf(report, 'Staging')).toMatchObject({ status: 'ok', counts: { removed: 5 } });
    expect(await allowed.exists(STG, 'stg/c0')).toBe(false);
    const perSource = harness(
      YAML().replace('path: common}}', 'path: common}, allow_empty: true}'),
    );
    await perSource.run(FULL);
    expect((await perSource.run(empty)).totals.failedTargets).toBe(0);
  });
});
