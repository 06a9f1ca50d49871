import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { OperationStats } from './counting-proxy.js';

/** What one CLI run cost. */
export interface RunMeasure {
  readonly wallMs: number;
  readonly exitCode: number;
  readonly peakRssMb: number;
  readonly stdout: string;
}

/** Runs the built CLI as a whole process (argument array, no shell) and tracks its peak RSS. */
export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<RunMeasure> {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/src/main.js', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peakKb = 0;
  // VmHWM is the peak resident set so far; the last sample before exit is the run's peak.
  const sampler = setInterval(() => {
    readFile(`/proc/${child.pid ?? 0}/status`, 'utf8')
      .then((status) => {
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, kb);
      })
      .catch(() => undefined);
  }, 20);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(sampler);
      if (code !== 0 && code !== 1) process.stderr.write(stderr);
      // BENCH_STDERR=path keeps the CLI's log for a closer look at a failed step.
      if (process.env.BENCH_STDERR !== undefined) appendFileSync(process.env.BENCH_STDERR, stderr);
      resolve({
        wallMs: Math.round(performance.now() - started),
        exitCode: code ?? -1,
        peakRssMb: Math.round(peakKb / 102.4) / 10,
        stdout,
      });
    });
  });
}

/** p-th percentile (0-100) of a list of numbers, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return (
    Math.round(
      (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0) * 10,
    ) / 10
  );
}

/** A snapshot of per-operation counts and latency percentiles, then cleared for the next step. */
export function drain(
  stats: Map<string, OperationStats>,
): Record<string, { count: number; p50: number; p95: number }> {
  const result: Record<string, { count: number; p50: number; p95: number }> = {};
  for (const [operation, entry] of [...stats].sort(([a], [b]) => a.localeCompare(b))) {
    result[operation] = {
      count: entry.count,
      p50: percentile(entry.durationsMs, 50),
      p95: percentile(entry.durationsMs, 95),
    };
  }
  stats.clear();
  return result;
}
