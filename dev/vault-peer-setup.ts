import { setTimeout as delay } from 'node:timers/promises';
import { startTokenReview } from './token-review/server.js';
import type { RunningTokenReview } from './token-review/server.js';

/** What `configureVaultPeer` set up besides the mounts. */
export interface ConfiguredVaultPeer {
  /** The loopback TokenReview endpoint `auth/kubernetes` asks on every login. */
  readonly tokenReview: RunningTokenReview;
}

/** The mounts every real peer gets, as `vault server -dev` plus what the tests use. */
export const REAL_PEER_MOUNTS = [
  { path: 'secret', version: 2 },
  { path: 'kv1', version: 1 },
] as const;

const KV_READY_TIMEOUT_MS = 30_000;

/**
 * Makes a fresh peer look like a Vault dev server for the tests: KV v2 at `secret/` (the in-
 * memory test core mounts v1 there), a KV v1 mount, AppRole at `auth/approle`, and Kubernetes
 * auth at `auth/kubernetes` pointed at a loopback TokenReview endpoint of ours.
 */
export async function configureVaultPeer(
  address: string,
  token: string,
): Promise<ConfiguredVaultPeer> {
  const call = vaultCaller(address, token);
  await call('DELETE', 'sys/mounts/secret');
  for (const mount of REAL_PEER_MOUNTS) {
    await call('POST', `sys/mounts/${mount.path}`, {
      type: 'kv',
      options: { version: String(mount.version) },
    });
    if (mount.version === 2) await waitForKvV2(address, token, mount.path);
  }
  await call('POST', 'sys/auth/approle', { type: 'approle' });
  await call('POST', 'sys/auth/kubernetes', { type: 'kubernetes' });
  const tokenReview = await startTokenReview();
  try {
    await call('POST', 'auth/kubernetes/config', kubernetesAuthConfig(tokenReview.address));
  } catch (error) {
    await tokenReview.close();
    throw error;
  }
  return { tokenReview };
}

/**
 * `auth/kubernetes/config` for a TokenReview endpoint of ours. Outside a pod the plugin must not
 * read the pod's CA file (it fails the write when that is missing), and with
 * `disable_local_ca_jwt` it wants some CA text; plain http on loopback never uses it, and a PEM
 * without certificates only makes Vault log a warning.
 */
export function kubernetesAuthConfig(tokenReviewAddress: string): Record<string, unknown> {
  return {
    kubernetes_host: tokenReviewAddress,
    disable_local_ca_jwt: true,
    kubernetes_ca_cert: 'unused: the TokenReview endpoint is plain http on loopback',
  };
}

/**
 * Waits until a just-enabled KV v2 mount serves requests: Vault's KV v2 answers "Upgrading from
 * non-versioned to versioned data" for a moment after the mount is created.
 */
export async function waitForKvV2(address: string, token: string, mount: string): Promise<void> {
  const deadline = Date.now() + KV_READY_TIMEOUT_MS;
  for (;;) {
    const response = await fetch(`${address}/v1/${mount}/config`, {
      headers: { 'x-vault-token': token },
    });
    await response.text();
    if (response.status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`KV v2 mount ${mount}/ not ready: ${response.status}`);
    await delay(50);
  }
}

type VaultCall = (method: string, path: string, body?: unknown) => Promise<unknown>;

function vaultCaller(address: string, token: string): VaultCall {
  return async (method, path, body) => {
    const response = await fetch(`${address}/v1/${path}`, {
      method,
      headers: { 'x-vault-token': token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300)
      throw new Error(`Vault peer setup: ${method} ${path} → ${response.status} ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };
}
