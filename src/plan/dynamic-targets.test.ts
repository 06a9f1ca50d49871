import { describe, expect, it } from 'vitest';
import type { DynamicTarget, Target } from '../config/types.js';
import type { DiscoveredAccount } from '../core/account-filters.js';
import { expandDynamicTargets } from './dynamic-targets.js';

function dynamic(name: string, overrides: Partial<DynamicTarget> = {}): DynamicTarget {
  return {
    name,
    discovery: { organizations: undefined, identityCenter: undefined, accountsList: undefined },
    imports: ['Staging'],
    exclude: [],
    accountNamePatterns: [],
    nameMatching: {
      strategy: 'exact',
      caseInsensitive: true,
      normalizeKeys: false,
      stripPrefixes: [],
      stripSuffixes: [],
    },
    region: 'eu-west-1',
    secretPrefix: 'sandbox/',
    roleArn: undefined,
    tags: { Team: 'x' },
    kmsKeyId: 'alias/k',
    description: 'managed',
    deleteOrphans: true,
    maxDeletes: undefined,
    maxChanges: undefined,
    allowSharedPrefix: false,
    ...overrides,
  };
}

function staticTarget(name: string, accountId: string): Target {
  return {
    name,
    accountId,
    imports: ['common'],
    region: 'us-east-1',
    secretPrefix: '',
    roleArn: undefined,
    tags: {},
    kmsKeyId: undefined,
    description: undefined,
    deleteOrphans: false,
    maxDeletes: undefined,
    maxChanges: undefined,
    allowSharedPrefix: false,
  };
}

const acct = (id: string, name: string): DiscoveredAccount => ({
  id,
  name,
  status: 'ACTIVE',
  tags: {},
});
const statics = new Map([
  ['Staging', staticTarget('Staging', '111111111111')],
  ['Production', staticTarget('Production', '222222222222')],
]);

describe('expandDynamicTargets', () => {
  it('makes one target per account with the dynamic settings, sorted by name', () => {
    const { targets, warnings } = expandDynamicTargets(
      [
        {
          dynamic: dynamic('Sandboxes', {
            roleArn: 'arn:aws:iam::{{.AccountID}}:role/Sync',
          }),
          accounts: [acct('900000000002', 'zeta box'), acct('900000000001', 'Analytics Sandbox')],
        },
      ],
      statics,
    );
    expect(warnings).toEqual([]);
    expect(targets.map((t) => t.name)).toEqual(['Analytics_Sandbox', 'zeta_box']);
    expect(targets[0]).toEqual({
      name: 'Analytics_Sandbox',
      accountId: '900000000001',
      imports: ['Staging'],
      region: 'eu-west-1',
      secretPrefix: 'sandbox/',
      roleArn: 'arn:aws:iam::900000000001:role/Sync',
      tags: { Team: 'x' },
      kmsKeyId: 'alias/k',
      description: 'managed',
      deleteOrphans: true,
      allowSharedPrefix: false,
      discoveredBy: 'Sandboxes',
      accountName: 'Analytics Sandbox',
    });
  });

  it('drops excluded accounts and leaves role_arn unset when the dynamic target has none', () => {
    const { targets } = expandDynamicTargets(
      [
        {
          dynamic: dynamic('D', { exclude: ['900000000001'] }),
          accounts: [acct('900000000001', 'a'), acct('900000000002', 'b')],
        },
      ],
      statics,
    );
    expect(targets.map((t) => [t.name, t.roleArn])).toEqual([['b', undefined]]);
  });

  it('says what the exclude list kept and dropped, and only for dynamic targets that have one', () => {
    const { exclusions } = expandDynamicTargets(
      [
        {
          dynamic: dynamic('D', { exclude: ['900000000001'] }),
          accounts: [acct('900000000001', 'a'), acct('900000000002', 'b')],
        },
        { dynamic: dynamic('E'), accounts: [acct('900000000003', 'c')] },
      ],
      statics,
    );
    expect(
      exclusions.map(({ dynamicTarget, outcome }) => [
        dynamicTarget,
        outcome.filter,
        outcome.kept.map((a) => a.id),
        outcome.dropped.map((d) => [d.account.id, d.reason]),
      ]),
    ).toEqual([
      ['D', 'exclude [900000000001]', ['900000000002'], [['900000000001', 'listed in exclude']]],
    ]);
  });

  it('renames every member of a colliding group with the last 6 digits of its id', () => {
    const { targets, warnings } = expandDynamicTargets(
      [
        {
          dynamic: dynamic('D'),
          accounts: [
            acct('900000123456', 'dev box'),
            acct('900000654321', 'dev-box'),
            acct('900000000003', 'other'),
          ],
        },
      ],
      statics,
    );
    expect(targets.map((t) => [t.name, t.accountId])).toEqual([
      ['dev_box_123456', '900000123456'],
      ['dev_box_654321', '900000654321'],
      ['other', '900000000003'],
    ]);
    expect(warnings).toEqual([
      {
        dynamicTarget: 'D',
        message:
          '2 discovered accounts are named "dev_box": syncing 900000123456 ("dev box") as "dev_box_123456", 900000654321 ("dev-box") as "dev_box_654321"',
      },
    ]);
  });

  it('falls back to the full id when the last 6 digits collide too', () => {
    const { targets } = expandDynamicTargets(
      [{ dynamic: dynamic('D'), accounts: [acct('100000123456', 'x'), acct('200000123456', 'x')] }],
      statics,
    );
    expect(targets.map((t) => t.name)).toEqual(['x_100000123456', 'x_200000123456']);
  });

  it('names the same account found by two dynamic targets apart, with the dynamic name', () => {
    const { targets } = expandDynamicTargets(
      [
        { dynamic: dynamic('Org', { secretPrefix: 'a/' }), accounts: [acct('900000000001', 'x')] },
        { dynamic: dynamic('Sso', { secretPrefix: 'b/' }), accounts: [acct('900000000001', 'x')] },
      ],
      statics,
    );
    expect(targets.map((t) => [t.name, t.secretPrefix])).toEqual([
      ['x_900000000001_Org', 'a/'],
      ['x_900000000001_Sso', 'b/'],
    ]);
  });

  it('lets a static target win: same account dropped, other account renamed, both warn', () => {
    const { targets, warnings } = expandDynamicTargets(
      [
        {
          dynamic: dynamic('D'),
          accounts: [acct('222222222222', 'Production'), acct('900000555555', 'Staging')],
        },
      ],
      statics,
    );
    expect(targets.map((t) => [t.name, t.accountId])).toEqual([['Staging_555555', '900000555555']]);
    expect(warnings.map((w) => w.message)).toEqual([
      'account 222222222222 ("Production") is already the static target "Production"; it is synced as that target only',
      'the static target "Staging" keeps the name: syncing 900000555555 ("Staging") as "Staging_555555"',
    ]);
  });

  it('does not let a plain name take a generated name twice', () => {
    const { targets } = expandDynamicTargets(
      [
        {
          dynamic: dynamic('D'),
          accounts: [
            acct('900000111111', 'dev'),
            acct('900000222222', 'dev'),
            acct('900000333333', 'dev 111111'),
          ],
        },
      ],
      statics,
    );
    expect(targets.map((t) => t.name)).toEqual([
      'dev_111111',
      'dev_900000111111',
      'dev_900000222222',
    ]);
  });

  it('maps an account matching a name pattern to import exactly that static target', () => {
    const { targets } = expandDynamicTargets(
      [
        {
          dynamic: dynamic('D', {
            imports: ['Staging'],
            accountNamePatterns: [
              { pattern: 'prod-.*', target: 'Production' },
              { pattern: '.*', target: 'Staging' },
            ],
          }),
          accounts: [acct('900000000001', 'prod-eu'), acct('900000000002', 'Dev')],
        },
      ],
      statics,
    );
    expect(targets.map((t) => [t.name, t.imports])).toEqual([
      ['Dev', ['Staging']],
      ['prod_eu', ['Production']],
    ]);
  });

  it('warns and keeps the dynamic imports when a pattern names no static target', () => {
    const { targets, warnings } = expandDynamicTargets(
      [
        {
          dynamic: dynamic('D', { accountNamePatterns: [{ pattern: 'prod', target: 'Nope' }] }),
          accounts: [acct('900000000001', 'prod')],
        },
      ],
      statics,
    );
    expect(targets[0]?.imports).toEqual(['Staging']);
    expect(warnings[0]?.message).toContain('"Nope", which is not a static target');
  });

  it('is deterministic whatever order discovery returned', () => {
    const accounts = [
      acct('900000000003', 'c'),
      acct('900000000001', 'a'),
      acct('900000000002', 'a'),
    ];
    const once = expandDynamicTargets([{ dynamic: dynamic('D'), accounts }], statics);
    const reversed = expandDynamicTargets(
      [{ dynamic: dynamic('D'), accounts: [...accounts].reverse() }],
      statics,
    );
    expect(reversed).toEqual(once);
  });
});
