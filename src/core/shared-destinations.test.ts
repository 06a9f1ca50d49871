import { describe, expect, it } from 'vitest';
import { describeSharedDestination, findSharedDestinations } from './shared-destinations.js';
import type { DestinationClaim } from './shared-destinations.js';

function claim(name: string, overrides: Partial<DestinationClaim> = {}): DestinationClaim {
  return {
    name,
    accountId: '111111111111',
    region: 'us-east-1',
    secretPrefix: '',
    allowShared: false,
    ...overrides,
  };
}

const names = (claims: DestinationClaim[]) =>
  findSharedDestinations(claims).map(({ first, second }) => `${first.name}+${second.name}`);

describe('findSharedDestinations', () => {
  it('finds equal, empty and nested prefixes in the same account and region', () => {
    expect(names([claim('A'), claim('B')])).toEqual(['A+B']);
    expect(
      names([claim('A', { secretPrefix: 'app/' }), claim('B', { secretPrefix: 'app/db/' })]),
    ).toEqual(['A+B']);
    expect(names([claim('A', { secretPrefix: 'x/' }), claim('B')])).toEqual(['A+B']);
  });

  it('treats two targets without account_id as the same (the caller) account', () => {
    expect(
      names([claim('A', { accountId: undefined }), claim('B', { accountId: undefined })]),
    ).toEqual(['A+B']);
    expect(names([claim('A', { accountId: undefined }), claim('B')])).toEqual([]);
  });

  it('keeps apart other accounts, other regions and prefixes where neither starts with the other', () => {
    expect(names([claim('A'), claim('B', { accountId: '222222222222' })])).toEqual([]);
    expect(names([claim('A'), claim('B', { region: 'eu-west-1' })])).toEqual([]);
    expect(names([claim('A', { secretPrefix: 'a/' }), claim('B', { secretPrefix: 'b/' })])).toEqual(
      [],
    );
  });

  it('lets either target opt out with allow_shared_prefix', () => {
    expect(names([claim('A', { allowShared: true }), claim('B')])).toEqual([]);
    expect(names([claim('A'), claim('B', { allowShared: true }), claim('C')])).toEqual(['A+C']);
  });

  it('names both targets, the place, both prefixes and the fixes', () => {
    const [pair] = findSharedDestinations([
      claim('Prod', { secretPrefix: 'app/' }),
      claim('Shadow', { secretPrefix: 'app/db/' }),
    ]);
    expect(pair && describeSharedDestination(pair)).toBe(
      'targets "Prod" and "Shadow" both write to account 111111111111 in us-east-1 with overlapping secret prefixes "app/" and "app/db/", so their secret names can collide: give them prefixes where neither starts with the other, or set allow_shared_prefix: true on one of them if sharing is deliberate (the secretsync:target ownership tag keeps each one\'s secrets apart)',
    );
  });
});
