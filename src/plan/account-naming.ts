import type { NameMatching } from '../config/types.js';
import type { DiscoveredAccount } from '../core/account-filters.js';

/** One `account_name_patterns` entry: a regular expression and the static target it maps to. */
export interface AccountNamePattern {
  readonly pattern: string;
  readonly target: string;
}

/**
 * Removes the first configured prefix and the first configured suffix the name has, compared
 * case-insensitively when `caseInsensitive` is set. A strip that would leave nothing is not made.
 */
export function stripAffixes(name: string, matching: NameMatching): string {
  const fold = (text: string) => (matching.caseInsensitive ? text.toLowerCase() : text);
  let result = name;
  const prefix = matching.stripPrefixes.find(
    (p) => p !== '' && p.length < result.length && fold(result).startsWith(fold(p)),
  );
  if (prefix !== undefined) result = result.slice(prefix.length);
  const suffix = matching.stripSuffixes.find(
    (s) => s !== '' && s.length < result.length && fold(result).endsWith(fold(s)),
  );
  if (suffix !== undefined) result = result.slice(0, result.length - suffix.length);
  return result;
}

/**
 * The target name an account gets before collisions are resolved: the account name with the
 * configured prefixes/suffixes stripped, every run of characters other than letters and digits
 * turned into one `_`, and `_` trimmed from both ends (`Analytics Sandbox` → `Analytics_Sandbox`,
 * `aws-dev-gamma` with strip prefix `aws-` → `dev_gamma`). An account without a usable name is
 * `account_<id>`.
 */
export function baseTargetName(account: DiscoveredAccount, matching: NameMatching): string {
  const cleaned = stripAffixes(account.name.trim(), matching)
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return cleaned === '' ? `account_${account.id}` : cleaned;
}

/**
 * The target name an account gets under the default `name_matching` (nothing stripped), as the
 * example config names its discovered targets: `sandbox-alpha` → `sandbox_alpha`.
 */
export function defaultTargetName(account: DiscoveredAccount): string {
  return baseTargetName(account, {
    strategy: 'exact',
    caseInsensitive: true,
    normalizeKeys: false,
    stripPrefixes: [],
    stripSuffixes: [],
  });
}

/** The name with every run of separators (anything but letters and digits) as one `-`. */
export function normalizeNameKey(name: string): string {
  return name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
}

/**
 * The static target the first matching pattern names, or undefined. Patterns see the account
 * name with prefixes/suffixes stripped. Strategies:
 * - `exact`: the pattern must match the whole name (it is anchored at both ends);
 * - `fuzzy`: the pattern may match any part of the name;
 * - `loose`: as fuzzy, always case-insensitive, and the name's separators (spaces, `_`, `.`, `-`
 *   and the like) are all written as one `-`, so `prod-data` matches `Prod_Data` and `prod data`.
 * `case_insensitive` (default true) ignores case; `normalize_keys` writes separators as `-`
 * before matching, as `loose` always does.
 */
export function matchStaticTarget(
  accountName: string,
  patterns: readonly AccountNamePattern[],
  matching: NameMatching,
): string | undefined {
  if (accountName.trim() === '') return undefined;
  const loose = matching.strategy === 'loose';
  const stripped = stripAffixes(accountName.trim(), matching);
  const subject = loose || matching.normalizeKeys ? normalizeNameKey(stripped) : stripped;
  const flags = loose || matching.caseInsensitive ? 'iu' : 'u';
  return patterns.find(({ pattern }) => {
    const source = matching.strategy === 'exact' ? `^(?:${pattern})$` : pattern;
    return new RegExp(source, flags).test(subject);
  })?.target;
}
