import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createExternalCaller } from '../../src/resilience/external-caller.js';
import { captureStream } from './capture-stream.js';

/** Logger (captured), metrics and the call wrapper as the CLI builds them, with quick retries. */
export function testRuntime(config?: Config) {
  const logs = captureStream();
  const logger = createLogger({ level: 'debug', format: 'json', destination: logs });
  const metrics = createMetrics();
  const breaker = config?.circuitBreaker ?? {
    enabled: true,
    failureThreshold: 5,
    intervalMs: 10_000,
    timeoutMs: 30_000,
    maxRequests: 1,
  };
  const { call, breakers } = createExternalCaller({
    breaker,
    logger,
    metrics,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 100 },
    timeoutMs: 10_000,
  });
  return { logs, logger, metrics, call, breakers };
}

/** A normalized config from YAML text (the same loader the CLI uses). */
export function configFrom(yaml: string, env: Record<string, string> = {}): Config {
  return parseConfig(yaml, 'test.yaml', env).config;
}

/** Sum of a counter's samples whose labels contain every given `key="value"`. */
export async function counterValue(
  metrics: ReturnType<typeof createMetrics>,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await metrics.registry.getSingleMetricAsString(name);
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && wanted.every((label) => line.includes(label)))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}
