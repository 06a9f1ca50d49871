import { describe, expect, it } from 'vitest';
import { MANAGED_BY_TAG, planSecrets, TARGET_TAG } from './sync-plan.js';
import type { JsonObject } from './json.js';
import type { CurrentValues, ExistingSecret, TargetSettings } from './sync-plan.js';

const target: TargetSettings = {
  name: 'Prod',
  secretPrefix: 'prod/',
  tags: { Env: 'prod' },
  description: undefined,
  kmsKeyId: undefined,
  deleteOrphans: false,
};
const owned = { [MANAGED_BY_TAG]: 'secretsync', [TARGET_TAG]: 'Prod', Env: 'prod' };

function existing(name: string, extra: Partial<ExistingSecret> = {}): ExistingSecret {
  return {
    name,
    arn: `arn:${name}`,
    tags: owned,
    deleted: false,
    description: undefined,
    kmsKeyId: undefined,
    version: undefined,
    changed: undefined,
    ...extra,
  };
}

/** Current values as read from the account, none verified by a sync record. */
function read(values: ReadonlyMap<string, string>): CurrentValues {
  return { values, verified: new Set() };
}

describe('planSecrets', () => {
  it('creates, updates, keeps unchanged, restores and tags', () => {
    const desired = new Map([
      ['new', { a: 1 }],
      ['changed', { a: 1, b: 2 }],
      ['same', { x: { y: 1, z: 2 } }],
      ['deleted', { k: 'v' }],
      ['retag', { k: 'v' }],
    ]);
    const plan = planSecrets(
      target,
      desired,
      [
        existing('prod/changed'),
        existing('prod/same'),
        existing('prod/deleted', { deleted: true }),
        existing('prod/retag', { tags: { ...owned, Env: 'old' } }),
      ],
      read(
        new Map([
          ['prod/changed', '{"a":1,"c":3}'],
          ['prod/same', '{"x":{"z":2,"y":1}}'],
          ['prod/retag', '{"k":"v"}'],
        ]),
      ),
    );
    expect(plan.failures).toEqual([]);
    expect(plan.secrets.map((s) => [s.name, s.action])).toEqual([
      ['prod/changed', 'update'],
      ['prod/deleted', 'restore'],
      ['prod/new', 'create'],
      ['prod/retag', 'tag'],
      ['prod/same', 'unchanged'],
    ]);
    expect(plan.secrets[0]?.keys).toEqual({ added: ['b'], removed: ['c'], changed: [] });
    expect(plan.secrets[2]?.tags.set).toEqual({
      Env: 'prod',
      [MANAGED_BY_TAG]: 'secretsync',
      [TARGET_TAG]: 'Prod',
    });
    expect(plan.secrets[3]?.tags).toEqual({ set: { Env: 'prod' }, remove: [] });
    expect([...plan.payloads.keys()].sort()).toEqual(['prod/changed', 'prod/deleted', 'prod/new']);
    expect(plan.payloads.get('prod/changed')).toBe('{"a":1,"b":2}');
  });

  it('fails only the secret with an invalid name or an oversized value', () => {
    const big = { blob: 'x'.repeat(70_000) };
    const plan = planSecrets(
      target,
      new Map<string, JsonObject>([
        ['ok', { a: 1 }],
        ['bad name', { a: 1 }],
        ['big', big],
      ]),
      [],
      read(new Map()),
    );
    expect(plan.secrets.map((s) => s.name)).toEqual(['prod/ok']);
    expect(plan.failures.map((f) => [f.name, f.reason])).toEqual([
      [
        'prod/bad name',
        '"prod/bad name" has characters Secrets Manager does not allow in names: use only A-Z a-z 0-9 / _ + = . @ -',
      ],
      [
        'prod/big',
        'value is 70011 bytes as JSON; Secrets Manager stores at most 65536 bytes: split the secret in Vault',
      ],
    ]);
  });

  it('never overwrites a secret it does not own', () => {
    const plan = planSecrets(
      target,
      new Map([
        ['theirs', { a: 1 }],
        ['other', { a: 1 }],
      ]),
      [
        existing('prod/theirs', { tags: { Team: 'x' } }),
        existing('prod/other', { tags: { [MANAGED_BY_TAG]: 'secretsync', [TARGET_TAG]: 'Stg' } }),
      ],
      read(new Map()),
    );
    expect(plan.secrets).toEqual([]);
    expect(plan.failures.map((f) => f.reason.split(';')[0])).toEqual([
      'secret already exists and belongs to SecretSync target "Stg"',
      'secret already exists and was not created by SecretSync',
    ]);
  });

  it('deletes only owned orphans under the prefix, and only when enabled', () => {
    const listing = [
      existing('prod/orphan'),
      existing('prod/unowned', { tags: {} }),
      existing('prod/other-target', {
        tags: { [MANAGED_BY_TAG]: 'secretsync', [TARGET_TAG]: 'Stg' },
      }),
      existing('prod/already-deleted', { deleted: true }),
      existing('stg/outside'),
    ];
    const kept = planSecrets(target, new Map(), listing, read(new Map()));
    expect(kept.secrets).toEqual([]);
    expect(kept.keptOrphans).toEqual(['prod/orphan']);
    const plan = planSecrets(
      { ...target, deleteOrphans: true },
      new Map(),
      listing,
      read(new Map()),
    );
    expect(plan.secrets.map((s) => [s.name, s.action])).toEqual([['prod/orphan', 'delete']]);
    expect(plan.keptOrphans).toEqual([]);
  });

  it('treats a non-JSON current value as changed', () => {
    const plan = planSecrets(
      target,
      new Map([['s', { a: 1 }]]),
      [existing('prod/s')],
      read(new Map([['prod/s', 'not json']])),
    );
    expect(plan.secrets[0]).toMatchObject({
      action: 'update',
      keys: { added: [], removed: [], changed: ['a'] },
    });
  });

  it('updates description and KMS key when they differ', () => {
    const plan = planSecrets(
      { ...target, description: 'Managed', kmsKeyId: 'alias/k' },
      new Map([['s', { a: 1 }]]),
      [existing('prod/s', { description: 'old' })],
      read(new Map([['prod/s', '{"a":1}']])),
    );
    expect(plan.secrets[0]).toMatchObject({
      action: 'tag',
      metadata: { description: 'Managed', kmsKeyId: 'alias/k' },
    });
  });

  it('removes stale SecretSync tags but keeps tags others added', () => {
    const plan = planSecrets(
      target,
      new Map([['s', { a: 1 }]]),
      [existing('prod/s', { tags: { ...owned, 'secretsync:old': 'x', CostCenter: '1' } })],
      read(new Map([['prod/s', '{"a":1}']])),
    );
    expect(plan.secrets[0]?.tags).toEqual({ set: {}, remove: ['secretsync:old'] });
  });

  it('fails a secret nested 2,300 levels deep by name, and plans the rest', () => {
    let deep: JsonObject = { leaf: 1 };
    for (let i = 0; i < 2_300; i++) deep = { a: deep };
    const plan = planSecrets(
      target,
      new Map<string, JsonObject>([
        ['deep', deep],
        ['ok', { a: 1 }],
      ]),
      [existing('prod/deep')],
      read(new Map([['prod/deep', '{"a":1}']])),
    );
    expect(plan.failures).toEqual([
      {
        name: 'prod/deep',
        path: 'deep',
        reason:
          'value nests more than 64 levels deep; SecretSync syncs values up to 64 levels: flatten the secret in Vault',
      },
    ]);
    expect(plan.secrets.map((s) => [s.name, s.action])).toEqual([['prod/ok', 'create']]);
    expect([...plan.hashes.keys()]).toEqual(['prod/ok']);
  });
});
