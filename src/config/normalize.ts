import { defaultCompactionThreshold } from '../core/compaction.js';
import { parseDuration } from '../core/duration.js';
import { InternalError } from '../core/errors.js';
import type { DurationMs } from '../core/duration.js';
import { nonEmpty } from './env-substitution.js';
import type { Environment } from './env-substitution.js';
import { ANY_NAME, DEFAULTS } from './defaults.js';
import { normalizeAuth } from './normalize-auth.js';
import { entriesOf } from './rule.js';
import { normalizeDynamic, normalizeTarget } from './normalize-targets.js';
import type { InheritedSync } from './normalize-targets.js';
import type { ConfigFile } from './schema.js';
import type {
  AwsSettings,
  CircuitBreakerSettings,
  Config,
  MergeStoreSettings,
  PipelineSettings,
  Source,
  VaultSettings,
} from './types.js';

/** Fills defaults, expands shorthands and applies VAULT_* / AWS_REGION; input passed the rules. */
export function normalizeConfig(file: ConfigFile, env: Environment): Config {
  const vault = normalizeVault(file, env);
  const aws = normalizeAws(file, env);
  const sync = file.pipeline?.sync;
  const inherited: InheritedSync = {
    deleteOrphans: sync?.delete_orphans ?? DEFAULTS.pipeline.sync.delete_orphans,
    maxDeletes: sync?.max_deletes,
    maxChanges: sync?.max_changes,
  };
  const allowEmpty = file.pipeline?.allow_empty_sources ?? DEFAULTS.pipeline.allow_empty_sources;
  return {
    log: {
      level: file.log?.level ?? DEFAULTS.log.level,
      format: file.log?.format ?? DEFAULTS.log.format,
    },
    vault,
    aws,
    sources: new Map(
      entriesOf(file.sources).map(([name, s]) => [
        name,
        normalizeSource(name, s, { vault, aws, allowEmpty: s.allow_empty ?? allowEmpty }),
      ]),
    ),
    mergeStore: normalizeMergeStore(file, aws),
    targets: new Map(
      entriesOf(file.targets).map(([name, t]) => [name, normalizeTarget(name, t, aws, inherited)]),
    ),
    dynamicTargets: new Map(
      entriesOf(file.dynamic_targets).map(([name, d]) => [
        name,
        normalizeDynamic(name, d, aws, inherited),
      ]),
    ),
    pipeline: normalizePipeline(file, inherited),
    circuitBreaker: normalizeCircuitBreaker(file),
    metrics: { pushgatewayUrl: file.metrics?.pushgateway?.url },
  };
}

function normalizePipeline(file: ConfigFile, inherited: InheritedSync): PipelineSettings {
  const pipeline = file.pipeline;
  const sync = pipeline?.sync;
  const defaults = DEFAULTS.pipeline;
  return {
    mergeParallel: pipeline?.merge?.parallel ?? defaults.merge.parallel,
    syncParallel: sync?.parallel ?? defaults.sync.parallel,
    writeConcurrency: sync?.write_concurrency ?? defaults.sync.write_concurrency,
    writesPerSecond: sync?.writes_per_second ?? defaults.sync.writes_per_second,
    ...inherited,
    runMaxDeletes: sync?.run_max_deletes,
    runMaxChanges: sync?.run_max_changes,
    allowEmptySources: pipeline?.allow_empty_sources ?? defaults.allow_empty_sources,
    lockTimeoutMs: durationOf(pipeline?.lock?.timeout ?? defaults.lock.timeout),
    lockTtlMs: durationOf(pipeline?.lock?.ttl ?? defaults.lock.ttl),
    recoveryWindowDays: sync?.recovery_window_days ?? defaults.sync.recovery_window_days,
    forceDeleteWithoutRecovery:
      sync?.force_delete_without_recovery ?? defaults.sync.force_delete_without_recovery,
    dryRun: pipeline?.dry_run ?? defaults.dry_run,
    continueOnError: pipeline?.continue_on_error ?? defaults.continue_on_error,
    requestTimeoutMs: durationOf(pipeline?.request_timeout ?? defaults.request_timeout),
    maxAttempts: pipeline?.max_attempts ?? defaults.max_attempts,
  };
}

function normalizeCircuitBreaker(file: ConfigFile): CircuitBreakerSettings {
  const breaker = file.circuit_breaker;
  const defaults = DEFAULTS.circuit_breaker;
  return {
    enabled: breaker?.enabled ?? defaults.enabled,
    failureThreshold: breaker?.failure_threshold ?? defaults.failure_threshold,
    intervalMs: durationOf(breaker?.interval ?? defaults.interval),
    timeoutMs: durationOf(breaker?.timeout ?? defaults.timeout),
    maxRequests: breaker?.max_requests ?? defaults.max_requests,
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
    allowInsecureHttp: v.allow_insecure_http ?? DEFAULTS.vault.allow_insecure_http,
    maxTraversalDepth: v.max_traversal_depth ?? DEFAULTS.vault.max_traversal_depth,
    maxSecretsPerMount: v.max_secrets_per_mount ?? DEFAULTS.vault.max_secrets_per_mount,
    queueCompactionThreshold: v.queue_compaction_threshold,
    concurrency: v.concurrency ?? DEFAULTS.vault.concurrency,
  };
}

function normalizeAws(file: ConfigFile, env: Environment): AwsSettings {
  const a = file.aws ?? {};
  const tower = a.control_tower;
  const defaults = DEFAULTS.aws;
  return {
    region:
      a.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? defaults.region,
    endpoint: a.endpoint,
    executionContext: {
      type: a.execution_context?.type,
      accountId: a.execution_context?.account_id,
      customRolePattern: a.execution_context?.custom_role_pattern,
    },
    controlTower: {
      enabled: tower?.enabled ?? defaults.control_tower.enabled,
      roleName: tower?.execution_role?.name ?? defaults.control_tower.execution_role.name,
      rolePath: tower?.execution_role?.path ?? defaults.control_tower.execution_role.path,
    },
    defaultRoleName: a.default_role_name ?? defaults.default_role_name,
    externalId: a.external_id,
    sessionDuration: durationOf(a.session_duration ?? defaults.session_duration),
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
  { vault, aws, allowEmpty }: { vault: VaultSettings; aws: AwsSettings; allowEmpty: boolean },
): Source {
  const defaults = DEFAULTS.sources[ANY_NAME];
  if (source.aws !== undefined) {
    const s = source.aws;
    return {
      kind: 'aws',
      name,
      accountId: s.account_id,
      region: s.region ?? aws.region,
      prefix: s.prefix ?? defaults.aws.prefix,
      tags: s.tags ?? defaults.aws.tags,
      roleArn: s.role_arn,
      allowEmpty,
    };
  }
  const s = source.vault ?? { mount: '' };
  const maxSecrets = s.max_secrets_per_mount ?? vault.maxSecretsPerMount;
  return {
    kind: 'vault',
    name,
    mount: s.mount,
    path: s.path,
    include: s.paths ?? defaults.vault.paths,
    address: s.address,
    namespace: s.namespace,
    maxTraversalDepth: s.max_traversal_depth ?? vault.maxTraversalDepth,
    maxSecretsPerMount: maxSecrets,
    queueCompactionThreshold:
      s.queue_compaction_threshold ??
      vault.queueCompactionThreshold ??
      defaultCompactionThreshold(maxSecrets),
    allowEmpty,
  };
}

function normalizeMergeStore(file: ConfigFile, aws: AwsSettings): MergeStoreSettings {
  const s3 = file.merge_store?.s3;
  if (s3 !== undefined) {
    return {
      kind: 's3',
      bucket: s3.bucket,
      prefix: s3.prefix ?? DEFAULTS.merge_store.s3.prefix,
      kmsKeyId: s3.kms_key_id,
      region: s3.region ?? aws.region,
    };
  }
  return { kind: 'vault', mount: file.merge_store?.vault?.mount ?? '' };
}

/** A duration the rules already accepted (or a default from the table), in milliseconds. */
function durationOf(value: string | number): DurationMs {
  const parsed = parseDuration(value);
  if (parsed === undefined)
    throw new InternalError(`duration "${value}" passed the rules but does not parse`);
  return parsed;
}
