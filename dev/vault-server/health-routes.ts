import type { ApiMethod } from './api-request.js';
import type { Reply } from './responses.js';
import type { ServerMode, ServerState } from './server-state.js';

/** The Vault version the server claims; clients may compare it, so keep it a real release. */
export const VAULT_VERSION = '1.14.0';
/** Cluster name reported by `sys/health` and `sys/seal-status`. */
export const CLUSTER_NAME = 'vault-cluster-secretsync-dev';

/** Default status per mode and the query parameter that overrides it (api-docs sys/health). */
const HEALTH_CODES: Record<ServerMode, { param: string; status: number }> = {
  active: { param: 'activecode', status: 200 },
  standby: { param: 'standbycode', status: 429 },
  performance_standby: { param: 'performancestandbycode', status: 473 },
  sealed: { param: 'sealedcode', status: 503 },
  uninitialized: { param: 'uninitcode', status: 501 },
};

/** `GET|HEAD sys/health`: unauthenticated; the status carries the mode, the body the details. */
export function healthReply(state: ServerState, method: ApiMethod, query: URLSearchParams): Reply {
  const status = healthStatus(state.mode, query);
  if (method === 'HEAD') return { kind: 'empty', status };
  const sealed = state.mode === 'sealed' || state.mode === 'uninitialized';
  return {
    kind: 'json',
    status,
    body: {
      initialized: state.mode !== 'uninitialized',
      sealed,
      standby: sealed || state.mode === 'standby' || state.mode === 'performance_standby',
      performance_standby: state.mode === 'performance_standby',
      replication_performance_mode: 'disabled',
      replication_dr_mode: 'disabled',
      server_time_utc: Math.floor(state.clock.now() / 1000),
      version: VAULT_VERSION,
      cluster_name: CLUSTER_NAME,
      cluster_id: state.clusterId,
    },
  };
}

/** `GET sys/seal-status`: unauthenticated, answered even when sealed. */
export function sealStatusReply(state: ServerState): Reply {
  return {
    kind: 'json',
    status: 200,
    body: {
      type: 'shamir',
      initialized: state.mode !== 'uninitialized',
      sealed: state.mode === 'sealed' || state.mode === 'uninitialized',
      t: 1,
      n: 1,
      progress: 0,
      nonce: '',
      version: VAULT_VERSION,
      build_date: '2024-06-10T10:11:34Z',
      migration: false,
      recovery_seal: false,
      storage_type: 'inmem',
      cluster_name: CLUSTER_NAME,
      cluster_id: state.clusterId,
    },
  };
}

function healthStatus(mode: ServerMode, query: URLSearchParams): number {
  if (mode === 'standby' && isTrue(query.get('standbyok'))) return 200;
  if (mode === 'performance_standby' && isTrue(query.get('perfstandbyok'))) return 200;
  const { param, status } = HEALTH_CODES[mode];
  const override = Number(query.get(param) ?? Number.NaN);
  return Number.isInteger(override) && override >= 100 && override <= 599 ? override : status;
}

function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1' || value === '';
}
