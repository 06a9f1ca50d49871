import { z } from 'zod';
import type { JsonObject } from '../core/json.js';
import type { Lease } from '../pipeline/ports.js';

const FORMAT = 'secretsync-lease/v1';

const storedLease = z.object({
  format: z.literal(FORMAT),
  holder: z.string(),
  host: z.string(),
  pid: z.number().int(),
  run_id: z.string(),
  started_at: z.string(),
  expires_at: z.string(),
  released: z.boolean(),
});

/** A lease as stored (snake_case keys, a format tag). */
export function encodeLease(lease: Lease): JsonObject {
  return {
    format: FORMAT,
    holder: lease.holder,
    host: lease.host,
    pid: lease.pid,
    run_id: lease.runId,
    started_at: lease.startedAt,
    expires_at: lease.expiresAt,
    released: lease.released,
  };
}

/** A stored lease, or undefined when the document is not one (it is then treated as free). */
export function decodeLease(data: unknown): Lease | undefined {
  const parsed = storedLease.safeParse(data);
  if (!parsed.success) return undefined;
  const stored = parsed.data;
  return {
    holder: stored.holder,
    host: stored.host,
    pid: stored.pid,
    runId: stored.run_id,
    startedAt: stored.started_at,
    expiresAt: stored.expires_at,
    released: stored.released,
  };
}
