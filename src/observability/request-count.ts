import type { Metrics } from './metrics.js';

/**
 * How many requests this process sent to Vault and AWS so far (every attempt, retries
 * included), as the request counters of the metrics registry count them.
 */
export async function requestsSent(metrics: Metrics): Promise<number> {
  const counters = await Promise.all([metrics.vaultRequests.get(), metrics.awsRequests.get()]);
  return counters.flatMap((counter) => counter.values).reduce((sum, { value }) => sum + value, 0);
}
