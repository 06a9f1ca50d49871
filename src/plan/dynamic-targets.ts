import type { DynamicTarget, Target } from '../config/types.js';
import { replaceAccountPlaceholder } from '../core/aws-formats.js';
import { applyAccountFilter, compareText, describeAccount } from '../core/account-filters.js';
import type { DiscoveredAccount, FilterOutcome } from '../core/account-filters.js';
import { baseTargetName, matchStaticTarget } from './account-naming.js';

/** A target made from a discovered account; it syncs exactly like a static target. */
export interface DiscoveredTarget extends Target {
  readonly accountId: string;
  /** The dynamic target that found the account. */
  readonly discoveredBy: string;
  /** The account name as discovery reported it (empty when unknown). */
  readonly accountName: string;
}

/** What discovery found for one dynamic target. */
export interface DynamicDiscovery {
  readonly dynamic: DynamicTarget;
  readonly accounts: readonly DiscoveredAccount[];
}

/** Something expansion decided that the operator should hear about. */
export interface ExpansionWarning {
  readonly dynamicTarget: string;
  readonly message: string;
}

/** What a dynamic target's `exclude` list did to the accounts discovery found. */
export interface ExclusionOutcome {
  readonly dynamicTarget: string;
  readonly outcome: FilterOutcome;
}

/** The discovered targets (sorted by name) and the warnings expansion raised. */
export interface Expansion {
  readonly targets: readonly DiscoveredTarget[];
  readonly warnings: readonly ExpansionWarning[];
  /** One per dynamic target with an `exclude` list, in name order. */
  readonly exclusions: readonly ExclusionOutcome[];
}

interface Candidate {
  readonly dynamic: DynamicTarget;
  readonly account: DiscoveredAccount;
  readonly base: string;
}

/**
 * Turns discovered accounts into targets. Rules, in order:
 * 1. Accounts in the dynamic target's `exclude` are dropped.
 * 2. The name is the account name normalised by {@link baseTargetName}.
 * 3. A static target always keeps its name. When it is the same account, the discovered one is
 *    dropped (the static target already syncs it); otherwise the discovered one is renamed as in 4.
 *    Both cases warn.
 * 4. Names claimed more than once get `_<last 6 digits of the account id>`; if that is still
 *    ambiguous `_<account id>`, then `_<account id>_<dynamic target>` (the same account found by
 *    two dynamic targets). Every member of a colliding group is renamed, so no account silently
 *    keeps the plain name depending on order.
 * 5. Imports: when an `account_name_patterns` entry matches, the target imports exactly the
 *    static target the pattern names, instead of the dynamic target's `imports` (the pattern says
 *    "accounts like this are copies of that target"; to add the common imports too, make that
 *    static target import them). Otherwise the dynamic target's imports.
 * 6. Region, prefix, tags, KMS key, description and delete_orphans come from the dynamic target;
 *    `role_arn` has `{{.AccountID}}` filled in (unset: the usual role resolution applies).
 */
export function expandDynamicTargets(
  discoveries: readonly DynamicDiscovery[],
  statics: ReadonlyMap<string, Target>,
): Expansion {
  const warnings: ExpansionWarning[] = [];
  const ordered = [...discoveries].sort((a, b) => compareText(a.dynamic.name, b.dynamic.name));
  const exclusions = ordered.flatMap(exclusionOf);
  const candidates = ordered.flatMap(candidatesOf).filter((candidate) => {
    const existing = statics.get(candidate.base);
    if (existing?.accountId !== candidate.account.id) return true;
    warnings.push({
      dynamicTarget: candidate.dynamic.name,
      message: `account ${describeAccount(candidate.account)} is already the static target "${candidate.base}"; it is synced as that target only`,
    });
    return false;
  });
  const names = assignNames(candidates, statics, warnings);
  const targets = candidates
    .map((candidate, index) =>
      toTarget(candidate, names[index] ?? candidate.base, statics, warnings),
    )
    .sort((a, b) => compareText(a.name, b.name));
  return { targets, warnings, exclusions };
}

/** What the `exclude` list dropped, when the dynamic target has one. */
function exclusionOf({ dynamic, accounts }: DynamicDiscovery): ExclusionOutcome[] {
  if (dynamic.exclude.length === 0) return [];
  const excluded = new Set(dynamic.exclude);
  const outcome = applyAccountFilter(
    `exclude [${dynamic.exclude.join(', ')}]`,
    [...new Map(accounts.map((account) => [account.id, account] as const)).values()],
    (account) => (excluded.has(account.id) ? 'listed in exclude' : undefined),
  );
  return [{ dynamicTarget: dynamic.name, outcome }];
}

function candidatesOf({ dynamic, accounts }: DynamicDiscovery): Candidate[] {
  const excluded = new Set(dynamic.exclude);
  const unique = new Map(accounts.map((account) => [account.id, account] as const));
  return [...unique.values()]
    .filter((account) => !excluded.has(account.id))
    .sort((a, b) => compareText(a.id, b.id))
    .map((account) => ({ dynamic, account, base: baseTargetName(account, dynamic.nameMatching) }));
}

/** Names for every candidate (same order): plain where unique, suffixed where claimed twice. */
function assignNames(
  candidates: readonly Candidate[],
  statics: ReadonlyMap<string, Target>,
  warnings: ExpansionWarning[],
): string[] {
  const taken = new Set(statics.keys());
  const groups = new Map<string, number[]>();
  candidates.forEach((candidate, index) => {
    groups.set(candidate.base, [...(groups.get(candidate.base) ?? []), index]);
  });
  const names: string[] = [];
  const sortedGroups = [...groups].sort(([a], [b]) => compareText(a, b));
  const plain = sortedGroups.filter(([base, members]) => members.length === 1 && !taken.has(base));
  for (const [base, members] of plain) {
    names[members[0] ?? 0] = base;
    taken.add(base);
  }
  for (const [base, members] of sortedGroups) {
    if (members.length === 1 && names[members[0] ?? 0] !== undefined) continue;
    const group = members.map((index) => candidates[index] as Candidate);
    const chosen = suffixedNames(base, group, taken);
    chosen.forEach((name, position) => {
      names[members[position] ?? 0] = name;
      taken.add(name);
    });
    warnings.push(collisionWarning(base, group, chosen, statics.has(base)));
  }
  return names;
}

/** The first suffix level at which every member's name is distinct and still free. */
function suffixedNames(base: string, group: readonly Candidate[], taken: ReadonlySet<string>) {
  const withDynamic = (c: Candidate) =>
    `${base}_${c.account.id}_${baseDynamicName(c.dynamic.name)}`;
  const levels = [
    (c: Candidate) => `${base}_${c.account.id.slice(-6)}`,
    (c: Candidate) => `${base}_${c.account.id}`,
    withDynamic,
  ];
  for (const level of levels) {
    const names = group.map(level);
    if (new Set(names).size === names.length && names.every((name) => !taken.has(name)))
      return names;
  }
  // Only reachable when a static target is literally named like a generated name.
  const used = new Set(taken);
  return group.map((candidate) => {
    let counter = 2;
    while (used.has(`${withDynamic(candidate)}_${counter}`)) counter += 1;
    const name = `${withDynamic(candidate)}_${counter}`;
    used.add(name);
    return name;
  });
}

function collisionWarning(
  base: string,
  group: readonly Candidate[],
  chosen: readonly string[],
  staticClash: boolean,
): ExpansionWarning {
  const renamed = group
    .map((c, i) => `${describeAccount(c.account)} as "${chosen[i] ?? ''}"`)
    .join(', ');
  const why = staticClash
    ? `the static target "${base}" keeps the name`
    : `${group.length} discovered accounts are named "${base}"`;
  return { dynamicTarget: group[0]?.dynamic.name ?? '', message: `${why}: syncing ${renamed}` };
}

function toTarget(
  candidate: Candidate,
  name: string,
  statics: ReadonlyMap<string, Target>,
  warnings: ExpansionWarning[],
): DiscoveredTarget {
  const { dynamic, account } = candidate;
  const matched = matchStaticTarget(
    account.name,
    dynamic.accountNamePatterns,
    dynamic.nameMatching,
  );
  if (matched !== undefined && !statics.has(matched)) {
    warnings.push({
      dynamicTarget: dynamic.name,
      message: `account ${describeAccount(account)} matches a pattern for "${matched}", which is not a static target; it imports ${dynamic.imports.join(', ')}`,
    });
  }
  return {
    name,
    accountId: account.id,
    imports: matched !== undefined && statics.has(matched) ? [matched] : dynamic.imports,
    region: dynamic.region,
    secretPrefix: dynamic.secretPrefix,
    roleArn:
      dynamic.roleArn === undefined
        ? undefined
        : replaceAccountPlaceholder(dynamic.roleArn, account.id),
    tags: dynamic.tags,
    kmsKeyId: dynamic.kmsKeyId,
    description: dynamic.description,
    deleteOrphans: dynamic.deleteOrphans,
    maxDeletes: dynamic.maxDeletes,
    maxChanges: dynamic.maxChanges,
    allowSharedPrefix: dynamic.allowSharedPrefix,
    discoveredBy: dynamic.name,
    accountName: account.name,
  };
}

function baseDynamicName(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}
