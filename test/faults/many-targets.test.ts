import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { runCliCaptured } from '../support/cli-run.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';
import { startAwsFaultProxy } from './aws-fault-proxy.js';

const TARGETS = 50;
const SECRETS = 12;
const SYNC_PARALLEL = 3;
/** Write calls in flight per account and region (pipeline.sync.write_concurrency's default). */
const WRITE_CONCURRENCY = 8;

let vault: VaultPeer;
let aws: AwsPeer;
let proxy: Awaited<ReturnType<typeof startAwsFaultProxy>>;

beforeAll(async () => {
  [vault, aws] = await Promise.all([startVaultPeer(), startAwsPeer()]);
  proxy = await startAwsFaultProxy(aws.endpoint);
  await vault.mount('shared', 2);
  await vault.mount('merged', 2);
  await vault.seed(
    'shared',
    Object.fromEntries(Array.from({ length: SECRETS }, (_, i) => [`app/s${i}`, { i }])),
  );
}, 60_000);
afterAll(async () => {
  await proxy.close();
  await Promise.all([vault.close(), aws.close()]);
});

describe('50 targets in one run', () => {
  it('keeps AWS requests in flight bounded and finishes every target', async () => {
    const targets = Array.from(
      { length: TARGETS },
      (_, i) =>
        `  T${String(i).padStart(2, '0')}: {account_id: '${String(100_000_000_000 + (i % 10)).padStart(12, '0')}', imports: [shared], secret_prefix: t${i}/}`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'secretsync-many-'));
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      `vault: {address: '\${VAULT_ADDR}'}\nsources: {shared: {vault: {mount: shared}}}\nmerge_store: {vault: {mount: merged}}\npipeline: {merge: {parallel: 4}, sync: {parallel: ${SYNC_PARALLEL}}}\ntargets:\n${targets.join('\n')}\n`,
    );
    const env = {
      VAULT_ADDR: vault.address,
      VAULT_TOKEN: vault.rootToken,
      AWS_ENDPOINT_URL: proxy.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      SECRETSYNC_LOG_LEVEL: 'error',
    };
    const memoryBefore = process.memoryUsage().rss;
    const result = await runCliCaptured(['pipeline', '-c', config, '-o', 'json'], env);
    const report = JSON.parse(result.stdout) as {
      totals: { added: number; failed_targets: number };
      targets: { name: string; sync: { status: string; duration_ms: number } }[];
    };
    expect(result.code).toBe(0);
    expect(report.totals).toMatchObject({ added: TARGETS * SECRETS, failed_targets: 0 });
    expect(report.targets.every((t) => t.sync.status === 'ok')).toBe(true);
    // Bounded: never more than parallel targets x writes per target at once (+ a little for STS/list).
    expect(proxy.load.maxInFlight).toBeLessThanOrEqual(
      SYNC_PARALLEL * WRITE_CONCURRENCY + SYNC_PARALLEL,
    );
    // Fair: no target waits on a starved queue — the slowest target is within a small factor of the median.
    const durations = report.targets.map((t) => t.sync.duration_ms).sort((a, b) => a - b);
    const median = durations[Math.floor(durations.length / 2)] ?? 0;
    expect(durations.at(-1) ?? 0).toBeLessThan(Math.max(2_000, median * 10));
    const grownMb = (process.memoryUsage().rss - memoryBefore) / 1024 / 1024;
    process.stdout.write(
      `50 targets: max ${proxy.load.maxInFlight} AWS requests in flight, sync durations median ${median} ms, max ${durations.at(-1) ?? 0} ms, RSS grew ${grownMb.toFixed(1)} MB\n`,
    );
  }, 240_000);
});
