import type { TagFilter } from '../core/account-filters.js';
import { ANY_NAME, DEFAULTS } from './defaults.js';
import { entriesOf } from './rule.js';
import type { DynamicTargetEntry, TagFilterEntry, TargetEntry } from './schema.js';
import type { AwsSettings, Destination, DynamicTarget, NameMatching, Target } from './types.js';

/* Static and dynamic targets, normalized: the part of normalize.ts that owns destinations. */

/** The `pipeline.sync` settings a target inherits unless it sets its own. */
export type InheritedSync = Pick<Destination, 'deleteOrphans' | 'maxDeletes' | 'maxChanges'>;

function destinationOf(
  entry: Exclude<TargetEntry, readonly string[]> | DynamicTargetEntry,
  aws: AwsSettings,
  inherited: InheritedSync,
): Destination {
  // Static and dynamic targets share these defaults; the table states them for both.
  const defaults = DEFAULTS.targets[ANY_NAME];
  return {
    region: entry.region ?? aws.region,
    secretPrefix: entry.secret_prefix ?? defaults.secret_prefix,
    roleArn: entry.role_arn,
    tags: entry.tags ?? defaults.tags,
    kmsKeyId: entry.kms_key_id,
    description: entry.description,
    deleteOrphans: entry.delete_orphans ?? inherited.deleteOrphans,
    maxDeletes: entry.max_deletes ?? inherited.maxDeletes,
    maxChanges: entry.max_changes ?? inherited.maxChanges,
    allowSharedPrefix: entry.allow_shared_prefix ?? defaults.allow_shared_prefix,
  };
}

/** A static target with its destination defaults filled; the shorthand list becomes `imports`. */
export function normalizeTarget(
  name: string,
  entry: TargetEntry,
  aws: AwsSettings,
  inherited: InheritedSync,
): Target {
  const full = Array.isArray(entry) ? { imports: entry } : entry;
  return {
    name,
    accountId: full.account_id,
    imports: full.imports,
    ...destinationOf(full, aws, inherited),
  };
}

/** A dynamic target with discovery, name matching and destination defaults filled. */
export function normalizeDynamic(
  name: string,
  entry: DynamicTargetEntry,
  aws: AwsSettings,
  inherited: InheritedSync,
): DynamicTarget {
  const org = entry.discovery.organizations;
  const center = entry.discovery.identity_center;
  const defaults = DEFAULTS.dynamic_targets[ANY_NAME];
  return {
    name,
    imports: entry.imports,
    exclude: [...(entry.exclude ?? defaults.exclude)].sort(),
    accountNamePatterns: entry.account_name_patterns ?? defaults.account_name_patterns,
    nameMatching: normalizeNameMatching(entry.name_matching ?? org?.name_matching),
    discovery: {
      organizations:
        org === undefined
          ? undefined
          : {
              ous: org.ou !== undefined ? [org.ou] : [...(org.ous ?? [])],
              recursive: org.recursive ?? defaults.discovery.organizations.recursive,
              tags: entriesOf(org.tags).map(([key, filter]) => normalizeTagFilter(key, filter)),
              excludeStatuses:
                org.exclude_statuses ?? defaults.discovery.organizations.exclude_statuses,
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
    ...destinationOf(entry, aws, inherited),
  };
}

function normalizeTagFilter(key: string, filter: TagFilterEntry): TagFilter {
  if (typeof filter === 'string') return { key, operator: 'equals', values: [filter] };
  if (Array.isArray(filter)) return { key, operator: 'equals', values: filter };
  const values = typeof filter.values === 'string' ? [filter.values] : filter.values;
  const operator =
    filter.operator ??
    DEFAULTS.dynamic_targets[ANY_NAME].discovery.organizations.tags[ANY_NAME].operator;
  return { key, operator, values };
}

function normalizeNameMatching(entry: DynamicTargetEntry['name_matching']): NameMatching {
  const defaults = DEFAULTS.dynamic_targets[ANY_NAME].name_matching;
  return {
    strategy: entry?.strategy ?? defaults.strategy,
    caseInsensitive: entry?.case_insensitive ?? defaults.case_insensitive,
    normalizeKeys: entry?.normalize_keys ?? defaults.normalize_keys,
    stripPrefixes: entry?.strip_prefixes ?? defaults.strip_prefixes,
    stripSuffixes: entry?.strip_suffixes ?? defaults.strip_suffixes,
  };
}
