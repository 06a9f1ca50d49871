/**
 * Seed data for `examples/secretsync.yaml`. Every value is fake and says so; none is a real
 * credential format, so secret scanners stay quiet.
 */

/** A JSON value as Vault KV stores it. */
export type SeedValue =
  string | number | boolean | null | SeedValue[] | { [key: string]: SeedValue };

/** One KV v2 secret to write. */
export interface VaultSeedSecret {
  readonly mount: string;
  /** Path below the mount, without a leading slash. */
  readonly path: string;
  readonly data: Readonly<Record<string, SeedValue>>;
}

/** One member account to create in the Sandbox OU. */
export interface SeedAccount {
  readonly name: string;
  readonly email: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Closed after creation, so discovery must skip it as SUSPENDED. */
  readonly close: boolean;
}

/** The KV v2 mounts the example config reads from and merges into. */
export const VAULT_SEED_MOUNTS: readonly string[] = ['secret', 'analytics', 'merged'];

const common = (path: string, data: Record<string, SeedValue>): VaultSeedSecret => ({
  mount: 'secret',
  path: `common/${path}`,
  data,
});

const analytics = (path: string, data: Record<string, SeedValue>): VaultSeedSecret => ({
  mount: 'analytics',
  path,
  data,
});

/** Secrets of the `common` source (`secret/common/`) and the `analytics` source (mount root). */
export const VAULT_SEED_SECRETS: readonly VaultSeedSecret[] = [
  // The two config/database secrets overlap on purpose, so merging them shows deep-merge rules.
  common('config/database', { host: 'a', port: 5432, tags: ['analytics', 'database'] }),
  common('api/keys', {
    payments: { publishable: 'fake-payments-publishable-key', secret: 'fake-payments-secret-key' },
    email: { api_key: 'fake-email-api-key', region: 'us-east-1' },
    maps: { api_key: 'fake-maps-api-key' },
  }),
  common('app/feature-flags', { new_checkout: true, beta_dashboard: false, rollout_percent: 25 }),
  common('config/cache', { host: 'cache.internal.example', port: 6379, tls: true, db: 0 }),
  common('oauth/sso-client', {
    client_id: 'fake-client-id-0001',
    client_secret: 'fake-client-secret-not-real',
    redirect_uris: ['https://app.example.com/callback', 'http://localhost:3000/callback'],
  }),
  common('smtp/credentials', {
    host: 'smtp.example.com',
    port: 587,
    username: 'mailer@example.com',
    password: 'fake-smtp-password',
  }),
  common('queues/orders', { url: 'https://queue.example.com/orders', max_batch: 10, fifo: true }),
  analytics('config/database', {
    host: 'b',
    port: 5433,
    ssl: true,
    tags: ['engineering', 'database', 'extra-tag'],
  }),
  analytics('warehouse/credentials', {
    account: 'fake-warehouse-account',
    username: 'analytics_loader',
    password: 'fake-warehouse-password',
    warehouse: 'ANALYTICS_WH',
    role: 'LOADER',
  }),
  analytics('dashboards/config', {
    refresh_seconds: 300,
    default_dashboard: 'overview',
    widgets: ['revenue', 'signups', 'churn'],
    sharing: { public: false, teams: ['growth', 'finance'] },
  }),
];

/** Name of the OU that the example's dynamic target discovers. */
export const SANDBOX_OU_NAME = 'Sandbox';

/** Accounts in the Sandbox OU: one that discovery should find, one suspended, one filtered out. */
export const SEED_ACCOUNTS: readonly SeedAccount[] = [
  {
    name: 'sandbox-alpha',
    email: 'sandbox-alpha@example.com',
    tags: { Environment: 'sandbox' },
    close: false,
  },
  {
    name: 'sandbox-beta',
    email: 'sandbox-beta@example.com',
    tags: { Environment: 'sandbox' },
    close: true,
  },
  { name: 'dev-gamma', email: 'dev-gamma@example.com', tags: { Environment: 'dev' }, close: false },
];
