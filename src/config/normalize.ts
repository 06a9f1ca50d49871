import type { TagFilter } from '../core/account-filters.js';
import { defaultCompactionThreshold } from '../core/compaction.js';
import { parseDuration } from '../core/duration.js';
import type { DurationMs } from '../core/duration.js';
import type { Environment } from './env-substitution.js';
import { entriesOf } from './rule.js';
import type { ConfigFile, DynamicTargetEntry, TagFilterEntry, TargetEntry } from './schema.js';
import type {
  AwsSettings,
  Config,
  Destination,
  DynamicTarget,
  MergeStore,
  NameMatching,
  Source,
  Target,
  VaultAuth,
  VaultSettings,
} from './types.js';

const DEFAULT_REGION = 'us-east-1';

/** Fills defaults, expands shorthands and applies VAULT_* / AWS_REGION; input passed the rules. */
export function normalizeConfig(file: ConfigFile, env: Environment): Config {
  const vault = normalizeVault(file, env);
  const aws = normalizeAws(file, env);
  const sync = file.pipeline?.sync;
  const deleteOrphans = sync?.delete_orphans ?? false;
  return {
    log: { level: file.log?.level ?? 'info', format: file.log?.format ?? 'text' },
    vault,
    aws,
    sources: new Map(
      entriesOf(file.sources).map(([name, s]) => [name, normalizeSource(name, s, vault, aws)]),
    ),
    mergeStore: normalizeMergeStore(file, aws),
    targets: new Map(
      entriesOf(file.targets).map(([name, t]) => [
        name,
        normalizeTarget(name, t, aws, deleteOrphans),
      ]),
    ),
    dynamicTargets: new Map(
      entriesOf(file.dynamic_targets).map(([name, d]) => [
        name,
        normalizeDynamic(name, d, aws, deleteOrphans),
      ]),
    ),
    pipeline: {
      mergeParallel: file.pipeline?.merge?.parallel ?? 4,
      syncParallel: sync?.parallel ?? 4,
      writeConcurrency: sync?.write_concurrency ?? 8,
      writesPerSecond: sync?.writes_per_second ?? 50,
      deleteOrphans,
      recoveryWindowDays: sync?.recovery_window_days ?? 30,
      forceDeleteWithoutRecovery: sync?.force_delete_without_recovery ?? false,
      dryRun: file.pipeline?.dry_run ?? false,
      continueOnError: file.pipeline?.continue_on_error ?? true,
      requestTimeoutMs: durationOr(file.pipeline?.request_timeout, 30_000),
      maxAttempts: file.pipeline?.max_attempts ?? 3,
    },
    circuitBreaker: {
      enabled: file.circuit_breaker?.enabled ?? true,
      failureThreshold: file.circuit_breaker?.failure_threshold ?? 5,
      intervalMs: durationOr(file.circuit_breaker?.interval, 10_000),
      timeoutMs: durationOr(file.circuit_breaker?.timeout, 30_000),
      maxRequests: file.circuit_breaker?.max_requests ?? 1,
    },
  };
}

function normalizeVault(file: ConfigFile, env: Environment): VaultSettings {
  const v = file.vault ?? {};
  return {
    address: v.address ?? nonEmpty(env.VAULT_ADDR),
    namespace: v.namespace ?? nonEmpty(env.VAULT_NAMESPACE),
    auth: normalizeAuth(file, env),
    caCert: v.ca_cert ?? nonEmpty(env.VAULT_CACERT),
    tlsServerName: v.tls_server_name,
    allowInsecureHttp: v.allow_insecure_http ?? false,
    maxTraversalDepth: v.max_traversal_depth ?? 100,
    maxSecretsPerMount: v.max_secrets_per_mount ?? 100_000,
    queueCompactionThreshold: v.queue_compaction_threshold,
    concurrency: v.concurrency ?? 16,
  };
}

function normalizeAuth(file: ConfigFile, env: Environment): VaultAuth {
  const auth = file.vault?.auth ?? {};
  if (auth.token !== undefined) {
    return {
      method: 'token',
      token: typeof auth.token === 'string' ? auth.token : auth.token.token,
    };
  }
  if (auth.approle !== undefined) {
    const { mount, role_id: roleId, secret_id: secretId } = auth.approle;
    return { method: 'approle', mount: mount ?? 'approle', roleId, secretId };
  }
  if (auth.kubernetes !== undefined) {
    const { role, mount_path: mount, token_path: tokenPath } = auth.kubernetes;
    return {
      method: 'kubernetes',
      role,
      mount: mount ?? 'kubernetes',
      tokenPath: tokenPath ?? '/var/run/secrets/kubernetes.io/serviceaccount/token',
    };
  }
  const token = nonEmpty(env.VAULT_TOKEN);
  if (token !== undefined) return { method: 'token', token };
  const roleId = nonEmpty(env.VAULT_ROLE_ID);
  const secretId = nonEmpty(env.VAULT_SECRET_ID);
  if (roleId !== undefined && secretId !== undefined) {
    return { method: 'approle', mount: 'approle', roleId, secretId };
  }
  return { method: 'none' };
}

function normalizeAws(file: ConfigFile, env: Environment): AwsSettings {
  const a = file.aws ?? {};
  const tower = a.control_tower;
  return {
    region:
      a.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? DEFAULT_REGION,
    endpoint: a.endpoint,
    executionContext: {
      type: a.execution_context?.type,
      accountId: a.execution_context?.account_id,
      customRolePattern: a.execution_context?.custom_role_pattern,
    },
    controlTower: {
      enabled: tower?.enabled ?? false,
      roleName: tower?.execution_role?.name ?? 'AWSControlTowerExecution',
      rolePath: tower?.execution_role?.path ?? '/',
    },
    defaultRoleName: a.default_role_name ?? 'OrganizationAccountAccessRole',
    externalId: a.external_id,
    sessionDuration: durationOr(a.session_duration, 3_600_000),
    organizationsRootId: a.organizations?.root_id,
    identityCenter: {
      instanceArn: a.identity_center?.instance_arn,
      identityStoreId: a.identity_center?.identity_store_id,
    },
  };
}

function normalizeSource(
  name: string,
  source: NonNullable<ConfigFile['sources']>[string],
  vault: VaultSettings,
  aws: AwsSettings,
): Source {
  if (source.aws !== undefined) {
    const s = source.aws;
    return {
      kind: 'aws',
      name,
      accountId: s.account_id,
      region: s.region ?? aws.region,
      prefix: s.prefix ?? '',
      tags: s.tags ?? {},
      roleArn: s.role_arn,
    };
  }
  const s = source.vault ?? { mount: '' };
  const maxSecrets = s.max_secrets_per_mount ?? vault.maxSecretsPerMount;
  return {
    kind: 'vault',
    name,
    mount: s.mount,
    path: s.path,
    include: s.paths ?? [],
    address: s.address,
    namespace: s.namespace,
    maxTraversalDepth: s.max_traversal_depth ?? vault.maxTraversalDepth,
    maxSecretsPerMount: maxSecrets,
    queueCompactionThreshold:
      s.queue_compaction_threshold ??
      vault.queueCompactionThreshold ??
      defaultCompactionThreshold(maxSecrets),
  };
}

function normalizeMergeStore(file: ConfigFile, aws: AwsSettings): MergeStore {
  const s3 = file.merge_store?.s3;
  if (s3 !== undefined) {
    return {
      kind: 's3',
      bucket: s3.bucket,
      prefix: s3.prefix ?? '',
      kmsKeyId: s3.kms_key_id,
      region: s3.region ?? aws.region,
    };
  }
  return { kind: 'vault', mount: file.merge_store?.vault?.mount ?? '' };
}

function destinationOf(
  entry: Exclude<TargetEntry, readonly string[]> | DynamicTargetEntry,
  aws: AwsSettings,
  deleteOrphans: boolean,
): Destination {
  return {
    region: entry.region ?? aws.region,
    secretPrefix: entry.secret_prefix ?? '',
    roleArn: entry.role_arn,
    tags: entry.tags ?? {},
    kmsKeyId: entry.kms_key_id,
    description: entry.description,
    deleteOrphans: entry.delete_orphans ?? deleteOrphans,
  };
}

function normalizeTarget(
  name: string,
  entry: TargetEntry,
  aws: AwsSettings,
  deleteOrphans: boolean,
): Target {
  const full = Array.isArray(entry) ? { imports: entry } : entry;
  return {
    name,
    accountId: full.account_id,
    imports: full.imports,
    ...destinationOf(full, aws, deleteOrphans),
  };
}

function normalizeDynamic(
  name: string,
  entry: DynamicTargetEntry,
  aws: AwsSettings,
  deleteOrphans: boolean,
): DynamicTarget {
  const org = entry.discovery.organizations;
  const center = entry.discovery.identity_center;
  return {
    name,
    imports: entry.imports,
    exclude: [...(entry.exclude ?? [])].sort(),
    accountNamePatterns: entry.account_name_patterns ?? [],
    nameMatching: normalizeNameMatching(entry.name_matching ?? org?.name_matching),
    discovery: {
      organizations:
        org === undefined
          ? undefined
          : {
              ous: org.ou !== undefined ? [org.ou] : [...(org.ous ?? [])],
              recursive: org.recursive ?? false,
              tags: entriesOf(org.tags).map(([key, filter]) => normalizeTagFilter(key, filter)),
              excludeStatuses: org.exclude_statuses ?? ['SUSPENDED', 'PENDING_CLOSURE'],
            },
      identityCenter:
        center === undefined
          ? undefined
          : center.group !== undefined
            ? { kind: 'group', name: center.group }
            : { kind: 'permission_set', name: center.permission_set ?? '' },
      accountsList:
        entry.discovery.accounts_list === undefined
          ? undefined
          : { parameter: entry.discovery.accounts_list.source.replace(/^ssm:/, '') },
    },
    ...destinationOf(entry, aws, deleteOrphans),
  };
}

function normalizeTagFilter(key: string, filter: TagFilterEntry): TagFilter {
  if (typeof filter === 'string') return { key, operator: 'equals', values: [filter] };
  if (Array.isArray(filter)) return { key, operator: 'equals', values: filter };
  const values = typeof filter.values === 'string' ? [filter.values] : filter.values;
  return { key, operator: filter.operator ?? 'equals', values };
}

function normalizeNameMatching(entry: DynamicTargetEntry['name_matching']): NameMatching {
  return {
    strategy: entry?.strategy ?? 'exact',
    caseInsensitive: entry?.case_insensitive ?? true,
    normalizeKeys: entry?.normalize_keys ?? false,
    stripPrefixes: entry?.strip_prefixes ?? [],
    stripSuffixes: entry?.strip_suffixes ?? [],
  };
}

function durationOr(value: string | number | undefined, fallbackMs: number): DurationMs {
  return (value === undefined ? undefined : parseDuration(value)) ?? (fallbackMs as DurationMs);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
