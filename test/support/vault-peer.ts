import { startTokenReview } from '../../dev/token-review/server.js';
import type { RunningTokenReview } from '../../dev/token-review/server.js';
import { serviceAccountJwt } from '../../dev/token-review/jwt.js';
import { startRealVault } from '../../dev/vault-peer.js';
import type { RunningRealVault } from '../../dev/vault-peer.js';
import { kubernetesAuthConfig, waitForKvV2 } from '../../dev/vault-peer-setup.js';
import { startVaultServer } from '../../dev/vault-server/server.js';
import type { RunningVaultServer, VaultServerOptions } from '../../dev/vault-server/server.js';

/** A policy rule: capabilities on a path prefix (`secret/data/app/*`). */
export interface PolicyRule {
  readonly path: string;
  readonly capabilities: readonly string[];
}

/** Which Vault the tests talk to, decided once per run from the environment. */
export type VaultPeerKind = 'local' | 'real' | 'external';

/**
 * `real` when SECRETSYNC_TEST_VAULT=real (`npm run test:real-vault`: a real Vault 1.14.0 built
 * from test/peers/vault, one per test file), `external` when SECRETSYNC_TEST_VAULT_ADDR is set
 * (docker-compose.test.yml), else `local` (our in-memory server).
 */
export const VAULT_PEER_KIND: VaultPeerKind =
  process.env.SECRETSYNC_TEST_VAULT === 'real'
    ? 'real'
    : process.env.SECRETSYNC_TEST_VAULT_ADDR === undefined
      ? 'local'
      : 'external';

/** Options of a Kubernetes role that works on both peers. */
export interface KubernetesRoleOptions {
  readonly role: string;
  readonly policies: readonly string[];
  readonly ttl?: string;
  /** Service account the JWT stands for; default `default/secretsync`. */
  readonly serviceAccount?: { readonly namespace: string; readonly name: string };
}

/**
 * The Vault the integration tests run against: our in-memory server by default, a real Vault
 * started per test file (VAULT_PEER_KIND `real`), or an external one (docker-compose.test.yml)
 * when SECRETSYNC_TEST_VAULT_ADDR and SECRETSYNC_TEST_VAULT_TOKEN are set. Tests arrange data
 * through the real Vault API where one exists, so all work; features only the local server has
 * (fault injection, clock) are marked `local`.
 */
export interface VaultPeer {
  readonly address: string;
  readonly rootToken: string;
  /** True for our in-memory server (control surface available). */
  readonly local: boolean;
  api(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: unknown }>;
  mount(path: string, version: 1 | 2): Promise<void>;
  seed(mount: string, secrets: Readonly<Record<string, Record<string, unknown>>>): Promise<void>;
  policy(name: string, rules: readonly PolicyRule[]): Promise<void>;
  token(
    policies: readonly string[],
    options?: { ttl?: string; maxTtl?: string; id?: string },
  ): Promise<string>;
  /** Creates an AppRole role with a fixed role_id and secret_id, through the API or `/_dev/`. */
  approleRole(role: {
    name: string;
    roleId: string;
    secretId: string;
    policies: readonly string[];
    ttl?: string;
    maxTtl?: string;
  }): Promise<void>;
  /** Creates a Kubernetes auth role and returns a service-account JWT it accepts. */
  kubernetesRole(options: KubernetesRoleOptions): Promise<string>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Starts (or connects to) the Vault peer. */
export async function startVaultPeer(options: VaultServerOptions = {}): Promise<VaultPeer> {
  const external = process.env.SECRETSYNC_TEST_VAULT_ADDR;
  const server: RunningVaultServer | RunningRealVault | undefined =
    VAULT_PEER_KIND === 'external'
      ? undefined
      : VAULT_PEER_KIND === 'real'
        ? await startRealVault(realOptions())
        : await startVaultServer(options);
  const address = server?.address ?? external ?? '';
  const rootToken = server?.rootToken ?? process.env.SECRETSYNC_TEST_VAULT_TOKEN ?? '';
  const local = VAULT_PEER_KIND === 'local';
  let tokenReview: RunningTokenReview | undefined;
  const api: VaultPeer['api'] = async (method, path, body, token = rootToken) => {
    const response = await fetch(`${address}/v1/${path}`, {
      method,
      headers: { 'x-vault-token': token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  };
  const expectOk = async (method: string, path: string, body?: unknown) => {
    const result = await api(method, path, body);
    if (result.status >= 300)
      throw new Error(`${method} ${path}: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  };
  const control = async (method: string, path: string, body?: unknown) => {
    if (!local)
      throw new Error('the control surface exists only on the local Vault-compatible server');
    const response = await fetch(`${address}/_dev/${path}`, {
      method,
      headers: { 'x-vault-token': rootToken, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300)
      throw new Error(`_dev ${method} ${path}: ${response.status} ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };
  return {
    address,
    rootToken,
    local,
    api,
    control,
    mount: async (path, version) => {
      const result = await api('POST', `sys/mounts/${path}`, {
        type: 'kv',
        options: { version: String(version) },
      });
      if (result.status >= 300 && !JSON.stringify(result.body).includes('already in use'))
        throw new Error(`mount ${path}: ${result.status}`);
      if (version === 2) await waitForKvV2(address, rootToken, path);
    },
    approleRole: async (role) => {
      if (local) {
        await control('POST', 'approle/roles', {
          role_name: role.name,
          role_id: role.roleId,
          secret_id: role.secretId,
          policies: role.policies,
          ...(role.ttl === undefined ? {} : { ttl: role.ttl }),
          ...(role.maxTtl === undefined ? {} : { max_ttl: role.maxTtl }),
        });
        return;
      }
      await expectOk('POST', `auth/approle/role/${role.name}`, {
        token_policies: role.policies,
        token_ttl: role.ttl,
        token_max_ttl: role.maxTtl,
      });
      await expectOk('POST', `auth/approle/role/${role.name}/role-id`, { role_id: role.roleId });
      await expectOk('POST', `auth/approle/role/${role.name}/custom-secret-id`, {
        secret_id: role.secretId,
      });
    },
    kubernetesRole: async (options) => {
      const account = options.serviceAccount ?? { namespace: 'default', name: 'secretsync' };
      const uid = `uid-${options.role}-${account.namespace}-${account.name}`;
      const jwt = serviceAccountJwt({ ...account, uid });
      if (local) {
        await control('POST', 'kubernetes/roles', {
          role: options.role,
          jwt,
          policies: options.policies,
          service_account_name: account.name,
          service_account_namespace: account.namespace,
          ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
        });
        return jwt;
      }
      tokenReview ??= await pointKubernetesAuthAtOwnReview(expectOk, server);
      tokenReview.accept(jwt, { ...account, uid });
      await expectOk('POST', `auth/kubernetes/role/${options.role}`, {
        bound_service_account_names: [account.name],
        bound_service_account_namespaces: [account.namespace],
        token_policies: options.policies,
        token_ttl: options.ttl,
      });
      return jwt;
    },
    seed: async (mount, secrets) => {
      if (local) {
        await control('POST', 'secrets', { mount, secrets });
        return;
      }
      const entries = Object.entries(secrets);
      for (let i = 0; i < entries.length; i += 32) {
        await Promise.all(
          entries
            .slice(i, i + 32)
            .map(([path, data]) => expectOk('POST', `${mount}/data/${path}`, { data })),
        );
      }
    },
    policy: async (name, rules) => {
      if (local) {
        await control('POST', 'policies', { name, rules });
        return;
      }
      const hcl = rules
        .map(
          (rule) => `path "${rule.path}" { capabilities = ${JSON.stringify(rule.capabilities)} }`,
        )
        .join('\n');
      await expectOk('PUT', `sys/policies/acl/${name}`, { policy: hcl });
    },
    token: async (policies, options = {}) => {
      const body = local
        ? await control('POST', 'tokens', {
            policies,
            ...(options.id === undefined ? {} : { id: options.id }),
            ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
            ...(options.maxTtl === undefined ? {} : { max_ttl: options.maxTtl }),
          })
        : (
            (await expectOk('POST', 'auth/token/create', {
              policies,
              id: options.id,
              ttl: options.ttl,
              explicit_max_ttl: options.maxTtl,
            })) as { auth: unknown }
          ).auth;
      return (body as { client_token: string }).client_token;
    },
    close: async () => {
      await Promise.all([
        server?.close(),
        VAULT_PEER_KIND === 'external' ? tokenReview?.close() : undefined,
      ]);
    },
  };
}

function realOptions(): { binary?: string } {
  const binary = process.env.SECRETSYNC_TEST_VAULT_BIN;
  return binary === undefined ? {} : { binary };
}

/** The real peer has its own TokenReview endpoint; an external Vault gets one of ours. */
async function pointKubernetesAuthAtOwnReview(
  expectOk: (method: string, path: string, body?: unknown) => Promise<unknown>,
  server: RunningVaultServer | RunningRealVault | undefined,
): Promise<RunningTokenReview> {
  if (server !== undefined && 'tokenReview' in server) return server.tokenReview;
  const review = await startTokenReview();
  await expectOk('POST', 'sys/auth/kubernetes', { type: 'kubernetes' }).catch(() => undefined);
  await expectOk('POST', 'auth/kubernetes/config', kubernetesAuthConfig(review.address));
  return review;
}
