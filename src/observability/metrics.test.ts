import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, recordRequest } from './metrics.js';
import { startMetricsServer } from './metrics-server.js';
import type { MetricsServer } from './metrics-server.js';

const REQUIRED = [
  'secretsync_vault_request_duration_seconds',
  'secretsync_vault_requests_total',
  'secretsync_vault_errors_total',
  'secretsync_vault_secrets_total',
  'secretsync_aws_request_duration_seconds',
  'secretsync_aws_requests_total',
  'secretsync_aws_errors_total',
  'secretsync_aws_pagination_calls_total',
  'secretsync_pipeline_duration_seconds',
  'secretsync_merge_duration_seconds',
  'secretsync_sync_duration_seconds',
  'secretsync_secrets_synced_total',
  'secretsync_circuit_breaker_state',
];

/** Parses Prometheus text exposition into `name -> [{labels, value}]`. */
function parseExposition(text: string): Map<string, { labels: string; value: number }[]> {
  const samples = new Map<string, { labels: string; value: number }[]>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)/.exec(line);
    if (match === null) throw new Error(`unparseable exposition line: ${line}`);
    const [, name = '', labels = '', value = ''] = match;
    samples.set(name, [...(samples.get(name) ?? []), { labels, value: Number(value) }]);
  }
  return samples;
}

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('metrics endpoint', () => {
  it('serves every required metric with its labels, the breaker gauge and runtime metrics', async () => {
    const metrics = createMetrics();
    recordRequest(metrics, { kind: 'vault' }, 'vault.list', 'ok', 0.02);
    recordRequest(metrics, { kind: 'vault' }, 'vault.read', 'access_denied', 0.01);
    recordRequest(
      metrics,
      { kind: 'aws' as const, service: 'secretsmanager' },
      'aws.list_secrets',
      'throttled',
      0.2,
    );
    metrics.vaultSecrets.inc(3);
    metrics.awsPagination.inc({ service: 'secretsmanager', operation: 'aws.list_secrets' });
    metrics.pipelineDuration.observe(1.5);
    metrics.mergeDuration.observe(0.5);
    metrics.syncDuration.observe(0.7);
    metrics.secretsSynced.inc({ action: 'create' }, 2);
    metrics.breakerState.set({ dependency: 'vault:test' }, 2);
    server = await startMetricsServer(metrics.registry, 0, '127.0.0.1');

    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const samples = parseExposition(await response.text());
    const names = [...samples.keys()].map((name) => name.replace(/_(bucket|sum|count)$/, ''));
    for (const name of REQUIRED) expect(names).toContain(name);
    expect(samples.get('secretsync_vault_requests_total')).toEqual([
      { labels: '{operation="vault.list"}', value: 1 },
      { labels: '{operation="vault.read"}', value: 1 },
    ]);
    expect(samples.get('secretsync_vault_errors_total')).toEqual([
      { labels: '{type="access_denied"}', value: 1 },
    ]);
    expect(samples.get('secretsync_aws_errors_total')).toEqual([
      { labels: '{service="secretsmanager",type="throttled"}', value: 1 },
    ]);
    expect(samples.get('secretsync_circuit_breaker_state')).toEqual([
      { labels: '{dependency="vault:test"}', value: 2 },
    ]);
    expect(samples.has('process_cpu_user_seconds_total')).toBe(true);
    expect(samples.has('nodejs_heap_size_used_bytes')).toBe(true);
  });

  it('answers /health and 404 elsewhere', async () => {
    server = await startMetricsServer(createMetrics().registry, 0, '127.0.0.1');
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${server.url}/other`)).status).toBe(404);
  });

  it('says clearly when the port is taken', async () => {
    server = await startMetricsServer(createMetrics().registry, 0, '127.0.0.1');
    const port = Number(new URL(server.url).port);
    await expect(startMetricsServer(createMetrics().registry, port, '127.0.0.1')).rejects.toThrow(
      `cannot start the metrics endpoint: port ${port} on 127.0.0.1 is already in use: choose another with --metrics-port or METRICS_PORT`,
    );
  });

  it('keeps registries separate per process start (no module globals)', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.vaultSecrets.inc();
    expect(
      await second.registry.getSingleMetricAsString('secretsync_vault_secrets_total'),
    ).toContain('secretsync_vault_secrets_total 0');
  });
});
