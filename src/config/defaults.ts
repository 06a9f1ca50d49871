import type { z } from 'zod';
import { DEFAULT_EXCLUDED_STATUSES } from '../core/account-filters.js';
import type { configFileSchema } from './schema.js';

/*
 * The one table of config defaults, keyed like the YAML file. normalize.ts fills them in, the
 * JSON Schema carries each as `default` (json-schema.ts), and the configuration reference shows
 * them (generated from that schema). A default that depends on another setting or on the
 * environment (a target's region, VAULT_ADDR) is not a constant and lives in normalize.ts only.
 */

/** The config file as a person writes it: the shape the table mirrors. */
type ConfigInput = z.input<typeof configFileSchema>;

/**
 * Optional defaults shaped like `T`: a nested object recurses, anything else is a leaf value. In a
 * map, the key `<name>` stands for every entry; an empty object is a leaf (an empty map).
 */
export type DefaultsOf<T> = { readonly [K in keyof T]?: DefaultOf<NonNullable<T[K]>> };

/** The default of one key: a list or scalar as written, or the defaults of a nested object. */
type DefaultOf<V> = V extends readonly unknown[]
  ? Readonly<V>
  : V extends object
    ? DefaultsOf<V>
    : V;

/** Key for "every entry of this map" in {@link DEFAULTS}, as the configuration reference writes it. */
export const ANY_NAME = '<name>';

const nameMatching = {
  strategy: 'exact',
  case_insensitive: true,
  normalize_keys: false,
  strip_prefixes: [],
  strip_suffixes: [],
} as const;

/** Every constant default of the config file, by YAML key. */
export const DEFAULTS = {
  log: { level: 'info', format: 'text' },
  vault: {
    auth: {
      approle: { mount: 'approle' },
      kubernetes: {
        mount_path: 'kubernetes',
        token_path: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      },
      jwt: { mount: 'jwt' },
      aws: { mount: 'aws' },
    },
    allow_insecure_http: false,
    max_traversal_depth: 100,
    max_secrets_per_mount: 100_000,
    concurrency: 16,
  },
  aws: {
    region: 'us-east-1',
    control_tower: {
      enabled: false,
      execution_role: { name: 'AWSControlTowerExecution', path: '/' },
    },
    default_role_name: 'OrganizationAccountAccessRole',
    session_duration: '1h',
  },
  sources: { [ANY_NAME]: { vault: { paths: [] }, aws: { prefix: '', tags: {} } } },
  merge_store: { s3: { prefix: '' } },
  targets: {
    [ANY_NAME]: {
      secret_prefix: '',
      tags: {},
      allow_shared_prefix: false,
      allow_cross_account_role: false,
    },
  },
  dynamic_targets: {
    [ANY_NAME]: {
      discovery: {
        organizations: {
          recursive: false,
          tags: { [ANY_NAME]: { operator: 'equals' } },
          exclude_statuses: DEFAULT_EXCLUDED_STATUSES,
          name_matching: nameMatching,
        },
      },
      exclude: [],
      account_name_patterns: [],
      name_matching: nameMatching,
      secret_prefix: '',
      tags: {},
      allow_shared_prefix: false,
      allow_cross_account_role: false,
    },
  },
  pipeline: {
    merge: { parallel: 4 },
    sync: {
      parallel: 4,
      write_concurrency: 8,
      writes_per_second: 50,
      delete_orphans: false,
      recovery_window_days: 30,
      force_delete_without_recovery: false,
    },
    // On by default: a source path typo must not turn into "delete everything" (issue 15).
    allow_empty_sources: false,
    lock: { timeout: '0s', ttl: '2m' },
    dry_run: false,
    continue_on_error: true,
    request_timeout: '30s',
    max_attempts: 3,
  },
  circuit_breaker: {
    enabled: true,
    failure_threshold: 5,
    interval: '10s',
    timeout: '30s',
    max_requests: 1,
  },
} as const satisfies DefaultsOf<ConfigInput>;
