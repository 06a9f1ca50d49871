import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, isJsonObject, jsonEqual } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import { MANAGED_BY_TAG, planSecrets, TARGET_TAG } from './sync-plan.js';
import type { CurrentValues, ExistingSecret, TargetSettings, SecretPlan } from './sync-plan.js';
import { nextSyncRecord } from './next-sync-record.js';
import { verifiedByRecord } from './sync-record.js';

// Invariants of planning, over random desired bundles and random account listings.

/** Every value carries this marker, so a plan that leaks a value is easy to spot. */
const VALUE_MARK = 'VALUE:';

const key = fc.constantFrom('a', 'b', 'c', 'host', 'port');
const leaf: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.string({ maxLength: 6 }).map((text) => `${VALUE_MARK}${text}`),
  fc.integer({ min: 0, max: 3 }),
  fc.boolean(),
);
const secretValue: fc.Arbitrary<JsonObject> = fc.oneof(
  { weight: 20, arbitrary: fc.dictionary(key, leaf, { maxKeys: 3 }) },
  // Rarely, a value over the 65,536-byte limit.
  { weight: 1, arbitrary: fc.constant({ blob: `${VALUE_MARK}${'x'.repeat(70_000)}` }) },
);
/** Relative paths: mostly valid names, sometimes with characters AWS refuses. */
const path = fc.constantFrom('db', 'api/key', 'cache', 'x', 'bad name', 'café');
const prefix = fc.constantFrom('', 'p/', 'q/');
const owner = fc.constantFrom('T', 'U');

const target: fc.Arbitrary<TargetSettings> = fc.record({
  name: fc.constant('T'),
  secretPrefix: prefix,
  tags: fc.dictionary(fc.constantFrom('Env', 'Team'), fc.constantFrom('x', 'y'), { maxKeys: 2 }),
  description: fc.option(fc.constantFrom('d1', 'd2'), { nil: undefined }),
  kmsKeyId: fc.option(fc.constantFrom('k1', 'k2'), { nil: undefined }),
  deleteOrphans: fc.boolean(),
});

const tagsOf = fc.oneof(
  owner.map((name) => ({ [MANAGED_BY_TAG]: 'secretsync', [TARGET_TAG]: name })),
  owner.map((name) => ({ [MANAGED_BY_TAG]: 'secretsync', [TARGET_TAG]: name, Env: 'old' })),
  fc.constant({ Team: 'someone-else' }),
);

/** What the account holds: a listing plus the current value text of some secrets. */
interface AccountState {
  readonly existing: ExistingSecret[];
  readonly values: Map<string, string>;
}

const accountState: fc.Arbitrary<AccountState> = fc
  .uniqueArray(
    fc.record({
      name: fc.tuple(prefix, path).map(([p, rest]) => `${p}${rest}`),
      tags: tagsOf,
      deleted: fc.boolean(),
      description: fc.option(fc.constantFrom('d1', 'd2'), { nil: undefined }),
      kmsKeyId: fc.option(fc.constantFrom('k1', 'k2'), { nil: undefined }),
      value: fc.option(
        fc.oneof(secretValue.map(canonicalJson), fc.constant('not json'), fc.constant('[1,2]')),
        { nil: undefined },
      ),
    }),
    { selector: (secret) => secret.name, maxLength: 8 },
  )
  .map((secrets) => ({
    existing: secrets.map(({ value: _value, ...secret }) => ({
      ...secret,
      arn: `arn:aws:secretsmanager:us-east-1:111111111111:secret:${secret.name}`,
      version: `v0:${secret.name}`,
      changed: undefined,
    })),
    values: new Map(
      secrets.flatMap((secret) =>
        secret.value === undefined ? [] : [[secret.name, secret.value] as const],
      ),
    ),
  }));

const desiredBundle = fc
  .uniqueArray(fc.tuple(path, secretValue), { selector: ([p]) => p, maxLength: 6 })
  .map((entries) => new Map<string, JsonObject>(entries));

const scenario = fc.record({ target, desired: desiredBundle, account: accountState });

function ownedBy(secret: ExistingSecret, targetName: string): boolean {
  return secret.tags[MANAGED_BY_TAG] === 'secretsync' && secret.tags[TARGET_TAG] === targetName;
}

function planOf(s: {
  target: TargetSettings;
  desired: Map<string, JsonObject>;
  account: AccountState;
}) {
  return planSecrets(s.target, s.desired, s.account.existing, read(s.account.values));
}

/** Values as read from the account, none verified by a sync record. */
function read(values: ReadonlyMap<string, string>): CurrentValues {
  return { values, verified: new Set() };
}

/** The account after apply carried out `plan` exactly (what the adapter does, as data). */
function applyToAccount(
  targetSettings: TargetSettings,
  account: AccountState,
  plan: SecretPlan,
): AccountState & { readonly written: Map<string, string> } {
  const written = new Map<string, string>();
  const byName = new Map(account.existing.map((secret) => [secret.name, secret]));
  const values = new Map(account.values);
  for (const planned of plan.secrets) {
    const before = byName.get(planned.name);
    const tags = { ...(before?.tags ?? {}), ...planned.tags.set };
    for (const removed of planned.tags.remove) Reflect.deleteProperty(tags, removed);
    const metadata = planned.metadata ?? {};
    const next: ExistingSecret = {
      name: planned.name,
      arn: before?.arn ?? `arn:new:${planned.name}`,
      tags: planned.action === 'create' ? planned.tags.set : tags,
      // Only RestoreSecret brings back a secret scheduled for deletion; writes to it fail.
      deleted:
        planned.action === 'delete' || (before?.deleted === true && planned.action !== 'restore'),
      description:
        planned.action === 'create'
          ? targetSettings.description
          : (metadata.description ?? before?.description),
      kmsKeyId:
        planned.action === 'create'
          ? targetSettings.kmsKeyId
          : (metadata.kmsKeyId ?? before?.kmsKeyId),
      version: before?.version,
      changed: undefined,
    };
    const payload = plan.payloads.get(planned.name);
    if (payload !== undefined && !next.deleted) {
      values.set(planned.name, payload);
      written.set(planned.name, `v1:${planned.name}`);
    }
    byName.set(planned.name, { ...next, version: written.get(planned.name) ?? next.version });
  }
  return { existing: [...byName.values()], values, written };
}

/** The account after someone outside SecretSync put a new value into one secret. */
function editOutside(account: AccountState, name: string): AccountState {
  return {
    existing: account.existing.map((secret) =>
      secret.name === name ? { ...secret, version: `edited:${name}` } : secret,
    ),
    values: new Map(account.values).set(name, '{"edited":"outside"}'),
  };
}

describe('planSecrets (properties)', () => {
  it('plans every desired secret exactly once: as an action or as a failure', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const plan = planOf(s);
        const desiredNames = [...s.desired.keys()].map((p) => `${s.target.secretPrefix}${p}`);
        const planned = plan.secrets.filter((p) => p.action !== 'delete').map((p) => p.name);
        const failed = plan.failures.map((f) => f.name);
        expect([...planned, ...failed].sort()).toEqual([...desiredNames].sort());
      }),
    );
  });

  it('carries a payload exactly for create, update and restore, and it is the canonical JSON', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const plan = planOf(s);
        const writes = plan.secrets.filter((p) =>
          ['create', 'update', 'restore'].includes(p.action),
        );
        expect([...plan.payloads.keys()].sort()).toEqual(writes.map((p) => p.name).sort());
        for (const secret of writes) {
          const value = s.desired.get(secret.path ?? '');
          expect(plan.payloads.get(secret.name)).toBe(canonicalJson(value ?? {}));
        }
      }),
    );
  });

  it('deletes exactly the owned, live, unwanted secrets under the prefix, and only when enabled', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const plan = planOf(s);
        const desiredNames = new Set([...s.desired.keys()].map((p) => s.target.secretPrefix + p));
        const expected = s.target.deleteOrphans
          ? s.account.existing
              .filter(
                (secret) =>
                  !secret.deleted &&
                  !desiredNames.has(secret.name) &&
                  secret.name.startsWith(s.target.secretPrefix) &&
                  ownedBy(secret, s.target.name),
              )
              .map((secret) => secret.name)
              .sort()
          : [];
        const deleted = plan.secrets.filter((p) => p.action === 'delete').map((p) => p.name);
        expect(deleted).toEqual(expected);
      }),
    );
  });

  it('never writes to, tags or deletes a secret another owner holds', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const plan = planOf(s);
        const foreign = new Set(
          s.account.existing
            .filter((secret) => !ownedBy(secret, s.target.name))
            .map((secret) => secret.name),
        );
        for (const secret of plan.secrets) expect(foreign.has(secret.name)).toBe(false);
      }),
    );
  });

  it('never puts a secret value into the plan or its failures (only into payloads)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const plan = planOf(s);
        expect(JSON.stringify(plan.secrets)).not.toContain(VALUE_MARK);
        expect(JSON.stringify(plan.failures)).not.toContain(VALUE_MARK);
      }),
    );
  });

  it('lists each secret once, sorted by name', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const names = planOf(s).secrets.map((p) => p.name);
        expect(names).toEqual([...new Set(names)].sort());
      }),
    );
  });

  it('says unchanged only when the current value is semantically equal', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const plan = planOf(s);
        for (const secret of plan.secrets.filter((p) => p.action === 'unchanged')) {
          const current: unknown = JSON.parse(s.account.values.get(secret.name) ?? 'null');
          const desired = s.desired.get(secret.path ?? '') ?? {};
          expect(isJsonObject(current) && jsonEqual(current, desired)).toBe(true);
        }
      }),
    );
  });

  it('converges: planning again after applying the plan finds nothing left to do', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const first = planOf(s);
        const after = applyToAccount(s.target, s.account, first);
        const second = planSecrets(s.target, s.desired, after.existing, read(after.values));
        expect(second.secrets.filter((p) => p.action !== 'unchanged')).toEqual([]);
        expect(second.failures.map((f) => f.name)).toEqual(first.failures.map((f) => f.name));
      }),
    );
  });
});

describe('planSecrets with a sync record (properties)', () => {
  it('reads no value the record vouches for, yet plans exactly what reading every value plans', () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), (s, edit) => {
        const first = planOf(s);
        const after = applyToAccount(s.target, s.account, first);
        const record = nextSyncRecord({
          accountId: '111111111111',
          region: 'us-east-1',
          planned: first.secrets,
          applied: new Set(first.secrets.map((p) => p.name)),
          hashes: first.hashes,
          listed: new Map(s.account.existing.map((secret) => [secret.name, secret])),
          written: after.written,
        });
        const edited = [...record.secrets.keys()][0];
        const account = edit && edited !== undefined ? editOutside(after, edited) : after;
        const verified = verifiedByRecord(
          s.target.secretPrefix,
          s.desired,
          account.existing,
          record,
        );
        const unread = new Map([...account.values].filter(([name]) => !verified.has(name)));
        const withRecord = planSecrets(s.target, s.desired, account.existing, {
          values: unread,
          verified,
        });
        const withReads = planSecrets(s.target, s.desired, account.existing, read(account.values));
        expect(withRecord.secrets).toEqual(withReads.secrets);
        if (edit && edited !== undefined) expect(verified.has(edited)).toBe(false);
        if (!edit)
          expect([...verified].sort()).toEqual(
            withReads.secrets
              .filter((p) => p.action === 'unchanged' && record.secrets.has(p.name))
              .map((p) => p.name),
          );
      }),
    );
  });
});

describe('planSecrets with key names that are Object.prototype members', () => {
  const owned = { [MANAGED_BY_TAG]: 'secretsync', [TARGET_TAG]: 'T' };
  const plainTarget: TargetSettings = {
    name: 'T',
    secretPrefix: '',
    tags: {},
    description: undefined,
    kmsKeyId: undefined,
    deleteOrphans: false,
  };
  const current: ExistingSecret = {
    name: 's',
    arn: 'arn:s',
    tags: owned,
    deleted: false,
    description: undefined,
    kmsKeyId: undefined,
    version: undefined,
    changed: undefined,
  };

  // Bug: diffKeys tests membership with `in`, so a stale key named "toString" (or "constructor",
  // "valueOf", ...) in the account is invisible and the secret is never rewritten.
  it('updates a secret whose current value has a stale key named "toString"', () => {
    const plan = planSecrets(
      plainTarget,
      new Map([['s', { a: 1 }]]),
      [current],
      read(new Map([['s', '{"a":1,"toString":"stale"}']])),
    );
    expect(plan.secrets.map((p) => p.action)).toEqual(['update']);
  });

  // Bug: canonicalJson assigns "__proto__" as a property, which sets the prototype instead; the
  // key is dropped from the payload, so the plan says "update" on every run and never converges.
  it('converges for a desired key named "__proto__"', () => {
    const desired = new Map([['s', JSON.parse('{"a":1,"__proto__":"v"}') as JsonObject]]);
    const first = planSecrets(plainTarget, desired, [current], read(new Map([['s', '{"a":1}']])));
    const payload = first.payloads.get('s') ?? '';
    const second = planSecrets(plainTarget, desired, [current], read(new Map([['s', payload]])));
    expect(second.secrets.map((p) => p.action)).toEqual(['unchanged']);
  });
});
