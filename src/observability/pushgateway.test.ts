import { afterEach, describe, expect, it } from 'vitest';
import { captureStream } from '../../test/support/capture-stream.js';
import { startScriptedServer } from '../../test/support/scripted-server.js';
import type { ScriptedServer } from '../../test/support/scripted-server.js';
import { findFreePort } from '../../dev/moto-server.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { displayUrl, pushGrouping, pushRunMetrics } from './pushgateway.js';

const RUN = { targets: [] as string[], mode: 'full', dryRun: false };

function jsonLogger() {
  const sink = captureStream();
  return { sink, logger: createLogger({ level: 'info', format: 'json', destination: sink }) };
}

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the Pushgateway grouping key', () => {
  it('is every target when none is selected', () => {
    expect(pushGrouping(RUN)).toEqual({ targets: 'all', mode: 'full', dry_run: 'false' });
  });

  it('names the selected targets sorted and once each, so the order of --targets does not matter', () => {
    const run = { targets: ['Staging', 'Analytics', 'Staging'], mode: 'sync-only', dryRun: true };
    expect(pushGrouping(run)).toEqual({
      targets: 'Analytics,Staging',
      mode: 'sync-only',
      dry_run: 'true',
    });
    expect(pushGrouping({ ...run, targets: ['Analytics', 'Staging'] })).toEqual(pushGrouping(run));
  });
});

describe('the Pushgateway URL as shown', () => {
  it('drops user, password, query and fragment', () => {
    expect(displayUrl('https://bot:s3cret@pg.example:9091/base/?token=t0k#x')).toBe(
      'https://pg.example:9091/base/',
    );
    expect(displayUrl('http://127.0.0.1:9091/')).toBe('http://127.0.0.1:9091');
    expect(displayUrl('not a url s3cret')).toBe('(an invalid URL)');
  });
});

describe('pushing the run metrics', () => {
  it('pushes nothing without a URL', async () => {
    const { sink, logger } = jsonLogger();
    expect(await pushRunMetrics(createMetrics().registry, undefined, RUN, logger)).toBe('off');
    expect(sink.text()).toBe('');
  });

  it('PUTs the whole registry to /metrics/job/secretsync/<grouping>', async () => {
    server = await startScriptedServer();
    const metrics = createMetrics();
    metrics.secretsSynced.inc({ action: 'create' }, 3);
    const { logger } = jsonLogger();
    const run = { targets: ['Staging'], mode: 'merge-only', dryRun: false };
    expect(await pushRunMetrics(metrics.registry, server.url, run, logger)).toBe('pushed');
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([
      ['PUT', '/metrics/job/secretsync/targets/Staging/mode/merge-only/dry_run/false'],
    ]);
  });

  it('warns, naming the Pushgateway and the fix, when it answers with an error', async () => {
    server = await startScriptedServer();
    server.script([{ status: 400, body: 'pushed metrics are invalid' }]);
    const { sink, logger } = jsonLogger();
    const url = server.url.replace('http://', 'http://bot:pa55word@');
    expect(await pushRunMetrics(createMetrics().registry, url, RUN, logger)).toBe('failed');
    const warning = JSON.parse(sink.lines()[0] ?? '{}') as Record<string, unknown>;
    expect(warning).toMatchObject({ level: 40, pushgateway: server.url });
    expect(String(warning.msg)).toContain(
      `Pushgateway at ${server.url} (push failed with status 400`,
    );
    expect(String(warning.msg)).toContain('drop --pushgateway');
    expect(sink.text()).not.toContain('pa55word');
  });

  it('gives up on a Pushgateway that does not answer in time', async () => {
    server = await startScriptedServer();
    server.script([{ delayMs: 2_000, status: 200 }]);
    const { sink, logger } = jsonLogger();
    const started = Date.now();
    expect(await pushRunMetrics(createMetrics().registry, server.url, RUN, logger, 200)).toBe(
      'failed',
    );
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(sink.text()).toContain('Pushgateway request timed out');
  });

  it('warns instead of throwing when nothing listens there', async () => {
    const url = `http://127.0.0.1:${await findFreePort()}`;
    const { sink, logger } = jsonLogger();
    expect(await pushRunMetrics(createMetrics().registry, url, RUN, logger)).toBe('failed');
    expect(sink.text()).toContain(`could not push the run's metrics to the Pushgateway at ${url}`);
    expect(sink.text()).toContain('ECONNREFUSED');
  });
});
