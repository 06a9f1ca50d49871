import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAccountJwt } from '../../dev/token-review/jwt.js';
import { control } from '../../dev/vault-server/http-test-client.js';
import { startVaultServer } from '../../dev/vault-server/server.js';
import type { RunningVaultServer } from '../../dev/vault-server/server.js';
import { startRealVault } from '../../dev/vault-peer.js';
import type { RunningRealVault } from '../../dev/vault-peer.js';
import { VAULT_PEER_KIND } from '../support/vault-peer.js';

/**
 * Sends the same requests to our Vault-compatible server and to the real Vault peer and compares
 * what comes back: status, error texts, and the keys of the envelope and its `data`/`auth`.
 * Every difference found this way is recorded in dev/vault-server/SPEC.md ("Checked against a
 * real Vault") and fixed at its source.
 */

interface Step {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** `null` = no token, `bad` = an unknown token, `limited` = LIMITED_TOKEN; default root. */
  readonly token?: null | 'bad' | 'limited';
  readonly headers?: Readonly<Record<string, string>>;
  /** Compare `errors` texts exactly (default true). */
  readonly exactErrors?: boolean;
}

/** What is compared of one answer. */
interface Observed {
  readonly status: number;
  readonly errors?: readonly string[];
  readonly keys?: readonly string[];
  readonly dataKeys?: readonly string[];
  readonly authKeys?: readonly string[];
  readonly listKeys?: readonly string[];
  /** JSON type of each field of `data` (and of `data.metadata`), e.g. `null` against `object`. */
  readonly dataTypes?: Readonly<Record<string, string>>;
}

const STEPS: readonly Step[] = [
  { name: 'health', method: 'GET', path: 'sys/health', token: null },
  { name: 'kv2 write', method: 'POST', path: 'secret/data/app/db', body: { data: { u: 1 } } },
  { name: 'kv2 write 2', method: 'PUT', path: 'secret/data/app/api', body: { data: { k: 2 } } },
  { name: 'kv2 read', method: 'GET', path: 'secret/data/app/db' },
  { name: 'kv2 read version', method: 'GET', path: 'secret/data/app/db?version=1' },
  { name: 'kv2 read missing', method: 'GET', path: 'secret/data/nope' },
  { name: 'kv2 read missing version', method: 'GET', path: 'secret/data/app/db?version=9' },
  { name: 'kv2 list root', method: 'GET', path: 'secret/metadata/?list=true' },
  { name: 'kv2 list folder', method: 'LIST', path: 'secret/metadata/app' },
  { name: 'kv2 list missing', method: 'GET', path: 'secret/metadata/none/?list=true' },
  { name: 'kv2 metadata', method: 'GET', path: 'secret/metadata/app/db' },
  { name: 'kv2 metadata missing', method: 'GET', path: 'secret/metadata/nope' },
  {
    name: 'kv2 cas mismatch',
    method: 'POST',
    path: 'secret/data/app/db',
    body: { data: { u: 2 }, options: { cas: 0 } },
  },
  { name: 'kv2 no data', method: 'POST', path: 'secret/data/app/x', body: {} },
  { name: 'kv2 soft delete', method: 'DELETE', path: 'secret/data/app/api' },
  { name: 'kv2 read deleted', method: 'GET', path: 'secret/data/app/api' },
  { name: 'kv2 list after delete', method: 'LIST', path: 'secret/metadata/app/' },
  { name: 'kv2 destroy', method: 'PUT', path: 'secret/destroy/app/api', body: { versions: [1] } },
  { name: 'kv2 read destroyed', method: 'GET', path: 'secret/data/app/api' },
  { name: 'kv2 delete metadata', method: 'DELETE', path: 'secret/metadata/app/api' },
  { name: 'kv2 config', method: 'GET', path: 'secret/config' },
  { name: 'kv2 unsupported path', method: 'GET', path: 'secret/nothing-here' },
  { name: 'kv2 wrong method', method: 'PATCH', path: 'secret/config', body: {} },
  { name: 'kv1 write', method: 'POST', path: 'kv1/app/cfg', body: { mode: 'v1' } },
  { name: 'kv1 read', method: 'GET', path: 'kv1/app/cfg' },
  { name: 'kv1 list', method: 'LIST', path: 'kv1/app' },
  { name: 'kv1 read missing', method: 'GET', path: 'kv1/app/none' },
  { name: 'kv1 delete', method: 'DELETE', path: 'kv1/app/cfg' },
  { name: 'ui mounts kv2', method: 'GET', path: 'sys/internal/ui/mounts/secret/app/db' },
  { name: 'ui mounts kv1', method: 'GET', path: 'sys/internal/ui/mounts/kv1' },
  { name: 'ui mounts none (root)', method: 'GET', path: 'sys/internal/ui/mounts/nomount/x' },
  {
    name: 'ui mounts none (no token)',
    method: 'GET',
    path: 'sys/internal/ui/mounts/nomount/x',
    token: null,
  },
  { name: 'mount taken', method: 'POST', path: 'sys/mounts/secret', body: { type: 'kv' } },
  { name: 'mount bad type', method: 'POST', path: 'sys/mounts/x', body: { type: 'nope' } },
  { name: 'mount read', method: 'GET', path: 'sys/mounts/secret' },
  { name: 'mount read missing', method: 'GET', path: 'sys/mounts/none' },
  { name: 'no mount at path', method: 'GET', path: 'nomount/x' },
  { name: 'no token', method: 'GET', path: 'secret/data/app/db', token: null },
  { name: 'bad token', method: 'GET', path: 'secret/data/app/db', token: 'bad' },
  { name: 'lookup-self', method: 'GET', path: 'auth/token/lookup-self' },
  { name: 'lookup-self bad', method: 'GET', path: 'auth/token/lookup-self', token: 'bad' },
  {
    name: 'token create',
    method: 'POST',
    path: 'auth/token/create',
    body: { policies: ['default'], ttl: '1h' },
  },
  {
    name: 'token create hvs id',
    method: 'POST',
    path: 'auth/token/create',
    body: { id: 'hvs.custom', policies: ['default'] },
  },
  {
    name: 'token create dotted id',
    method: 'POST',
    path: 'auth/token/create',
    body: { id: 'a.b', policies: ['default'] },
  },
  { name: 'renew root', method: 'POST', path: 'auth/token/renew-self', body: {} },
  ...[
    ['approle wrong role_id', { role_id: 'nope', secret_id: 'nope' }],
    ['approle wrong secret_id', { role_id: 'rid', secret_id: 'nope' }],
    ['approle no secret_id', { role_id: 'rid' }],
    ['approle no role_id', {}],
    ['approle login', { role_id: 'rid', secret_id: 'sid' }],
  ].map(([name, body]) => ({
    name: name as string,
    method: 'POST',
    path: 'auth/approle/login',
    body,
    token: null,
  })),
  { name: 'policy denies read', method: 'GET', path: 'secret/data/app/api', token: 'limited' },
  { name: 'policy denies list', method: 'LIST', path: 'secret/metadata/', token: 'limited' },
  { name: 'policy allows read', method: 'GET', path: 'secret/data/app/db', token: 'limited' },
  { name: 'lookup-self limited', method: 'GET', path: 'auth/token/lookup-self', token: 'limited' },
  {
    name: 'renew not renewable',
    method: 'POST',
    path: 'auth/token/renew-self',
    body: {},
    token: 'limited',
  },
  {
    name: 'ui mounts no access',
    method: 'GET',
    path: 'sys/internal/ui/mounts/kv1',
    token: 'limited',
  },
  { name: 'sys/mounts no access', method: 'GET', path: 'sys/mounts', token: 'limited' },
  { name: 'sys/mounts list', method: 'GET', path: 'sys/mounts' },
  {
    name: 'kubernetes unknown role',
    method: 'POST',
    path: 'auth/kubernetes/login',
    body: { role: 'nope', jwt: 'x' },
    token: null,
  },
  // Not compared: `X-Vault-Namespace`. Vault 1.14 OSS ignores the header (and reads the root
  // namespace); our server keeps namespaces as Vault Enterprise and OpenBao 2.3+ have them.
];

const LIMITED_TOKEN = 'limitedtoken0001';
const LIMITED_POLICY = { path: 'secret/data/app/db', capabilities: ['read'] } as const;
const K8S_JWT = serviceAccountJwt({ namespace: 'default', name: 'sa', uid: 'uid-1' });

const shouldCompare = VAULT_PEER_KIND === 'real';
let ours: RunningVaultServer;
let real: RunningRealVault;

beforeAll(async () => {
  if (!shouldCompare) return;
  [ours, real] = await Promise.all([
    startVaultServer({
      mounts: [
        { path: 'secret', version: 2 },
        { path: 'kv1', version: 1 },
      ],
    }),
    startRealVault(),
  ]);
  await arrangeOurs(ours);
  await arrangeReal(real);
  for (const server of [ours, real]) {
    const created = await send(server, {
      name: 'limited token',
      method: 'POST',
      path: 'auth/token/create',
      body: { id: LIMITED_TOKEN, policies: ['limited'], ttl: '1h', renewable: false },
    });
    expect(created.status).toBe(200);
  }
});

/** AppRole role r1 (role_id rid, secret_id sid), Kubernetes role k1, policy `limited`. */
async function arrangeOurs(server: RunningVaultServer): Promise<void> {
  await control(server, 'POST', 'approle/roles', {
    role_name: 'r1',
    role_id: 'rid',
    secret_id: 'sid',
    policies: ['limited'],
  });
  await control(server, 'POST', 'kubernetes/roles', { role: 'k1', jwt: K8S_JWT });
  await control(server, 'POST', 'policies', { name: 'limited', rules: [LIMITED_POLICY] });
}

async function arrangeReal(server: RunningRealVault): Promise<void> {
  const steps: [string, unknown][] = [
    ['auth/approle/role/r1', { token_policies: ['limited'] }],
    ['auth/approle/role/r1/role-id', { role_id: 'rid' }],
    ['auth/approle/role/r1/custom-secret-id', { secret_id: 'sid' }],
    [
      'auth/kubernetes/role/k1',
      { bound_service_account_names: ['sa'], bound_service_account_namespaces: ['default'] },
    ],
    [
      'sys/policies/acl/limited',
      { policy: `path "${LIMITED_POLICY.path}" { capabilities = ["read"] }` },
    ],
  ];
  for (const [path, body] of steps) {
    const result = await send(server, { name: path, method: 'POST', path, body });
    expect(result.status, path).toBeLessThan(300);
  }
}
afterAll(async () => {
  if (!shouldCompare) return;
  await Promise.all([ours.close(), real.close()]);
});

describe('our Vault-compatible server against a real Vault 1.14.0', () => {
  it.skipIf(!shouldCompare)(
    'answers every probe as the real one does (run by npm run test:real-vault)',
    async () => {
      const differences: string[] = [];
      for (const step of STEPS) {
        const [mine, theirs] = [await send(ours, step), await send(real, step)];
        const a = JSON.stringify(mine);
        const b = JSON.stringify(theirs);
        if (a !== b)
          differences.push(`${step.name} ${step.method} ${step.path}\n  ours: ${a}\n  real: ${b}`);
      }
      expect(differences.join('\n')).toBe('');
    },
  );
});

async function send(server: { address: string; rootToken: string }, step: Step): Promise<Observed> {
  const headers: Record<string, string> = { ...step.headers };
  const tokens = { bad: 'hvs.unknown000000000000000000', limited: LIMITED_TOKEN };
  if (step.token !== null)
    headers['x-vault-token'] = step.token === undefined ? server.rootToken : tokens[step.token];
  if (step.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.address}/v1/${step.path}`, {
    method: step.method,
    headers,
    ...(step.body === undefined ? {} : { body: JSON.stringify(step.body) }),
  });
  const text = await response.text();
  return observe(response.status, text === '' ? undefined : (JSON.parse(text) as unknown), step);
}

function observe(status: number, body: unknown, step: Step): Observed {
  if (typeof body !== 'object' || body === null) return { status };
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.errors)) {
    return step.exactErrors === false ? { status } : { status, errors: record.errors as string[] };
  }
  const keysOf = (value: unknown) =>
    typeof value === 'object' && value !== null ? Object.keys(value).sort() : undefined;
  const data = record.data as Record<string, unknown> | null | undefined;
  return {
    status,
    keys: keysOf(record) ?? [],
    ...(data === undefined || data === null ? {} : { dataKeys: keysOf(data) ?? [] }),
    ...(keysOf(record.auth) === undefined ? {} : { authKeys: keysOf(record.auth) ?? [] }),
    ...(Array.isArray(data?.keys) ? { listKeys: data.keys as string[] } : {}),
    ...(data === undefined || data === null ? {} : { dataTypes: typesOf(data) }),
  };
}

function typesOf(data: Record<string, unknown>): Record<string, string> {
  const types: Record<string, string> = {};
  const typeOf = (value: unknown) =>
    value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  for (const [key, value] of Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1))) {
    types[key] = typeOf(value);
    if (key === 'metadata' && typeof value === 'object' && value !== null) {
      for (const [inner, innerValue] of Object.entries(value))
        types[`metadata.${inner}`] = typeOf(innerValue);
    }
  }
  return types;
}
