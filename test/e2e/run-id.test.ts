import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../dev/moto-server.js';
import { seedVault } from '../../dev/seed.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { peerEnv } from '../support/cli-run.js';
import { startDelayProxy } from '../support/delay-proxy.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

// One run id per run: the report's, every JSON log line's and the metrics' run_info label agree.
let vault: VaultPeer;
let aws: AwsPeer;

beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  await seedVault(vault.address, vault.rootToken);
}, 60_000);
afterAll(async () => {
  await Promise.all([vault.close(), aws.close()]);
});

interface ScrapedRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly metrics: string;
}

/** Runs the built CLI with the metrics port from SECRETSYNC_METRICS_PORT, scraping as it runs. */
async function scrapedRun(vaultAddress: string, args: readonly string[]): Promise<ScrapedRun> {
  const port = await findFreePort('127.0.0.1');
  const child = spawn(process.execPath, ['dist/src/main.js', ...args], {
    env: peerEnv({ address: vaultAddress, rootToken: vault.rootToken }, aws.endpoint, {
      SECRETSYNC_METRICS_PORT: String(port),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let metrics = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setInterval(() => {
    fetch(`http://127.0.0.1:${port}/metrics`)
      .then(async (response) => {
        metrics = await response.text();
      })
      .catch(() => undefined);
  }, 15);
  return new Promise((resolve) =>
    child.on('close', () => {
      clearInterval(timer);
      resolve({ stdout, stderr, metrics });
    }),
  );
}

describe('run id', () => {
  it('is the same on the report, every log line and the metrics', async () => {
    // Hold the first Vault answers back so the run outlives a few scrapes.
    const proxy = vault.local ? undefined : await startDelayProxy(vault.address, 400, 2);
    if (vault.local) await vault.control('POST', 'faults', { path: '.*', delay_ms: 400, count: 2 });
    const run = await scrapedRun(proxy?.url ?? vault.address, [
      'pipeline',
      '-c',
      'examples/secretsync.yaml',
      '--dry-run',
      '-o',
      'json',
      '--log-format',
      'json',
    ]).finally(() => proxy?.close());
    const reportId = (JSON.parse(run.stdout) as { run_id: string }).run_id;
    expect(reportId).toMatch(/^[0-9a-f-]{36}$/);
    const logIds = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { run_id?: string }).run_id);
    expect(logIds.length).toBeGreaterThan(5);
    expect(new Set(logIds)).toEqual(new Set([reportId]));
    expect(run.metrics, `no scrape landed; the CLI said:\n${run.stderr.slice(-2000)}`).toContain(
      `secretsync_run_info{run_id="${reportId}"} 1`,
    );
    // The run id is on the info gauge only, not on every series.
    expect(run.metrics.split(reportId)).toHaveLength(2);
  });
});
