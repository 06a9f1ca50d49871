import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../dev/moto-server.js';
import { startPushgateway } from '../../dev/pushgateway.js';
import type { RunningPushgateway } from '../../dev/pushgateway.js';
import { seedVault } from '../../dev/seed.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { runBuiltCli } from '../support/built-cli.js';
import { peerEnv } from '../support/cli-run.js';
import { parseSamples, samplesOf } from '../support/exposition.js';
import type { Sample } from '../support/exposition.js';
import { pushgatewayForTests } from '../support/pushgateway-peer.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

/*
 * The built CLI pushes a run's metrics to a real Prometheus Pushgateway (test/peers/pushgateway),
 * and the series are read back from the Pushgateway's own /metrics, as Prometheus scrapes them.
 */
const CONFIG = 'examples/secretsync.yaml';
const peer = pushgatewayForTests();
if ('skip' in peer) process.stderr.write(`\n${peer.skip}\n\n`);

const ALL = { job: 'secretsync', targets: 'all', mode: 'full', dry_run: 'false' };
let vault: VaultPeer;
let aws: AwsPeer;
let gateway: RunningPushgateway;
let env: Record<string, string>;

function pipeline(...args: string[]) {
  return runBuiltCli(['pipeline', '-c', CONFIG, '--log-format', 'json', ...args], env);
}

async function scrape(): Promise<Sample[]> {
  return parseSamples(await gateway.scrape());
}

describe.skipIf('skip' in peer)('pipeline --pushgateway against a real Pushgateway', () => {
  beforeAll(async () => {
    const binary = 'binary' in peer ? peer.binary : '';
    [vault, aws, gateway] = await Promise.all([
      startVaultPeer(),
      startAwsPeer(),
      startPushgateway({ binary }),
    ]);
    await seedVault(vault.address, vault.rootToken);
    env = peerEnv(vault, aws.endpoint);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([vault.close(), aws.close(), gateway.close()]);
  });

  it('pushes the run as job secretsync grouped by its targets; the counts are the report’s', async () => {
    const result = await pipeline('-o', 'json', '--pushgateway', gateway.url);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { totals: { added: number; modified: number } };
    expect(report.totals.added).toBeGreaterThan(0);
    const samples = await scrape();
    const created = samplesOf(samples, 'secretsync_secrets_synced_total', {
      ...ALL,
      action: 'create',
    });
    expect(created.map((s) => s.value)).toEqual([report.totals.added]);
    expect(samplesOf(samples, 'secretsync_pipeline_duration_seconds_count', ALL)).toHaveLength(1);
    expect(samplesOf(samples, 'secretsync_pipeline_duration_seconds_count', ALL)[0]?.value).toBe(1);
    expect(samplesOf(samples, 'push_failure_time_seconds', ALL)[0]?.value).toBe(0);
    expect(samplesOf(samples, 'push_time_seconds', ALL)[0]?.value).toBeGreaterThan(0);
    expect(result.stderr).toContain(`pushed the run's metrics to ${gateway.url}`);
  });

  it('a later run replaces its own group (PUT) and leaves other groups alone', async () => {
    const staging = await pipeline(
      '--targets',
      'Staging',
      '--dry-run',
      '--pushgateway',
      gateway.url,
    );
    expect(staging.code).toBe(0);
    const again = await pipeline('--pushgateway', gateway.url);
    expect(again.code).toBe(0);
    const samples = await scrape();
    // The second full run changed nothing: the first run's create series is gone from its group.
    expect(samplesOf(samples, 'secretsync_secrets_synced_total', ALL)).toEqual([]);
    expect(samplesOf(samples, 'secretsync_vault_requests_total', ALL).length).toBeGreaterThan(0);
    const stagingGroup = { job: 'secretsync', targets: 'Staging', mode: 'full', dry_run: 'true' };
    expect(samplesOf(samples, 'push_time_seconds', stagingGroup)).toHaveLength(1);
  });

  it('pushes the metrics of a run whose targets failed, and the exit code stays the run’s', async () => {
    const result = await runBuiltCli(
      ['pipeline', '-c', CONFIG, '--targets', 'Analytics', '--pushgateway', gateway.url],
      { ...env, VAULT_TOKEN: 'not-a-valid-token' },
    );
    expect(result.code).toBe(1);
    const samples = await scrape();
    const group = { job: 'secretsync', targets: 'Analytics', mode: 'full', dry_run: 'false' };
    const errors = samplesOf(samples, 'secretsync_vault_errors_total', group);
    expect(errors.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThan(0);
  });

  it('a Pushgateway that is down only warns, naming its URL without the password; exit 0', async () => {
    const down = `http://127.0.0.1:${await findFreePort()}`;
    const withPassword = down.replace('http://', 'http://bot:pushpa55@');
    const result = await pipeline('--pushgateway', withPassword, '--exit-code');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `could not push the run's metrics to the Pushgateway at ${down}`,
    );
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stdout + result.stderr).not.toContain('pushpa55');
  });
});
