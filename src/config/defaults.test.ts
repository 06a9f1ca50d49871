import { describe, expect, it } from 'vitest';
import { parseDuration } from '../core/duration.js';
import { ANY_NAME, DEFAULTS } from './defaults.js';
import { renderConfigJsonSchema } from './json-schema.js';
import { normalizeConfig } from './normalize.js';
import { configFileSchema } from './schema.js';

type Node = Record<string, unknown>;

/** Every leaf of the table as [dotted path, value]; an empty object is a leaf (an empty map). */
function leaves(table: object, path: string[] = []): [string[], unknown][] {
  return Object.entries(table as Record<string, unknown>).flatMap(
    ([key, value]): [string[], unknown][] =>
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(value).length > 0
        ? leaves(value, [...path, key])
        : [[[...path, key], value]],
  );
}

/** The schema node at a YAML path: properties, union branches, `<name>` for map values. */
function nodeAt(schema: Node, path: readonly string[]): Node | undefined {
  let node: Node | undefined = schema;
  for (const key of path) {
    if (node === undefined) return undefined;
    const current: Node = node;
    const candidates = [current, ...((current.anyOf as Node[] | undefined) ?? [])];
    node =
      key === ANY_NAME
        ? (current.additionalProperties as Node | undefined)
        : candidates
            .map((candidate) => (candidate.properties as Record<string, Node> | undefined)?.[key])
            .find((found) => found !== undefined);
  }
  return node;
}

function countDefaults(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const own = !Array.isArray(value) && 'default' in value ? 1 : 0;
  return own + Object.values(value).reduce<number>((sum, child) => sum + countDefaults(child), 0);
}

describe('the defaults table', () => {
  const schema = JSON.parse(renderConfigJsonSchema()) as Node;

  it('is carried by the JSON Schema: each default on its key, and no other default', () => {
    const table = leaves(DEFAULTS);
    expect(table.length).toBeGreaterThan(40);
    for (const [path, value] of table)
      expect(nodeAt(schema, path)?.default, path.join('.')).toEqual(value);
    expect(countDefaults(schema)).toBe(table.length);
  });

  it('replaces prose defaults in the schema, which is draft-07 for the YAML language server', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema).not.toHaveProperty('$defs');
    expect(JSON.stringify(schema)).not.toMatch(/\(default /);
  });

  it('is what normalize fills in for a config that sets nothing it need not', () => {
    const file = configFileSchema.parse({
      vault: { auth: { approle: { role_id: 'r', secret_id: 's' } } },
      sources: {
        Vault: { vault: { mount: 'secret' } },
        Aws: { aws: { account_id: '111122223333' } },
      },
      merge_store: { s3: { bucket: 'bundles' } },
      targets: { Static: { account_id: '111122223333', imports: ['Vault'] } },
      dynamic_targets: {
        Dynamic: {
          discovery: { organizations: { tags: { env: { values: 'prod' } } } },
          imports: ['Vault'],
        },
      },
    });
    const config = normalizeConfig(file, {});
    const duration = (text: string) => parseDuration(text);
    const { vault, aws, pipeline, circuit_breaker: breaker } = DEFAULTS;
    const dynamic = DEFAULTS.dynamic_targets[ANY_NAME];
    const matching = dynamic.name_matching;

    expect(config.log).toEqual(DEFAULTS.log);
    expect(config.vault).toMatchObject({
      auth: { method: 'approle', mount: vault.auth.approle.mount },
      allowInsecureHttp: vault.allow_insecure_http,
      maxTraversalDepth: vault.max_traversal_depth,
      maxSecretsPerMount: vault.max_secrets_per_mount,
      concurrency: vault.concurrency,
    });
    expect(config.aws).toMatchObject({
      region: aws.region,
      controlTower: {
        enabled: aws.control_tower.enabled,
        roleName: aws.control_tower.execution_role.name,
        rolePath: aws.control_tower.execution_role.path,
      },
      defaultRoleName: aws.default_role_name,
      sessionDuration: duration(aws.session_duration),
    });
    const source = DEFAULTS.sources[ANY_NAME];
    expect(config.sources.get('Vault')).toMatchObject({ include: source.vault.paths });
    expect(config.sources.get('Aws')).toMatchObject({
      prefix: source.aws.prefix,
      tags: source.aws.tags,
    });
    expect(config.mergeStore).toMatchObject({ prefix: DEFAULTS.merge_store.s3.prefix });
    const target = DEFAULTS.targets[ANY_NAME];
    expect(config.targets.get('Static')).toMatchObject({
      secretPrefix: target.secret_prefix,
      tags: target.tags,
      deleteOrphans: pipeline.sync.delete_orphans,
    });
    expect(config.dynamicTargets.get('Dynamic')).toMatchObject({
      exclude: dynamic.exclude,
      accountNamePatterns: dynamic.account_name_patterns,
      secretPrefix: dynamic.secret_prefix,
      tags: dynamic.tags,
      nameMatching: {
        strategy: matching.strategy,
        caseInsensitive: matching.case_insensitive,
        normalizeKeys: matching.normalize_keys,
        stripPrefixes: matching.strip_prefixes,
        stripSuffixes: matching.strip_suffixes,
      },
      discovery: {
        organizations: {
          recursive: dynamic.discovery.organizations.recursive,
          excludeStatuses: dynamic.discovery.organizations.exclude_statuses,
          tags: [
            {
              key: 'env',
              operator: dynamic.discovery.organizations.tags[ANY_NAME].operator,
              values: ['prod'],
            },
          ],
        },
      },
    });
    expect(config.pipeline).toEqual({
      mergeParallel: pipeline.merge.parallel,
      syncParallel: pipeline.sync.parallel,
      writeConcurrency: pipeline.sync.write_concurrency,
      writesPerSecond: pipeline.sync.writes_per_second,
      deleteOrphans: pipeline.sync.delete_orphans,
      maxDeletes: undefined,
      maxChanges: undefined,
      runMaxDeletes: undefined,
      runMaxChanges: undefined,
      allowEmptySources: pipeline.allow_empty_sources,
      lockTimeoutMs: duration(pipeline.lock.timeout),
      lockTtlMs: duration(pipeline.lock.ttl),
      recoveryWindowDays: pipeline.sync.recovery_window_days,
      forceDeleteWithoutRecovery: pipeline.sync.force_delete_without_recovery,
      dryRun: pipeline.dry_run,
      continueOnError: pipeline.continue_on_error,
      requestTimeoutMs: duration(pipeline.request_timeout),
      maxAttempts: pipeline.max_attempts,
    });
    expect(config.circuitBreaker).toEqual({
      enabled: breaker.enabled,
      failureThreshold: breaker.failure_threshold,
      intervalMs: duration(breaker.interval),
      timeoutMs: duration(breaker.timeout),
      maxRequests: breaker.max_requests,
    });
  });

  it('fills the Kubernetes auth defaults', () => {
    const file = configFileSchema.parse({ vault: { auth: { kubernetes: { role: 'sync' } } } });
    expect(normalizeConfig(file, {}).vault.auth).toEqual({
      method: 'kubernetes',
      role: 'sync',
      mount: DEFAULTS.vault.auth.kubernetes.mount_path,
      tokenPath: DEFAULTS.vault.auth.kubernetes.token_path,
    });
  });
});
