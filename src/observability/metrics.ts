import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Operation, OutcomeClass } from '../context/operation.js';

/** Which external system a call went to, as metric labels. */
export type DependencyLabels =
  { readonly kind: 'vault' } | { readonly kind: 'aws'; readonly service: string };

/** Circuit states as gauge values. */
export const BREAKER_STATE_VALUES = { closed: 0, half_open: 1, open: 2 } as const;

/** Latency buckets (seconds) sized for API calls: 5 ms to 30 s. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Phase buckets (seconds): 100 ms to 30 min. */
const PHASE_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800];

/**
 * Every metric SecretSync exposes (requirement 1), on a registry made per process start, never a
 * module global. Label values come from closed sets: operations, outcome classes, services,
 * dependency names from config — never a secret path or value.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics = {
    registry,
    vaultRequestDuration: new Histogram({
      name: 'secretsync_vault_request_duration_seconds',
      help: 'Duration of Vault API requests',
      labelNames: ['operation'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    vaultRequests: new Counter({
      name: 'secretsync_vault_requests_total',
      help: 'Vault API requests by operation',
      labelNames: ['operation'] as const,
      registers,
    }),
    vaultErrors: new Counter({
      name: 'secretsync_vault_errors_total',
      help: 'Failed Vault API requests by error type',
      labelNames: ['type'] as const,
      registers,
    }),
    vaultSecrets: new Counter({
      name: 'secretsync_vault_secrets_total',
      help: 'Secrets read from Vault',
      registers,
    }),
    awsRequestDuration: new Histogram({
      name: 'secretsync_aws_request_duration_seconds',
      help: 'Duration of AWS API requests',
      labelNames: ['service', 'operation'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    awsRequests: new Counter({
      name: 'secretsync_aws_requests_total',
      help: 'AWS API requests by service and operation',
      labelNames: ['service', 'operation'] as const,
      registers,
    }),
    awsErrors: new Counter({
      name: 'secretsync_aws_errors_total',
      help: 'Failed AWS API requests by service and error type',
      labelNames: ['service', 'type'] as const,
      registers,
    }),
    awsPagination: new Counter({
      name: 'secretsync_aws_pagination_calls_total',
      help: 'AWS list calls that fetched a further page',
      labelNames: ['service', 'operation'] as const,
      registers,
    }),
    pipelineDuration: new Histogram({
      name: 'secretsync_pipeline_duration_seconds',
      help: 'Duration of a whole pipeline run',
      buckets: PHASE_BUCKETS,
      registers,
    }),
    mergeDuration: new Histogram({
      name: 'secretsync_merge_duration_seconds',
      help: 'Duration of the merge phase of one target',
      buckets: PHASE_BUCKETS,
      registers,
    }),
    syncDuration: new Histogram({
      name: 'secretsync_sync_duration_seconds',
      help: 'Duration of the sync phase of one target',
      buckets: PHASE_BUCKETS,
      registers,
    }),
    secretsSynced: new Counter({
      name: 'secretsync_secrets_synced_total',
      help: 'Secrets written to AWS Secrets Manager by action',
      labelNames: ['action'] as const,
      registers,
    }),
    breakerState: new Gauge({
      name: 'secretsync_circuit_breaker_state',
      help: 'Circuit breaker state per dependency: 0 closed, 1 half-open, 2 open',
      labelNames: ['dependency'] as const,
      registers,
    }),
    breakerTransitions: new Counter({
      name: 'secretsync_circuit_breaker_transitions_total',
      help: 'Circuit breaker state changes',
      labelNames: ['dependency', 'to'] as const,
      registers,
    }),
  };
  return metrics;
}

/** The metric set of one process. */
export type Metrics = ReturnType<typeof createMetrics>;

/** Records one request attempt to Vault or AWS. */
export function recordRequest(
  metrics: Metrics,
  dependency: DependencyLabels,
  operation: Operation,
  outcome: OutcomeClass,
  seconds: number,
): void {
  if (dependency.kind === 'vault') {
    metrics.vaultRequests.inc({ operation });
    metrics.vaultRequestDuration.observe({ operation }, seconds);
    if (outcome !== 'ok') metrics.vaultErrors.inc({ type: outcome });
    return;
  }
  const labels = { service: dependency.service, operation };
  metrics.awsRequests.inc(labels);
  metrics.awsRequestDuration.observe(labels, seconds);
  if (outcome !== 'ok') metrics.awsErrors.inc({ service: dependency.service, type: outcome });
}
