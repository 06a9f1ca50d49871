import {
  checkAccountId,
  checkBucketName,
  checkRoleArn,
  checkSecretName,
  ACCOUNT_PLACEHOLDERS,
} from '../core/aws-formats.js';
import { checkKnownRegion } from '../core/aws-regions.js';
import { parseDuration } from '../core/duration.js';
import { checkRelativePath, joinPath } from '../core/secret-path.js';
import { plainHttpRefusal, sendsTokenInClear } from '../core/vault-address.js';
import type { ConfigRule, RuleFinding } from './rule.js';
import { entriesOf, findingIf } from './rule.js';
import type { ConfigFile } from './schema.js';

/** Every account id is 12 digits. */
const accountIdFormat: ConfigRule = {
  name: 'account-id-format',
  check: (file) => [
    ...findingIf(
      file.aws?.execution_context?.account_id,
      ['aws', 'execution_context', 'account_id'],
      checkAccountId,
    ),
    ...entriesOf(file.targets).flatMap(([name, t]) =>
      Array.isArray(t)
        ? []
        : findingIf(t.account_id, ['targets', name, 'account_id'], checkAccountId),
    ),
    ...entriesOf(file.sources).flatMap(([name, s]) =>
      findingIf(s.aws?.account_id, ['sources', name, 'aws', 'account_id'], checkAccountId),
    ),
    ...entriesOf(file.dynamic_targets).flatMap(([name, d]) =>
      (d.exclude ?? []).flatMap((id, i) =>
        findingIf(id, ['dynamic_targets', name, 'exclude', i], checkAccountId),
      ),
    ),
  ],
};

/** Role ARNs are IAM role ARNs; patterns for discovered accounts carry an account placeholder. */
const roleArnFormat: ConfigRule = {
  name: 'role-arn-format',
  check: (file) => {
    const exact = (v: string) => checkRoleArn(v, false);
    const templated = (v: string) => checkRoleArn(v, true);
    const pattern = file.aws?.execution_context?.custom_role_pattern;
    const patternPath = ['aws', 'execution_context', 'custom_role_pattern'];
    const missingPlaceholder =
      pattern !== undefined && !ACCOUNT_PLACEHOLDERS.some((token) => pattern.includes(token))
        ? [
            {
              path: patternPath,
              message: `"${pattern}" must contain {{.AccountID}} (or {account_id}) where the account id goes`,
            },
          ]
        : [];
    return [
      ...missingPlaceholder,
      ...findingIf(pattern, patternPath, templated),
      ...entriesOf(file.targets).flatMap(([name, t]) =>
        Array.isArray(t) ? [] : findingIf(t.role_arn, ['targets', name, 'role_arn'], exact),
      ),
      ...entriesOf(file.sources).flatMap(([name, s]) =>
        findingIf(s.aws?.role_arn, ['sources', name, 'aws', 'role_arn'], exact),
      ),
      ...entriesOf(file.dynamic_targets).flatMap(([name, d]) =>
        findingIf(d.role_arn, ['dynamic_targets', name, 'role_arn'], templated),
      ),
    ];
  },
};

/** Regions are known AWS regions (commercial, GovCloud, China), with a did-you-mean. */
const regionFormat: ConfigRule = {
  name: 'region-format',
  check: (file) => [
    ...findingIf(file.aws?.region, ['aws', 'region'], checkKnownRegion),
    ...findingIf(file.merge_store?.s3?.region, ['merge_store', 's3', 'region'], checkKnownRegion),
    ...entriesOf(file.targets).flatMap(([name, t]) =>
      Array.isArray(t) ? [] : findingIf(t.region, ['targets', name, 'region'], checkKnownRegion),
    ),
    ...entriesOf(file.sources).flatMap(([name, s]) =>
      findingIf(s.aws?.region, ['sources', name, 'aws', 'region'], checkKnownRegion),
    ),
    ...entriesOf(file.dynamic_targets).flatMap(([name, d]) =>
      findingIf(d.region, ['dynamic_targets', name, 'region'], checkKnownRegion),
    ),
  ],
};

/** The S3 merge store bucket follows the bucket naming rules. */
const bucketName: ConfigRule = {
  name: 's3-bucket-name',
  check: (file) =>
    findingIf(file.merge_store?.s3?.bucket, ['merge_store', 's3', 'bucket'], checkBucketName),
};

/** Secret prefixes only use characters Secrets Manager accepts in names. */
const secretPrefixFormat: ConfigRule = {
  name: 'secret-prefix-format',
  check: (file) => [
    ...entriesOf(file.targets).flatMap(([name, t]) =>
      Array.isArray(t)
        ? []
        : findingIf(t.secret_prefix, ['targets', name, 'secret_prefix'], checkSecretName),
    ),
    ...entriesOf(file.dynamic_targets).flatMap(([name, d]) =>
      findingIf(d.secret_prefix, ['dynamic_targets', name, 'secret_prefix'], checkSecretName),
    ),
  ],
};

/** Durations parse and are positive; the session duration is within what STS allows. */
const durations: ConfigRule = {
  name: 'duration-values',
  check: (file) => {
    const findings: RuleFinding[] = [];
    const positive = (value: string | number | undefined, path: string[]) => {
      if (value === undefined) return;
      const ms = parseDuration(value);
      if (ms === undefined)
        findings.push({
          path,
          message: `"${value}" is not a duration: write it like 10s, 1m30s or 500ms`,
        });
      else if (ms <= 0) findings.push({ path, message: 'must be greater than 0' });
    };
    positive(file.circuit_breaker?.interval, ['circuit_breaker', 'interval']);
    positive(file.circuit_breaker?.timeout, ['circuit_breaker', 'timeout']);
    positive(file.pipeline?.request_timeout, ['pipeline', 'request_timeout']);
    positive(file.pipeline?.lock?.ttl, ['pipeline', 'lock', 'ttl']);
    const lockTtl = parseDuration(file.pipeline?.lock?.ttl ?? '1m') ?? 60_000;
    if (lockTtl > 0 && lockTtl < 3_000)
      findings.push({
        path: ['pipeline', 'lock', 'ttl'],
        message: 'must be at least 3s: the lease is renewed every third of it',
      });
    const lockTimeout = file.pipeline?.lock?.timeout;
    if (lockTimeout !== undefined && parseDuration(lockTimeout) === undefined)
      findings.push({
        path: ['pipeline', 'lock', 'timeout'],
        message: `"${lockTimeout}" is not a duration: write it like 0s, 30s or 10m`,
      });
    const session = file.aws?.session_duration;
    positive(session, ['aws', 'session_duration']);
    const ms = session === undefined ? undefined : parseDuration(session);
    if (ms !== undefined && ms > 0 && (ms < 900_000 || ms > 43_200_000)) {
      findings.push({
        path: ['aws', 'session_duration'],
        message: 'must be between 15m and 12h (the STS AssumeRole limits)',
      });
    }
    return findings;
  },
};

/** Vault is reachable: an http(s) address is given (or VAULT_ADDR) whenever Vault is used. */
const vaultAddress: ConfigRule = {
  name: 'vault-address',
  check: (file, env) => {
    const usesVault =
      file.merge_store?.vault !== undefined ||
      Object.values(file.sources ?? {}).some((s) => s.vault !== undefined);
    const address = file.vault?.address ?? env.VAULT_ADDR;
    if (address === undefined || address === '') {
      return usesVault
        ? [
            {
              path: ['vault', 'address'],
              message:
                'is required when a Vault source or merge store is used: set vault.address or VAULT_ADDR',
            },
          ]
        : [];
    }
    if (!/^https?:\/\/[^/\s]+/.test(address))
      return [
        {
          path: ['vault', 'address'],
          message: `"${address}" is not a Vault address: expected https://host:port`,
        },
      ];
    // Caught here too, so `validate` says it before any run tries.
    return URL.canParse(address) &&
      sendsTokenInClear(new URL(address)) &&
      file.vault?.allow_insecure_http !== true
      ? [{ path: ['vault', 'address'], message: plainHttpRefusal(address) }]
      : [];
  },
};

/** Names used in merge-store paths, tags and reports are plain identifiers. */
const names: ConfigRule = {
  name: 'names',
  check: (file: ConfigFile) => {
    const sections = ['sources', 'targets', 'dynamic_targets'] as const;
    return sections.flatMap((section) =>
      entriesOf<unknown>(file[section]).flatMap(([name]) =>
        /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(name)
          ? []
          : [
              {
                path: [section, name],
                message: `name "${name}" must start with a letter or digit and use only letters, digits, _ . - (at most 128)`,
              },
            ],
      ),
    );
  },
};

/** Vault mounts and paths stay inside what they name: no `.`/`..` segments, no NUL. */
const vaultPaths: ConfigRule = {
  name: 'vault-paths',
  check: (file) => {
    // Extra and leading slashes are harmless (they are normalized); traversal and NUL are not.
    const check = (value: string) => {
      const problem = value.includes('\u0000')
        ? 'contains a NUL character'
        : checkRelativePath(joinPath(value));
      return problem === undefined || problem === 'is empty'
        ? undefined
        : `"${value.replaceAll('\u0000', '\\0')}" ${problem}: name the mount and folder directly`;
    };
    return [
      ...findingIf(file.merge_store?.vault?.mount, ['merge_store', 'vault', 'mount'], check),
      ...entriesOf(file.sources).flatMap(([name, s]) => [
        ...findingIf(s.vault?.mount, ['sources', name, 'vault', 'mount'], check),
        ...findingIf(s.vault?.path, ['sources', name, 'vault', 'path'], check),
      ]),
    ];
  },
};

/** Rules about the format of single values. */
export const formatRules: readonly ConfigRule[] = [
  accountIdFormat,
  roleArnFormat,
  regionFormat,
  bucketName,
  secretPrefixFormat,
  durations,
  vaultPaths,
  vaultAddress,
  names,
];
