import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { parseConfig } from './load.js';
import { MINIMAL_CONFIG_YAML } from '../../test/support/minimal-config.js';

const env = { VAULT_ADDR: 'http://127.0.0.1:8200', VAULT_TOKEN: 'root' };

function issuesOf(text: string, environment: Record<string, string> = env): string[] {
  try {
    parseConfig(text, 'test.yaml', environment);
  } catch (error) {
    if (error instanceof ConfigError)
      return error.issues.map((i) => `${String(i.line)} ${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

const minimal = MINIMAL_CONFIG_YAML;

describe('parseConfig', () => {
  it('loads the example config with its chain, diamond and dynamic target', () => {
    const text = readFileSync('examples/secretsync.yaml', 'utf8');
    const { config, warnings } = parseConfig(text, 'examples/secretsync.yaml', env);
    expect([...config.targets.keys()]).toEqual(['Analytics', 'Demo', 'Production', 'Staging']);
    expect(config.targets.get('Demo')?.imports).toEqual(['Production', 'Analytics']);
    expect(config.dynamicTargets.get('Sandboxes')?.discovery.organizations?.ous).toEqual([
      'ou-sandbox',
    ]);
    expect(config.vault.auth).toEqual({ method: 'token', token: 'root' });
    expect(warnings).toEqual([]);
  });

  it('fills defaults, including the compaction threshold formula per source', () => {
    const { config } = parseConfig(minimal, 't.yaml', env);
    expect(config.pipeline).toMatchObject({
      mergeParallel: 4,
      syncParallel: 4,
      continueOnError: true,
      dryRun: false,
    });
    expect(config.circuitBreaker).toEqual({
      enabled: true,
      failureThreshold: 5,
      intervalMs: 10_000,
      timeoutMs: 30_000,
      maxRequests: 1,
    });
    expect(config.sources.get('common')).toMatchObject({
      kind: 'vault',
      maxSecretsPerMount: 100_000,
      queueCompactionThreshold: 1000,
    });
    expect(config.aws.region).toBe('us-east-1');
  });

  it('prefers a source threshold over the vault one over the formula', () => {
    const text = minimal
      .replace(
        'common: {vault: {mount: secret}}',
        'common: {vault: {mount: secret, queue_compaction_threshold: 500}}\n  other: {vault: {mount: o, max_secrets_per_mount: 1000}}\n  third: {vault: {mount: t}}',
      )
      .replace(
        'vault: {address: http://127.0.0.1:8200}',
        'vault: {address: http://127.0.0.1:8200, queue_compaction_threshold: 42}',
      );
    const { config } = parseConfig(text, 't.yaml', env);
    expect(config.sources.get('common')).toMatchObject({ queueCompactionThreshold: 500 });
    expect(config.sources.get('other')).toMatchObject({ queueCompactionThreshold: 42 });
    expect(config.sources.get('third')).toMatchObject({ queueCompactionThreshold: 42 });
  });

  it('rejects a zero compaction threshold and breaker settings with clear messages', () => {
    const text =
      `${minimal}\ncircuit_breaker: {failure_threshold: 0, interval: 0s, timeout: soon}\n`.replace(
        'mount: secret}',
        'mount: secret, queue_compaction_threshold: 0}',
      );
    expect(issuesOf(text)).toEqual([
      '4 sources.common.vault.queue_compaction_threshold: queue_compaction_threshold must be greater than 0',
      '9 circuit_breaker.failure_threshold: failure_threshold must be greater than 0',
      '9 circuit_breaker.interval: must be greater than 0',
      '9 circuit_breaker.timeout: "soon" is not a duration: write it like 10s, 1m30s or 500ms',
    ]);
    expect(issuesOf(`${minimal}\ncircuit_breaker: {interval: 0s, timeout: soon}\n`)).toEqual([
      '9 circuit_breaker.interval: must be greater than 0',
      '9 circuit_breaker.timeout: "soon" is not a duration: write it like 10s, 1m30s or 500ms',
    ]);
  });

  it('reads the write limits per account, with the service quota as default', () => {
    expect(parseConfig(minimal, 't.yaml', env).config.pipeline).toMatchObject({
      writeConcurrency: 8,
      writesPerSecond: 50,
    });
    const tuned = `${minimal}\npipeline: {sync: {write_concurrency: 4, writes_per_second: 20}}\n`;
    expect(parseConfig(tuned, 't.yaml', env).config.pipeline).toMatchObject({
      writeConcurrency: 4,
      writesPerSecond: 20,
    });
    expect(issuesOf(`${minimal}\npipeline: {sync: {writes_per_second: 0}}\n`)).toEqual([
      '9 pipeline.sync.writes_per_second: writes_per_second must be greater than 0',
    ]);
  });

  it('refuses plain http:// to a non-loopback Vault at load, unless allowed', () => {
    const remote = minimal.replace('http://127.0.0.1:8200', 'http://vault.internal:8200');
    expect(issuesOf(remote)).toEqual([
      '2 vault.address: "http://vault.internal:8200" uses plain http:// to a non-loopback host, which would send the token unencrypted: use https://, or set vault.allow_insecure_http: true if you accept that',
    ]);
    const allowed = remote.replace(
      'http://vault.internal:8200}',
      'http://vault.internal:8200, allow_insecure_http: true}',
    );
    expect(issuesOf(allowed)).toEqual([]);
    for (const fine of [
      'https://vault.internal:8200',
      'http://localhost:8200',
      'http://[::1]:8200',
    ])
      expect(issuesOf(minimal.replace('http://127.0.0.1:8200', `'${fine}'`))).toEqual([]);
    // From VAULT_ADDR too.
    const fromEnv = minimal.replace('vault: {address: http://127.0.0.1:8200}\n', '');
    expect(issuesOf(fromEnv, { VAULT_ADDR: 'http://10.0.0.5:8200' })).toHaveLength(1);
  });

  it('refuses a target name that would collide with the merge store state', () => {
    expect(issuesOf(minimal.replace('  Stg:', '  .secretsync:'))).toEqual([
      '7 targets..secretsync: name ".secretsync" must start with a letter or digit and use only letters, digits, _ . - (at most 128)',
    ]);
  });

  it('refuses unknown regions of targets, aws and the S3 merge store, with a did-you-mean', () => {
    const text = `
aws: {region: eu-wset-1}
sources:
  common: {vault: {mount: secret}}
merge_store: {s3: {bucket: my-bucket, region: us-gov-wst-1}}
targets:
  Stg: {account_id: "111111111111", imports: [common], region: us-est-1}
  Cn: {account_id: "222222222222", imports: [common], region: cn-northwest-1}
`;
    expect(issuesOf(text)).toEqual([
      '2 aws.region: "eu-wset-1" is not a known AWS region: did you mean "eu-west-1"?',
      '5 merge_store.s3.region: "us-gov-wst-1" is not a known AWS region: did you mean "us-gov-west-1"?',
      '7 targets.Stg.region: "us-est-1" is not a known AWS region: did you mean "us-east-1"?',
    ]);
  });

  it('reports an unknown key with its line and a did-you-mean', () => {
    const text = `${minimal}pipeline:\n  sync:\n    delete_orphan: true\n`;
    expect(issuesOf(text)).toEqual([
      '10 pipeline.sync.delete_orphan: unknown key "delete_orphan"; did you mean "delete_orphans"?',
    ]);
  });

  it('reports every problem at once, each with path and line, in line order', () => {
    const text = `
sources:
  common: {vault: {mount: secret}}
merge_store: {vault: {mount: merged}, s3: {bucket: Bad_Bucket}}
targets:
  Stg: {account_id: "12345", imports: [comon], role_arn: "arn:aws:iam::1:user/x", region: "Mars"}
  Prod: [Demo]
  Demo: [Prod]
`;
    expect(issuesOf(text, {})).toEqual([
      '2 vault.address: is required when a Vault source or merge store is used: set vault.address or VAULT_ADDR',
      '4 merge_store: configures both vault and s3: keep exactly one',
      '4 merge_store.s3.bucket: "Bad_Bucket" is not a valid bucket name: S3 bucket names are 3-63 characters of lowercase letters, digits, dots and hyphens, start and end with a letter or digit, and are not formatted like an IP address',
      '6 targets.Stg.imports[0]: "comon" is not a source or target; did you mean "common"? (known: Demo, Prod, Stg, common)',
      '6 targets.Stg.account_id: "12345" is not an AWS account id: it must be exactly 12 digits (quote it in YAML to keep leading zeros)',
      '6 targets.Stg.role_arn: "arn:aws:iam::1:user/x" is not an IAM role ARN: expected arn:aws:iam::<12-digit account>:role/<path/>name',
      '6 targets.Stg.region: "Mars" is not a known AWS region: use a region name such as us-east-1 or eu-west-2 (commercial, GovCloud or China)',
      `7 targets.Prod: targets "Demo" and "Prod" both write to the caller's account in us-east-1 with overlapping secret prefixes "" and "", so their secret names can collide: give them prefixes where neither starts with the other, or set allow_shared_prefix: true on one of them if sharing is deliberate (the secretsync:target ownership tag keeps each one's secrets apart)`,
      '8 targets.Demo: import cycle: Demo -> Prod -> Demo; a target cannot inherit from itself',
    ]);
  });

  it('names the unset environment variable and where it is used', () => {
    const text = minimal.replace(
      '{vault: {mount: merged}}',
      '\n  vault:\n    mount: ${MERGE_MOUNT}',
    );
    expect(issuesOf(text)).toEqual([
      '7 merge_store.vault.mount: environment variable MERGE_MOUNT is not set; set it, give a default with ${MERGE_MOUNT:-value}, or write $${MERGE_MOUNT} for the literal text',
    ]);
  });

  it('substitutes variables, defaults and escapes, and types unquoted numbers', () => {
    const text = `${minimal.replace('mount: merged', () => 'mount: "${MOUNT:-merged}-$${LITERAL}"')}pipeline:\n  merge:\n    parallel: \${PAR}\n`;
    const { config } = parseConfig(text, 't.yaml', { ...env, PAR: '7' });
    expect(config.mergeStore).toEqual({ kind: 'vault', mount: 'merged-${LITERAL}' });
    expect(config.pipeline.mergeParallel).toBe(7);
  });

  it('keeps the leading zeros of an unquoted account id', () => {
    const { config } = parseConfig(
      minimal.replace('"111111111111"', '011111111111'),
      't.yaml',
      env,
    );
    expect(config.targets.get('Stg')?.accountId).toBe('011111111111');
  });

  it('accepts every compatibility key of the earlier implementation, warning for those with no effect', () => {
    const text = readFileSync('test/fixtures/config/legacy-full.yaml', 'utf8');
    const { config, warnings } = parseConfig(text, 'legacy.yaml', {});
    expect(config.vault.auth).toEqual({ method: 'token', token: 'legacy-token' });
    expect(config.targets.get('Demo')).toMatchObject({ accountId: undefined, imports: ['Prod'] });
    const tags = config.dynamicTargets.get('prod_envs')?.discovery.organizations?.tags;
    expect(tags).toEqual([
      { key: 'Compliance', operator: 'equals', values: ['required'] },
      { key: 'Environment', operator: 'equals', values: ['production', 'prod'] },
      { key: 'Team', operator: 'wildcard', values: ['platform-*'] },
    ]);
    expect(warnings.map((w) => w.path)).toEqual([
      'aws.execution_context.delegation',
      'aws.control_tower.account_factory',
      'aws.organizations.auto_discover',
      'aws.organizations.ous',
      'aws.identity_center.enabled',
      'aws.identity_center.auto_discover',
      'targets.Demo',
    ]);
    expect(warnings[0]?.line).toBeGreaterThan(1);
  });

  it('rejects YAML syntax errors with a line', () => {
    expect(issuesOf('targets:\n  a: [b\n')[0]).toMatch(/^\d+ \(root\)|^\d+ : YAML syntax/);
  });

  it('rejects a document that is not a mapping', () => {
    expect(issuesOf('- a\n- b\n')).toEqual(['1 : the file must be a YAML mapping of settings']);
  });
});
