import { describe, expect, it } from 'vitest';
import { PolicyStore, comparePriority } from './policy.js';

function store(): PolicyStore {
  const policies = new PolicyStore();
  policies.set('app', [
    { path: 'secret/data/*', capabilities: ['read'] },
    { path: 'secret/data/app/*', capabilities: ['read', 'create', 'update'] },
    { path: 'secret/data/app/locked', capabilities: ['deny'] },
    { path: 'secret/metadata/+/list-me', capabilities: ['list'] },
  ]);
  policies.set('extra', [{ path: 'secret/data/*', capabilities: ['delete'] }]);
  return policies;
}

describe('PolicyStore', () => {
  it('uses the most specific matching rule, not the union of all matches', () => {
    const policies = store();
    expect([...policies.capabilities(['app'], 'secret/data/app/x')].sort()).toEqual([
      'create',
      'read',
      'update',
    ]);
    expect(policies.allows(['app'], 'secret/data/other', 'update')).toBe(false);
  });

  it('merges identical paths across policies', () => {
    const caps = store().capabilities(['app', 'extra'], 'secret/data/other');
    expect([...caps].sort()).toEqual(['delete', 'read']);
  });

  it('lets deny on the chosen rule take away everything', () => {
    expect(store().capabilities(['app'], 'secret/data/app/locked').size).toBe(0);
  });

  it('matches + as exactly one segment', () => {
    const policies = store();
    expect(policies.allows(['app'], 'secret/metadata/team/list-me', 'list')).toBe(true);
    expect(policies.allows(['app'], 'secret/metadata/a/b/list-me', 'list')).toBe(false);
  });

  it('grants everything to root and nothing to unknown policies', () => {
    const policies = store();
    expect(policies.allows(['root'], 'anything/at/all', 'sudo')).toBe(true);
    expect(policies.allows(['nope'], 'secret/data/x', 'read')).toBe(false);
  });

  it('tells whether a token may use any part of a mount', () => {
    const policies = store();
    expect(policies.grantsAnyUnder(['app'], 'secret/')).toBe(true);
    expect(policies.grantsAnyUnder(['app'], 'other/')).toBe(false);
    policies.set('glob', [{ path: 'sec*', capabilities: ['read'] }]);
    expect(policies.grantsAnyUnder(['glob'], 'secret/')).toBe(true);
  });
});

describe('comparePriority (Vault docs, priority matching)', () => {
  it.each([
    ['secret/data/app', 'secret/data/*', 'no wildcard beats a glob'],
    ['secret/data/+/x', 'secret/+/app/x', 'a later first wildcard wins'],
    ['secret/data/x', 'secret/data/*', 'no trailing glob wins'],
    ['secret/data/app/*', 'secret/data/*', 'longer wins'],
    ['secret/b*', 'secret/a*', 'lexicographically larger wins'],
  ])('%s beats %s (%s)', (winner, loser) => {
    expect(comparePriority(winner, loser)).toBeGreaterThan(0);
    expect(comparePriority(loser, winner)).toBeLessThan(0);
  });
});
