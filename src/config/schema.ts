import { z } from 'zod';
import { metricsSchema } from './schema-metrics.js';
import { vaultAuthSchema } from './schema-vault-auth.js';

/*
 * The config file's shape, strict: an unknown key anywhere is an error. Shorthand forms of the
 * earlier implementation are unions here (so the generated JSON Schema shows them to editors);
 * normalize.ts turns them into one form. Cross-field checks live in rules.ts, and defaults in
 * defaults.ts (the one table normalize.ts and the JSON Schema read), not here.
 */

const positiveInt = (what: string) =>
  z
    .int({ error: `${what} must be a whole number` })
    .positive({ error: `${what} must be greater than 0` });

/** A duration such as `10s`, `1m30s`, `500ms`, or a number of seconds. */
const duration = z
  .union([z.string(), z.number()])
  .describe('A duration: 10s, 1m30s, 500ms, 2h, or seconds');

const stringMap = z.record(z.string(), z.string());
/** A guardrail: at most this many secrets per plan (0 allows none); unset means no limit. */
const secretLimit = (what: string) =>
  z
    .int({ error: `${what} must be a whole number` })
    .min(0, { error: `${what} must be 0 or more` })
    .optional();
/** Account ids may be written unquoted; the loader keeps their digits as written. */
const accountId = z
  .union([z.string(), z.number()])
  .transform(String)
  .describe('A 12-digit AWS account id (quote it to keep leading zeros)');

const logSchema = z.strictObject({
  level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  format: z.enum(['json', 'text']).optional(),
});

const vaultSchema = z.strictObject({
  address: z.string().optional(),
  namespace: z.string().optional(),
  auth: vaultAuthSchema.optional(),
  ca_cert: z.string().optional(),
  tls_server_name: z.string().optional(),
  allow_insecure_http: z.boolean().optional(),
  max_traversal_depth: positiveInt('max_traversal_depth').optional(),
  max_secrets_per_mount: positiveInt('max_secrets_per_mount').optional(),
  queue_compaction_threshold: positiveInt('queue_compaction_threshold').optional(),
  concurrency: positiveInt('concurrency').optional(),
});

const ouSchema: z.ZodType<OuCompat> = z.lazy(() =>
  z.strictObject({
    id: z.string().optional(),
    accounts: z.array(z.string()).optional(),
    children: z.record(z.string(), ouSchema).optional(),
  }),
);
interface OuCompat {
  id?: string | undefined;
  accounts?: string[] | undefined;
  children?: Record<string, OuCompat> | undefined;
}

const awsSchema = z.strictObject({
  region: z.string().optional(),
  endpoint: z.string().optional(),
  execution_context: z
    .strictObject({
      type: z.enum(['management_account', 'delegated_admin', 'hub_account']).optional(),
      account_id: accountId.optional(),
      custom_role_pattern: z.string().optional(),
      delegation: z.strictObject({ services: z.array(z.string()).optional() }).optional(),
    })
    .optional(),
  control_tower: z
    .strictObject({
      enabled: z.boolean().optional(),
      execution_role: z
        .strictObject({ name: z.string().optional(), path: z.string().optional() })
        .optional(),
      account_factory: z
        .strictObject({
          enabled: z.boolean().optional(),
          on_account_creation: z.boolean().optional(),
          aft_integration: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
  default_role_name: z.string().optional(),
  external_id: z.string().optional(),
  session_duration: duration.optional(),
  organizations: z
    .strictObject({
      auto_discover: z.boolean().optional(),
      root_id: z.string().optional(),
      ous: z.record(z.string(), ouSchema).optional(),
    })
    .optional(),
  identity_center: z
    .strictObject({
      enabled: z.boolean().optional(),
      auto_discover: z.boolean().optional(),
      instance_arn: z.string().optional(),
      identity_store_id: z.string().optional(),
    })
    .optional(),
});

const vaultSourceSchema = z.strictObject({
  mount: z.string().min(1, { error: 'mount must not be empty' }),
  path: z.string().optional(),
  paths: z.array(z.string()).optional(),
  address: z.string().optional(),
  namespace: z.string().optional(),
  max_traversal_depth: positiveInt('max_traversal_depth').optional(),
  max_secrets_per_mount: positiveInt('max_secrets_per_mount').optional(),
  queue_compaction_threshold: positiveInt('queue_compaction_threshold').optional(),
});

const awsSourceSchema = z.strictObject({
  account_id: accountId,
  region: z.string().optional(),
  prefix: z.string().optional(),
  tags: stringMap.optional(),
  role_arn: z.string().optional(),
});

const sourceSchema = z.strictObject({
  vault: vaultSourceSchema.optional(),
  aws: awsSourceSchema.optional(),
  allow_empty: z
    .boolean()
    .optional()
    .describe(
      'Let this source return no secrets even where the last sync wrote some (overrides pipeline.allow_empty_sources)',
    ),
});

const mergeStoreSchema = z.strictObject({
  vault: z.strictObject({ mount: z.string().min(1) }).optional(),
  s3: z
    .strictObject({
      bucket: z.string(),
      prefix: z.string().optional(),
      kms_key_id: z.string().optional(),
      region: z.string().optional(),
    })
    .optional(),
});

/** Settings a static and a dynamic target share: where and how secrets are written. */
const destinationFields = {
  region: z.string().optional(),
  secret_prefix: z.string().optional(),
  role_arn: z.string().optional(),
  tags: stringMap.optional(),
  kms_key_id: z.string().optional(),
  description: z.string().optional(),
  delete_orphans: z.boolean().optional(),
  max_deletes: secretLimit('max_deletes').describe(
    "Refuse this target's sync before apply when its plan deletes more secrets (overrides pipeline.sync.max_deletes)",
  ),
  max_changes: secretLimit('max_changes').describe(
    "Refuse this target's sync before apply when its plan changes more secrets (overrides pipeline.sync.max_changes)",
  ),
  allow_shared_prefix: z
    .boolean()
    .optional()
    .describe(
      'Let this target write into an account and region where another target uses an overlapping secret_prefix',
    ),
  allow_cross_account_role: z
    .boolean()
    .optional()
    .describe(
      "Let role_arn be a role in another account than account_id (or, on a dynamic target, a fixed account): the secrets go to the role's account, which the plan and report show",
    ),
};

const importList = z.array(z.string());

const targetSchema = z.union([
  importList.describe('Shorthand: the list of imports'),
  z.strictObject({ account_id: accountId.optional(), imports: importList, ...destinationFields }),
]);

const tagOperator = z.enum(['equals', 'contains', 'wildcard']);
const tagFilter = z.union([
  z.string(),
  z.array(z.string()),
  z.strictObject({
    operator: tagOperator.optional(),
    values: z.union([z.string(), z.array(z.string())]),
  }),
]);

const nameMatchingSchema = z.strictObject({
  strategy: z.enum(['exact', 'fuzzy', 'loose']).optional(),
  normalize_keys: z.boolean().optional(),
  case_insensitive: z.boolean().optional(),
  strip_prefixes: z.array(z.string()).optional(),
  strip_suffixes: z.array(z.string()).optional(),
});

const discoverySchema = z.strictObject({
  organizations: z
    .strictObject({
      ou: z.string().optional(),
      ous: z.array(z.string()).optional(),
      recursive: z.boolean().optional(),
      tags: z.record(z.string(), tagFilter).optional(),
      exclude_statuses: z.array(z.enum(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'])).optional(),
      name_matching: nameMatchingSchema.optional(),
    })
    .optional(),
  identity_center: z
    .strictObject({ group: z.string().optional(), permission_set: z.string().optional() })
    .optional(),
  accounts_list: z.strictObject({ source: z.string() }).optional(),
});

const dynamicTargetSchema = z.strictObject({
  discovery: discoverySchema,
  imports: importList,
  exclude: z.array(accountId).optional(),
  account_name_patterns: z
    .array(z.strictObject({ pattern: z.string(), target: z.string() }))
    .optional(),
  name_matching: nameMatchingSchema.optional(),
  ...destinationFields,
});

const pipelineSchema = z.strictObject({
  merge: z.strictObject({ parallel: positiveInt('parallel').optional() }).optional(),
  sync: z
    .strictObject({
      parallel: positiveInt('parallel').optional(),
      write_concurrency: positiveInt('write_concurrency')
        .optional()
        .describe(
          'Secrets Manager write calls in flight at once per AWS account and region, across all targets',
        ),
      writes_per_second: positiveInt('writes_per_second')
        .optional()
        .describe(
          'Secrets Manager write calls started per second per AWS account and region; the default is the service quota',
        ),
      delete_orphans: z.boolean().optional(),
      recovery_window_days: z.int().min(7).max(30).optional(),
      force_delete_without_recovery: z.boolean().optional(),
      max_deletes: secretLimit('max_deletes').describe(
        "Per target: refuse a target's sync before apply when its plan deletes more secrets; unset: no limit",
      ),
      max_changes: secretLimit('max_changes').describe(
        "Per target: refuse a target's sync before apply when its plan creates, updates, retags, restores or deletes more secrets; unset: no limit",
      ),
      run_max_deletes: secretLimit('run_max_deletes').describe(
        'Per run, across targets: refuse a target whose deletions would take the run past this; unset: no limit',
      ),
      run_max_changes: secretLimit('run_max_changes').describe(
        'Per run, across targets: refuse a target whose changes would take the run past this; unset: no limit',
      ),
    })
    .optional(),
  allow_empty_sources: z
    .boolean()
    .optional()
    .describe(
      "Let a source return no secrets where a target's last sync wrote some; false refuses that target before anything is stored or written",
    ),
  lock: z
    .strictObject({
      timeout: duration
        .optional()
        .describe(
          'How long a run waits for a target another run holds before failing that target; 0: fail at once (--lock-timeout)',
        ),
      ttl: duration
        .optional()
        .describe(
          'How long a lease lasts unless renewed (renewed every third of it); a crashed run blocks its targets at most this long',
        ),
    })
    .optional()
    .describe(
      'The run lock: each run holds a lease on its targets in the merge store while it writes',
    ),
  dry_run: z.boolean().optional(),
  continue_on_error: z.boolean().optional(),
  request_timeout: duration
    .optional()
    .describe('How long one Vault or AWS request may take before it is retried'),
  max_attempts: positiveInt('max_attempts')
    .optional()
    .describe('Attempts per request for throttling, 5xx, timeouts and network errors'),
});

const circuitBreakerSchema = z.strictObject({
  enabled: z.boolean().optional(),
  failure_threshold: positiveInt('failure_threshold').optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  max_requests: positiveInt('max_requests').optional(),
});

/** The whole config file as written (before defaults, env fill and shorthand expansion). */
export const configFileSchema = z
  .strictObject({
    log: logSchema.optional(),
    vault: vaultSchema.optional(),
    aws: awsSchema.optional(),
    sources: z.record(z.string(), sourceSchema).optional(),
    merge_store: mergeStoreSchema.optional(),
    targets: z.record(z.string(), targetSchema).optional(),
    dynamic_targets: z.record(z.string(), dynamicTargetSchema).optional(),
    pipeline: pipelineSchema.optional(),
    circuit_breaker: circuitBreakerSchema.optional(),
    metrics: metricsSchema.optional(),
  })
  .describe('SecretSync configuration file');

/** The parsed, not yet normalized config file. */
export type ConfigFile = z.infer<typeof configFileSchema>;
/** One target as written: shorthand import list or full object. */
export type TargetEntry = z.infer<typeof targetSchema>;
/** One dynamic target as written. */
export type DynamicTargetEntry = z.infer<typeof dynamicTargetSchema>;
/** A tag filter value as written: scalar, list, or `{operator, values}`. */
export type TagFilterEntry = z.infer<typeof tagFilter>;
