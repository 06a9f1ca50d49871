import { describe, expect, it } from 'vitest';
import {
  accountStatusOf,
  applyAccountFilter,
  DEFAULT_EXCLUDED_STATUSES,
  describeAccount,
  describeTagFilters,
  statusDropReason,
  tagDropReason,
  hasIncludedStatus,
  matchesTagFilter,
  matchesTagFilters,
  mergeDiscoveredAccounts,
  wildcardRegExp,
} from './account-filters.js';
import type { DiscoveredAccount, TagFilter } from './account-filters.js';

const filter = (key: string, operator: TagFilter['operator'], ...values: string[]): TagFilter => ({
  key,
  operator,
  values,
});
const account = (id: string, status = 'ACTIVE', name = ''): DiscoveredAccount => ({
  id,
  name,
  status,
  tags: {},
});

describe('tag filters', () => {
  const tags = { Environment: 'Production', Team: 'platform-core', CostCenter: 'cc-42' };

  it('equals compares values case-insensitively but keys exactly', () => {
    expect(matchesTagFilter(tags, filter('Environment', 'equals', 'production'))).toBe(true);
    expect(matchesTagFilter(tags, filter('Environment', 'equals', 'prod'))).toBe(false);
    expect(matchesTagFilter(tags, filter('environment', 'equals', 'production'))).toBe(false);
  });

  it('contains matches a substring of the value', () => {
    expect(matchesTagFilter(tags, filter('Team', 'contains', 'CORE'))).toBe(true);
    expect(matchesTagFilter(tags, filter('Team', 'contains', 'data'))).toBe(false);
  });

  it('wildcard matches the whole value with * and ?', () => {
    expect(matchesTagFilter(tags, filter('Team', 'wildcard', 'platform-*'))).toBe(true);
    expect(matchesTagFilter(tags, filter('Team', 'wildcard', 'platform'))).toBe(false);
    expect(matchesTagFilter(tags, filter('CostCenter', 'wildcard', 'cc-?2'))).toBe(true);
    expect(matchesTagFilter(tags, filter('CostCenter', 'wildcard', 'cc-?'))).toBe(false);
    expect(matchesTagFilter(tags, filter('Team', 'wildcard', '*CORE'))).toBe(true);
  });

  it('treats regex characters in wildcard patterns literally', () => {
    expect(wildcardRegExp('a.b(c)+[d]').test('a.b(c)+[d]')).toBe(true);
    expect(wildcardRegExp('a.b').test('axb')).toBe(false);
    expect(wildcardRegExp('a\\*').test('a\\anything')).toBe(true);
  });

  it('ORs the values of one key and ANDs across keys', () => {
    expect(
      matchesTagFilters(tags, [
        filter('Environment', 'equals', 'staging', 'production'),
        filter('Team', 'wildcard', 'platform-*'),
      ]),
    ).toBe(true);
    expect(
      matchesTagFilters(tags, [
        filter('Environment', 'equals', 'staging', 'production'),
        filter('Team', 'equals', 'data'),
      ]),
    ).toBe(false);
  });

  it('never matches a missing key, and no filters match everything', () => {
    expect(matchesTagFilter(tags, filter('Owner', 'wildcard', '*'))).toBe(false);
    expect(matchesTagFilters({}, [])).toBe(true);
  });
});

describe('status', () => {
  it('excludes SUSPENDED and PENDING_CLOSURE by default and keeps unknown statuses', () => {
    expect(hasIncludedStatus(account('1', 'SUSPENDED'), DEFAULT_EXCLUDED_STATUSES)).toBe(false);
    expect(hasIncludedStatus(account('1', 'PENDING_CLOSURE'), DEFAULT_EXCLUDED_STATUSES)).toBe(
      false,
    );
    expect(hasIncludedStatus(account('1', 'ACTIVE'), DEFAULT_EXCLUDED_STATUSES)).toBe(true);
    expect(hasIncludedStatus(account('1', 'UNKNOWN'), DEFAULT_EXCLUDED_STATUSES)).toBe(true);
    expect(hasIncludedStatus(account('1', 'SUSPENDED'), [])).toBe(true);
  });

  it('prefers Status and maps a lone State back to the config vocabulary', () => {
    expect(accountStatusOf('ACTIVE', 'SUSPENDED')).toBe('ACTIVE');
    expect(accountStatusOf(undefined, 'CLOSED')).toBe('SUSPENDED');
    expect(accountStatusOf(undefined, 'PENDING_CLOSURE')).toBe('PENDING_CLOSURE');
    expect(accountStatusOf(undefined, undefined)).toBe('UNKNOWN');
  });
});

describe('mergeDiscoveredAccounts', () => {
  it('keeps one entry per id, sorted, filling a missing name and status from later lists', () => {
    const merged = mergeDiscoveredAccounts([
      [{ id: '2', name: '', status: 'UNKNOWN', tags: { a: 'b' } }],
      [account('2', 'ACTIVE', 'two'), account('1', 'ACTIVE', 'one')],
    ]);
    expect(merged).toEqual([
      account('1', 'ACTIVE', 'one'),
      { id: '2', name: 'two', status: 'ACTIVE', tags: { a: 'b' } },
    ]);
  });
});

describe('why a filter drops an account', () => {
  const env = filter('Environment', 'equals', 'sandbox', 'dev');
  it('names the tag, its value and what was wanted, or the missing tag', () => {
    expect(tagDropReason({ Environment: 'sandbox' }, [env])).toBeUndefined();
    expect(tagDropReason({ Environment: 'prod' }, [env])).toBe(
      'tag Environment is "prod", not equals sandbox or dev',
    );
    expect(tagDropReason({}, [env, filter('Team', 'contains', 'a')])).toBe(
      'no tag Environment (wanted equals sandbox or dev)',
    );
    expect(describeTagFilters([env, filter('Team', 'wildcard', 'a*')])).toBe(
      'Environment equals sandbox or dev, Team wildcard a*',
    );
  });

  it('names the excluded status, and splits kept from dropped in order', () => {
    const accounts = [account('1', 'ACTIVE', 'one'), account('2', 'SUSPENDED'), account('3')];
    const outcome = applyAccountFilter('status', accounts, (a) =>
      statusDropReason(a, DEFAULT_EXCLUDED_STATUSES),
    );
    expect(outcome.kept.map((a) => a.id)).toEqual(['1', '3']);
    expect(outcome.dropped).toEqual([
      { account: accounts[1], reason: 'status SUSPENDED is excluded' },
    ]);
    expect(accounts.map(describeAccount)).toEqual(['1 ("one")', '2', '3']);
  });
});
