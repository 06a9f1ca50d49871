/** One tag filter of Organizations discovery: AND across filters, OR across values. */
export interface TagFilter {
  readonly key: string;
  readonly operator: 'equals' | 'contains' | 'wildcard';
  readonly values: readonly string[];
}

/** An AWS account found by discovery: what naming, filtering and role resolution need. */
export interface DiscoveredAccount {
  readonly id: string;
  /** The account name; empty when no discovery method could tell it. */
  readonly name: string;
  /** `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`…; `UNKNOWN` when no method could tell it. */
  readonly status: string;
  /** Account tags; only fetched when a tag filter needs them, so otherwise empty. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Statuses skipped unless `exclude_statuses` says otherwise: writing there would fail. */
export const DEFAULT_EXCLUDED_STATUSES = ['SUSPENDED', 'PENDING_CLOSURE'] as const;

/** Status reported when no discovery method could tell an account's status. */
export const UNKNOWN_STATUS = 'UNKNOWN';

/**
 * One status word from Organizations' two fields. `Status` is the vocabulary the config uses
 * (ACTIVE, SUSPENDED, PENDING_CLOSURE); `State` replaces it from September 2026, so when only
 * `State` is there it is mapped back, with CLOSED counted as SUSPENDED so it stays excluded.
 */
export function accountStatusOf(status: string | undefined, state: string | undefined): string {
  if (status !== undefined && status !== '') return status;
  if (state === 'CLOSED') return 'SUSPENDED';
  return state === undefined || state === '' ? UNKNOWN_STATUS : state;
}

/** True when the account's status is not one of `excluded` (an unknown status is kept). */
export function hasIncludedStatus(
  account: DiscoveredAccount,
  excluded: readonly string[],
): boolean {
  return !excluded.includes(account.status);
}

/**
 * True when the tags pass every filter: AND across filters (keys), OR across one filter's
 * values. Keys match exactly, as AWS tag keys are case-sensitive; values are compared
 * case-insensitively. A missing key never matches.
 */
export function matchesTagFilters(
  tags: Readonly<Record<string, string>>,
  filters: readonly TagFilter[],
): boolean {
  return filters.every((filter) => matchesTagFilter(tags, filter));
}

/** True when the tag named by `filter.key` matches one of its values under its operator. */
export function matchesTagFilter(
  tags: Readonly<Record<string, string>>,
  filter: TagFilter,
): boolean {
  if (!Object.hasOwn(tags, filter.key)) return false;
  const actual = (tags[filter.key] ?? '').toLowerCase();
  return filter.values.some((wanted) => {
    const value = wanted.toLowerCase();
    switch (filter.operator) {
      case 'equals':
        return actual === value;
      case 'contains':
        return actual.includes(value);
      case 'wildcard':
        return wildcardRegExp(value).test(actual);
    }
  });
}

/** A whole-string matcher for a `*` (any run) and `?` (one character) pattern. */
export function wildcardRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[*?]|[^*?]+/g, (token) =>
    token === '*' ? '.*' : token === '?' ? '.' : token.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
  );
  return new RegExp(`^${body}$`, 'su');
}

/**
 * Combines the accounts of several discovery methods: one entry per id (the first method's,
 * which for Organizations carries tags), with a name or status another method knew filled in.
 * Sorted by id.
 */
export function mergeDiscoveredAccounts(
  lists: readonly (readonly DiscoveredAccount[])[],
): DiscoveredAccount[] {
  const byId = new Map<string, DiscoveredAccount>();
  for (const account of lists.flat()) {
    const known = byId.get(account.id);
    if (known === undefined) {
      byId.set(account.id, account);
      continue;
    }
    byId.set(account.id, {
      ...known,
      name: known.name === '' ? account.name : known.name,
      status: known.status === UNKNOWN_STATUS ? account.status : known.status,
    });
  }
  return [...byId.values()].sort((a, b) => compareText(a.id, b.id));
}

/** Code-unit order, so sorting does not depend on the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An account a discovery filter dropped, and why in words. */
export interface DroppedAccount {
  readonly account: DiscoveredAccount;
  readonly reason: string;
}

/** What one discovery filter did: its name (the config key), what it kept and what it dropped. */
export interface FilterOutcome {
  /** `organizations.exclude_statuses [SUSPENDED, PENDING_CLOSURE]`, `exclude [123…]`. */
  readonly filter: string;
  readonly kept: readonly DiscoveredAccount[];
  readonly dropped: readonly DroppedAccount[];
}

/** Applies one filter; `reasonToDrop` answers undefined to keep an account, or why it goes. */
export function applyAccountFilter(
  filter: string,
  accounts: readonly DiscoveredAccount[],
  reasonToDrop: (account: DiscoveredAccount) => string | undefined,
): FilterOutcome {
  const kept: DiscoveredAccount[] = [];
  const dropped: DroppedAccount[] = [];
  for (const account of accounts) {
    const reason = reasonToDrop(account);
    if (reason === undefined) kept.push(account);
    else dropped.push({ account, reason });
  }
  return { filter, kept, dropped };
}

/** Why the status filter drops an account, or undefined when it keeps it. */
export function statusDropReason(
  account: DiscoveredAccount,
  excluded: readonly string[],
): string | undefined {
  return hasIncludedStatus(account, excluded) ? undefined : `status ${account.status} is excluded`;
}

/** Why the tag filters drop an account (the first filter it fails), or undefined to keep it. */
export function tagDropReason(
  tags: Readonly<Record<string, string>>,
  filters: readonly TagFilter[],
): string | undefined {
  const failed = filters.find((filter) => !matchesTagFilter(tags, filter));
  if (failed === undefined) return undefined;
  const wanted = `${failed.operator} ${failed.values.join(' or ')}`;
  return Object.hasOwn(tags, failed.key)
    ? `tag ${failed.key} is "${tags[failed.key] ?? ''}", not ${wanted}`
    : `no tag ${failed.key} (wanted ${wanted})`;
}

/** `Environment equals sandbox, Team contains a or b`: the tag filters as the config says them. */
export function describeTagFilters(filters: readonly TagFilter[]): string {
  return filters.map((f) => `${f.key} ${f.operator} ${f.values.join(' or ')}`).join(', ');
}

/** `123456789012 ("sandbox-alpha")`, or the id alone when the name is unknown. */
export function describeAccount(account: DiscoveredAccount): string {
  return account.name === '' ? account.id : `${account.id} ("${account.name}")`;
}
