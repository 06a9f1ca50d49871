import { startVaultServer } from '../../dev/vault-server/server.js';
import type { VaultServerOptions } from '../../dev/vault-server/server.js';

/** A policy rule: capabilities on a path prefix (`secret/data/app/*`). */
export interface PolicyRule {
  readonly path: string;
  readonly capabilities: readonly string[];
}

/**
 * The Vault the integration tests run against: our in-memory server by default, or a real Vault
 * (docker-compose.test.yml) when SECRETSYNC_TEST_VAULT_ADDR and SECRETSYNC_TEST_VAULT_TOKEN are
 * set. Tests arrange data through the real Vault API where one exists, so both work; features
 * only the local server has (fault injection, clock) are marked `local`.
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
  token(policies: readonly string[], options?: { ttl?: string; maxTtl?: string }): Promise<string>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Starts (or connects to) the Vault peer. */
export async function startVaultPeer(options: VaultServerOptions = {}): Promise<VaultPeer> {
  const external = process.env.SECRETSYNC_TEST_VAULT_ADDR;
  const server = external === undefined ? await startVaultServer(options) : undefined;
  const address = external ?? server?.address ?? '';
  const rootToken =
    external === undefined
      ? (server?.rootToken ?? 'root')
      : (process.env.SECRETSYNC_TEST_VAULT_TOKEN ?? '');
  const local = server !== undefined;
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
            ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
            ...(options.maxTtl === undefined ? {} : { max_ttl: options.maxTtl }),
          })
        : (
            (await expectOk('POST', 'auth/token/create', {
              policies,
              ttl: options.ttl,
              explicit_max_ttl: options.maxTtl,
              no_default_policy: true,
            })) as { auth: unknown }
          ).auth;
      return (body as { client_token: string }).client_token;
    },
    close: async () => {
      await server?.close();
    },
  };
}
