import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * `secretsync_run_info{run_id="..."} 1`: the run id of the report and of every log line, on one
 * info gauge only (a label on every series would make a new series set per run).
 */
export function recordRunInfo(registry: Registry, runId: string): void {
  new Gauge({
    name: 'secretsync_run_info',
    help: 'The run this process is doing; run_id matches the report and the logs',
    labelNames: ['run_id'] as const,
    registers: [registry],
  }).set({ run_id: runId }, 1);
}
