/**
 * `npm run bench`: runs each workload against a fresh local stack (Vault-compatible server and
 * moto, each behind a counting proxy), running the built CLI as a whole process per step, and
 * prints wall time, API calls by operation, calls per secret, writes, p50/p95 per operation and
 * the CLI's peak RSS. Results also go to bench/results/<scenario>.json.
 *
 * BENCH_SCALE (default 1; 0.05 under CI) scales the secret counts; BENCH_ONLY=w1,walk picks scenarios.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMotoServer } from '../dev/moto-server.js';
import { startVaultServer } from '../dev/vault-server/server.js';
import { startCountingProxy } from './counting-proxy.js';
import { drain, runCli } from './measure.js';
import { formatStep } from './report.js';
import type { StepResult } from './report.js';
import { SCENARIOS } from './scenarios.js';
import type { BenchContext, BenchScenario } from './scenarios.js';

const AWS_WRITES = [
  'secretsmanager.CreateSecret',
  'secretsmanager.PutSecretValue',
  'secretsmanager.TagResource',
  'secretsmanager.UntagResource',
  'secretsmanager.UpdateSecret',
  'secretsmanager.DeleteSecret',
  'secretsmanager.RestoreSecret',
];

async function runScenario(scenario: BenchScenario, scale: number): Promise<StepResult[]> {
  const [vault, moto] = await Promise.all([startVaultServer({ mounts: [] }), startMotoServer()]);
  const [vaultProxy, awsProxy] = await Promise.all([
    startCountingProxy(vault.address, 'vault'),
    startCountingProxy(moto.endpoint, 'aws'),
  ]);
  const control = async (path: string, body: unknown) => {
    const response = await fetch(`${vault.address}/_dev/${path}`, {
      method: 'POST',
      headers: { 'x-vault-token': vault.rootToken },
      body: JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`seeding failed: ${path} ${response.status} ${await response.text()}`);
  };
  const context: BenchContext = {
    scale,
    mount: (path) => control('mounts', { path, version: 2 }),
    seed: async (mount, secrets) => {
      const entries = Object.entries(secrets);
      for (let i = 0; i < entries.length; i += 2000)
        await control('secrets', {
          mount,
          secrets: Object.fromEntries(entries.slice(i, i + 2000)),
        });
    },
  };
  const results: StepResult[] = [];
  try {
    await context.mount('merged');
    const folder = mkdtempSync(join(tmpdir(), 'secretsync-bench-'));
    const configPath = join(folder, `${scenario.name}.yaml`);
    writeFileSync(configPath, await scenario.setup(context));
    const env = {
      VAULT_ADDR: vaultProxy.url,
      VAULT_TOKEN: vault.rootToken,
      AWS_ENDPOINT_URL: awsProxy.url,
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_REGION: 'us-east-1',
      SECRETSYNC_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
      // BENCH_CLI_NODE_OPTIONS=--max-old-space-size=96 shows whether a peak is live data or garbage.
      ...(process.env.BENCH_CLI_NODE_OPTIONS === undefined
        ? {}
        : { NODE_OPTIONS: process.env.BENCH_CLI_NODE_OPTIONS }),
    };
    const secrets = scenario.secrets(scale);
    for (const step of scenario.steps) {
      await step.before?.(context);
      drain(vaultProxy.stats);
      drain(awsProxy.stats);
      const run = await runCli(
        ['pipeline', '--config', configPath, '--output', 'json', ...step.args],
        env,
      );
      const vaultOps = drain(vaultProxy.stats);
      const awsOps = drain(awsProxy.stats);
      const calls = [...Object.values(vaultOps), ...Object.values(awsOps)].reduce(
        (sum, op) => sum + op.count,
        0,
      );
      const writes = AWS_WRITES.reduce((sum, op) => sum + (awsOps[op]?.count ?? 0), 0);
      const result: StepResult = {
        scenario: scenario.name,
        step: step.name,
        scale,
        secrets,
        wallMs: run.wallMs,
        exitCode: run.exitCode,
        peakRssMb: run.peakRssMb,
        calls,
        callsPerSecret: Math.round((calls / secrets) * 100) / 100,
        writes,
        vault: vaultOps,
        aws: awsOps,
        summary: summarize(run.stdout),
        targetMs: step.targetMs,
        expectedWrites: step.expectedWrites,
        expectedLists: step.expectedLists?.(scale),
        readBudget: step.readBudget === true,
      };
      results.push(result);
      process.stdout.write(formatStep(result));
    }
  } finally {
    await Promise.all([vaultProxy.close(), awsProxy.close()]);
    await Promise.all([vault.close(), moto.close()]);
  }
  return results;
}

/** Totals from the JSON report, plus each distinct kind of error (request ids and paths folded). */
function summarize(json: string): string {
  try {
    const report = JSON.parse(json) as {
      totals: Record<string, number>;
      targets: {
        merge: { error?: { message: string }; reason?: string } | null;
        sync: {
          error?: { message: string };
          reason?: string;
          failures?: { error: string }[];
        } | null;
      }[];
    };
    const messages = report.targets.flatMap((t) => [
      t.merge?.error?.message,
      t.sync?.error?.message,
      ...(t.sync?.failures ?? []).map((f) => f.error),
    ]);
    const kinds = new Map<string, number>();
    for (const message of messages) {
      if (typeof message !== 'string') continue;
      const kind = message
        .replace(/\[req=[^\]]+\] /, '')
        .replace(/"[^"]*"/g, '"…"')
        .replace(/\d+/g, 'N');
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const totals = Object.entries(report.totals)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ');
    const errors = [...kinds].sort(([, a], [, b]) => b - a).map(([kind, n]) => `${n}x ${kind}`);
    return errors.length === 0 ? totals : `${totals}; errors: ${errors.slice(0, 4).join(' | ')}`;
  } catch {
    return json.slice(0, 300);
  }
}

async function main(): Promise<void> {
  const scale = Number(process.env.BENCH_SCALE ?? (process.env.CI === 'true' ? '0.05' : '1'));
  const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
  const chosen = SCENARIOS.filter((scenario) => only.length === 0 || only.includes(scenario.name));
  mkdirSync('bench/results', { recursive: true });
  let failed = false;
  for (const scenario of chosen) {
    process.stdout.write(
      `\n# ${scenario.name}: ${scenario.description} (scale ${scale}, ${scenario.secrets(scale)} secrets)\n`,
    );
    const results = await runScenario(scenario, scale);
    writeFileSync(
      `bench/results/${scenario.name}.json`,
      `${JSON.stringify({ scenario: scenario.name, node: process.version, date: new Date().toISOString(), results }, null, 2)}\n`,
    );
    failed ||= results.some(
      (result) =>
        result.exitCode !== 0 ||
        (result.expectedWrites !== undefined && result.writes !== result.expectedWrites),
    );
  }
  // The bench reports; it fails only when a run broke or wrote what it must not (not on timing).
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
