import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidNextTokenException,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSecretsManagerFake, DEFAULT_ACCOUNT } from './fake.js';
import type { SecretsManagerFake } from './fake.js';

const START = new Date('2026-01-01T00:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

let clock: Date;
let ids: number;
let fake: SecretsManagerFake;
let sm: SecretsManagerClient;
beforeEach(() => {
  clock = START;
  ids = 0;
  fake = createSecretsManagerFake({
    now: () => clock,
    ids: {
      arnSuffix: () => `Suf${String(++ids).padStart(3, '0')}`,
      versionId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    },
  });
  sm = fake.client();
});

function advance(ms: number): void {
  clock = new Date(clock.getTime() + ms);
}

async function create(name: string, value = 'v1', extra: object = {}) {
  return sm.send(new CreateSecretCommand({ Name: name, SecretString: value, ...extra }));
}

/** The error a call rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error & { $metadata?: object }> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as Error,
  );
}

describe('CreateSecret', () => {
  it('returns the ARN (name plus 6 characters) and a version, and stores the metadata', async () => {
    const created = await create('app/db', '{"a":1}', {
      Description: 'db',
      KmsKeyId: 'alias/k',
      Tags: [{ Key: 'Env', Value: 'stg' }],
    });
    expect(created.ARN).toBe(
      `arn:aws:secretsmanager:us-east-1:${DEFAULT_ACCOUNT}:secret:app/db-Suf001`,
    );
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    expect(described).toMatchObject({
      Name: 'app/db',
      Description: 'db',
      KmsKeyId: 'alias/k',
      Tags: [{ Key: 'Env', Value: 'stg' }],
      CreatedDate: START,
      LastChangedDate: START,
      VersionIdsToStages: { [created.VersionId as string]: ['AWSCURRENT'] },
    });
    expect(described.DeletedDate).toBeUndefined();
  });

  it('creates a secret without a value and without a version', async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'empty' }));
    expect(created.VersionId).toBeUndefined();
    const error = await failure(sm.send(new GetSecretValueCommand({ SecretId: 'empty' })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses an existing name with ResourceExistsException (HTTP 400)', async () => {
    await create('dup');
    const error = await failure(create('dup', 'other'));
    expect(error).toBeInstanceOf(ResourceExistsException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  it('treats a retry with the same ClientRequestToken and value as the same request', async () => {
    const token = '11111111-1111-4111-8111-111111111111';
    const first = await create('retry', 'v', { ClientRequestToken: token });
    const again = await create('retry', 'v', { ClientRequestToken: token });
    expect(again.VersionId).toBe(first.VersionId);
    expect(first.VersionId).toBe(token);
    const changed = await failure(create('retry', 'w', { ClientRequestToken: token }));
    expect(changed).toBeInstanceOf(ResourceExistsException);
  });

  it('refuses the name of a secret scheduled for deletion with InvalidRequestException', async () => {
    await create('gone');
    await sm.send(new DeleteSecretCommand({ SecretId: 'gone', RecoveryWindowInDays: 7 }));
    expect(await failure(create('gone'))).toBeInstanceOf(InvalidRequestException);
  });

  it('refuses SecretString and SecretBinary together', async () => {
    const both = create('both', 'v', { SecretBinary: new Uint8Array([1, 2]) });
    expect(await failure(both)).toBeInstanceOf(InvalidParameterException);
  });

  it('stores a binary value and returns it as bytes', async () => {
    await sm.send(
      new CreateSecretCommand({ Name: 'bin', SecretBinary: new Uint8Array([1, 2, 3]) }),
    );
    const read = await sm.send(new GetSecretValueCommand({ SecretId: 'bin' }));
    expect([...(read.SecretBinary ?? [])]).toEqual([1, 2, 3]);
    expect(read.SecretString).toBeUndefined();
  });
});

describe('PutSecretValue and version stages', () => {
  it('moves AWSCURRENT to the new version and AWSPREVIOUS to the old one', async () => {
    const v1 = (await create('s', 'one')).VersionId as string;
    advance(1000);
    const put = await sm.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'two' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    const v2 = put.VersionId as string;
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described.VersionIdsToStages).toEqual({ [v1]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT'] });
    expect(described.LastChangedDate).toEqual(new Date(START.getTime() + 1000));
    const previous = await sm.send(
      new GetSecretValueCommand({ SecretId: 's', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe('one');
  });

  it('lists only versions with labels: the third write deprecates the first version', async () => {
    const v1 = (await create('s', 'one')).VersionId as string;
    await sm.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'two' }));
    const v3 = await sm.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'three' }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(Object.keys(described.VersionIdsToStages ?? {})).not.toContain(v1);
    expect(described.VersionIdsToStages?.[v3.VersionId as string]).toEqual(['AWSCURRENT']);
    const old = await sm.send(new GetSecretValueCommand({ SecretId: 's', VersionId: v1 }));
    expect(old.SecretString).toBe('one');
  });

  it('creates a new version even for an identical value', async () => {
    const v1 = await create('s', 'same');
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'same' }));
    expect(v2.VersionId).not.toBe(v1.VersionId);
  });

  it('fails on a missing secret, a secret scheduled for deletion, and without a value', async () => {
    const missing = sm.send(new PutSecretValueCommand({ SecretId: 'nope', SecretString: 'x' }));
    expect(await failure(missing)).toBeInstanceOf(ResourceNotFoundException);
    await create('s');
    const noValue = sm.send(new PutSecretValueCommand({ SecretId: 's' }));
    expect(await failure(noValue)).toBeInstanceOf(InvalidRequestException);
    await sm.send(new DeleteSecretCommand({ SecretId: 's' }));
    const deleted = sm.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'x' }));
    expect(await failure(deleted)).toBeInstanceOf(InvalidRequestException);
  });
});

describe('GetSecretValue and DescribeSecret', () => {
  it('finds a secret by name, full ARN and partial ARN', async () => {
    const { ARN } = await create('p/q', 'v');
    const arn = ARN as string;
    for (const id of ['p/q', arn, arn.slice(0, -7)]) {
      const read = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      expect(read).toMatchObject({ Name: 'p/q', ARN: arn, SecretString: 'v' });
      expect(read.VersionStages).toEqual(['AWSCURRENT']);
    }
  });

  it('refuses to read a secret scheduled for deletion but still describes it', async () => {
    await create('s');
    advance(5000);
    await sm.send(new DeleteSecretCommand({ SecretId: 's', RecoveryWindowInDays: 7 }));
    const read = sm.send(new GetSecretValueCommand({ SecretId: 's' }));
    expect(await failure(read)).toBeInstanceOf(InvalidRequestException);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described.DeletedDate).toEqual(new Date(START.getTime() + 5000 + 7 * DAY_MS));
  });
});

describe('ListSecrets', () => {
  it('pages with MaxResults and NextToken, in creation order', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await create(name);
    const names: string[][] = [];
    let token: string | undefined;
    do {
      const page = await sm.send(new ListSecretsCommand({ MaxResults: 2, NextToken: token }));
      names.push((page.SecretList ?? []).map((secret) => secret.Name ?? ''));
      token = page.NextToken;
    } while (token !== undefined);
    expect(names).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    const all = await sm.send(new ListSecretsCommand({}));
    expect(all.NextToken).toBeUndefined();
    expect(all.SecretList).toHaveLength(5);
  });

  it('returns the listing fields the adapter reads', async () => {
    const created = await create('app/x', 'v', {
      Description: 'd',
      KmsKeyId: 'alias/k',
      Tags: [{ Key: 'T', Value: '1' }],
    });
    const [entry] = (await sm.send(new ListSecretsCommand({}))).SecretList ?? [];
    expect(entry).toMatchObject({
      ARN: created.ARN,
      Name: 'app/x',
      Description: 'd',
      KmsKeyId: 'alias/k',
      Tags: [{ Key: 'T', Value: '1' }],
      LastChangedDate: START,
      SecretVersionsToStages: { [created.VersionId as string]: ['AWSCURRENT'] },
    });
    expect(entry?.DeletedDate).toBeUndefined();
  });

  it('hides secrets scheduled for deletion unless IncludePlannedDeletion', async () => {
    await create('keep');
    await create('drop');
    await sm.send(new DeleteSecretCommand({ SecretId: 'drop' }));
    const visible = await sm.send(new ListSecretsCommand({}));
    expect(visible.SecretList?.map((secret) => secret.Name)).toEqual(['keep']);
    const all = await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    expect(all.SecretList?.map((secret) => [secret.Name, secret.DeletedDate])).toEqual([
      ['keep', undefined],
      ['drop', new Date(START.getTime() + 30 * DAY_MS)],
    ]);
  });

  it('filters by name prefix (case-sensitive), negation, tag key and tag value', async () => {
    await create('stg/a', 'v', { Tags: [{ Key: 'Env', Value: 'stg' }] });
    await create('stg/b');
    await create('Stg/c');
    await create('prod/a', 'v', { Tags: [{ Key: 'Env', Value: 'prod' }] });
    const names = async (Filters: { Key: 'name' | 'tag-key' | 'tag-value'; Values: string[] }[]) =>
      ((await sm.send(new ListSecretsCommand({ Filters }))).SecretList ?? []).map((s) => s.Name);
    expect(await names([{ Key: 'name', Values: ['stg/'] }])).toEqual(['stg/a', 'stg/b']);
    expect(await names([{ Key: 'name', Values: ['stg/', 'prod/'] }])).toEqual([
      'stg/a',
      'stg/b',
      'prod/a',
    ]);
    expect(await names([{ Key: 'name', Values: ['!stg/'] }])).toEqual(['Stg/c', 'prod/a']);
    expect(await names([{ Key: 'tag-key', Values: ['En'] }])).toEqual(['stg/a', 'prod/a']);
    expect(
      await names([
        { Key: 'tag-key', Values: ['Env'] },
        { Key: 'tag-value', Values: ['pro'] },
      ]),
    ).toEqual(['prod/a']);
  });

  it('refuses an unreadable NextToken', async () => {
    const bad = sm.send(new ListSecretsCommand({ NextToken: 'not-a-token' }));
    expect(await failure(bad)).toBeInstanceOf(InvalidNextTokenException);
  });
});

describe('BatchGetSecretValue', () => {
  it('returns values and per-secret errors for missing and deleted secrets', async () => {
    const a = await create('a', 'va');
    await create('b', 'vb');
    await create('gone', 'vg');
    await sm.send(new DeleteSecretCommand({ SecretId: 'gone' }));
    const batch = await sm.send(
      new BatchGetSecretValueCommand({ SecretIdList: [a.ARN as string, 'b', 'missing', 'gone'] }),
    );
    expect(batch.SecretValues?.map((v) => [v.Name, v.SecretString, v.VersionStages])).toEqual([
      ['a', 'va', ['AWSCURRENT']],
      ['b', 'vb', ['AWSCURRENT']],
    ]);
    expect(batch.SecretValues?.[0]?.VersionId).toBe(a.VersionId);
    expect(batch.Errors?.map((e) => [e.SecretId, e.ErrorCode])).toEqual([
      ['missing', 'ResourceNotFoundException'],
      ['gone', 'InvalidRequestException'],
    ]);
  });

  it('reads by Filters with pages; refuses both, neither, or more than 20 ids', async () => {
    for (const name of ['f/1', 'f/2', 'f/3', 'g/1']) await create(name, name);
    const Filters = [{ Key: 'name' as const, Values: ['f/'] }];
    const first = await sm.send(new BatchGetSecretValueCommand({ Filters, MaxResults: 2 }));
    expect(first.SecretValues?.map((v) => v.SecretString)).toEqual(['f/1', 'f/2']);
    const second = await sm.send(
      new BatchGetSecretValueCommand({ Filters, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.SecretValues?.map((v) => v.SecretString)).toEqual(['f/3']);
    expect(second.NextToken).toBeUndefined();
    const both = sm.send(new BatchGetSecretValueCommand({ Filters, SecretIdList: ['f/1'] }));
    expect(await failure(both)).toBeInstanceOf(InvalidParameterException);
    const neither = sm.send(new BatchGetSecretValueCommand({}));
    expect(await failure(neither)).toBeInstanceOf(InvalidParameterException);
    const many = Array.from({ length: 21 }, (_, index) => `s${index}`);
    const tooMany = await failure(sm.send(new BatchGetSecretValueCommand({ SecretIdList: many })));
    expect(tooMany.name).toBe('ValidationException');
  });
});

describe('DeleteSecret and RestoreSecret', () => {
  it('schedules deletion (default 30 days) and restores', async () => {
    await create('s', 'v');
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: 's' }));
    expect(deleted.DeletionDate).toEqual(new Date(START.getTime() + 30 * DAY_MS));
    const again = sm.send(new DeleteSecretCommand({ SecretId: 's' }));
    expect(await failure(again)).toBeInstanceOf(InvalidRequestException);
    advance(1000);
    const restored = await sm.send(new RestoreSecretCommand({ SecretId: 's' }));
    expect(restored.Name).toBe('s');
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described.DeletedDate).toBeUndefined();
    expect(described.LastChangedDate).toEqual(new Date(START.getTime() + 1000));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString).toBe('v');
  });

  it('validates the recovery window and refuses it together with a forced delete', async () => {
    await create('s');
    for (const days of [6, 31]) {
      const call = sm.send(new DeleteSecretCommand({ SecretId: 's', RecoveryWindowInDays: days }));
      expect(await failure(call)).toBeInstanceOf(InvalidParameterException);
    }
    const both = sm.send(
      new DeleteSecretCommand({
        SecretId: 's',
        RecoveryWindowInDays: 7,
        ForceDeleteWithoutRecovery: true,
      }),
    );
    expect(await failure(both)).toBeInstanceOf(InvalidParameterException);
  });

  it('completes a scheduled deletion once the clock passes DeletionDate', async () => {
    await create('s');
    await sm.send(new DeleteSecretCommand({ SecretId: 's', RecoveryWindowInDays: 7 }));
    advance(7 * DAY_MS - 1);
    await sm.send(new DescribeSecretCommand({ SecretId: 's' }));
    advance(1);
    const gone = sm.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(await failure(gone)).toBeInstanceOf(ResourceNotFoundException);
    await create('s', 'reused');
  });

  it('force-deletes at once, also a scheduled secret, and succeeds for a missing one', async () => {
    await create('s');
    await sm.send(new DeleteSecretCommand({ SecretId: 's' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 's', ForceDeleteWithoutRecovery: true }));
    const listed = await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    expect(listed.SecretList).toEqual([]);
    const missing = await sm.send(
      new DeleteSecretCommand({ SecretId: 'never', ForceDeleteWithoutRecovery: true }),
    );
    expect(missing.Name).toBe('never');
    await create('s', 'again');
    const plain = sm.send(new DeleteSecretCommand({ SecretId: 'never' }));
    expect(await failure(plain)).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('TagResource, UntagResource and UpdateSecret', () => {
  it('adds, overwrites and removes tags, and counts as a change', async () => {
    await create('s', 'v', { Tags: [{ Key: 'A', Value: '1' }] });
    advance(1000);
    await sm.send(
      new TagResourceCommand({
        SecretId: 's',
        Tags: [
          { Key: 'A', Value: '2' },
          { Key: 'B', Value: '3' },
        ],
      }),
    );
    await sm.send(new UntagResourceCommand({ SecretId: 's', TagKeys: ['B', 'absent'] }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described.Tags).toEqual([{ Key: 'A', Value: '2' }]);
    expect(described.LastChangedDate).toEqual(new Date(START.getTime() + 1000));
    const missing = sm.send(new TagResourceCommand({ SecretId: 'nope', Tags: [] }));
    expect(await failure(missing)).toBeInstanceOf(ResourceNotFoundException);
  });

  it('updates metadata without a version, and with a value makes a new version', async () => {
    const created = await create('s', 'v');
    const meta = await sm.send(
      new UpdateSecretCommand({ SecretId: 's', Description: 'new', KmsKeyId: 'alias/other' }),
    );
    expect(meta.VersionId).toBeUndefined();
    const valued = await sm.send(new UpdateSecretCommand({ SecretId: 's', SecretString: 'w' }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described).toMatchObject({ Description: 'new', KmsKeyId: 'alias/other' });
    expect(described.VersionIdsToStages).toEqual({
      [created.VersionId as string]: ['AWSPREVIOUS'],
      [valued.VersionId as string]: ['AWSCURRENT'],
    });
  });
});

describe('accounts and regions', () => {
  it('keeps one store per account (from the access key) and region (from the signature)', async () => {
    fake.mapAccessKey('AKIASTG', '111111111111');
    const stg = fake.client({ accessKeyId: 'AKIASTG', region: 'eu-west-1' });
    const created = await stg.send(new CreateSecretCommand({ Name: 's', SecretString: 'x' }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:111111111111:secret:s-/);
    expect((await sm.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    const otherRegion = fake.client({ accessKeyId: 'AKIASTG', region: 'us-east-1' });
    expect((await otherRegion.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    await sm.send(new CreateSecretCommand({ Name: 's', SecretString: 'y' }));
    expect(fake.calls.map((call) => [call.operation, call.account, call.region])).toEqual([
      ['CreateSecret', '111111111111', 'eu-west-1'],
      ['ListSecrets', DEFAULT_ACCOUNT, 'us-east-1'],
      ['ListSecrets', '111111111111', 'us-east-1'],
      ['CreateSecret', DEFAULT_ACCOUNT, 'us-east-1'],
    ]);
  });

  it('takes the access-key map at construction', async () => {
    const mapped = createSecretsManagerFake({ accounts: { AKIAPROD: '222222222222' } });
    const client = mapped.client({ accessKeyId: 'AKIAPROD' });
    const created = await client.send(new CreateSecretCommand({ Name: 's' }));
    expect(created.ARN).toContain(':222222222222:secret:s-');
  });
});

describe('fault hooks and the call log', () => {
  it('fails the next call with a real ThrottlingException and leaves state untouched', async () => {
    fake.failNext('CreateSecret', 'ThrottlingException');
    const error = await failure(create('s'));
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toBe('Rate exceeded');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect((await sm.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    await create('s');
  });

  it('fails `count` calls, with a 5xx status for InternalServiceError', async () => {
    fake.failNext('ListSecrets', 'InternalServiceError', { count: 2 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await failure(sm.send(new ListSecretsCommand({})));
      expect(error.name).toBe('InternalServiceError');
      expect(error.$metadata).toMatchObject({ httpStatusCode: 500 });
    }
    await sm.send(new ListSecretsCommand({}));
  });

  it('fails only calls naming a given secret, or any operation with "*"', async () => {
    await create('a');
    await create('b');
    fake.failNext('PutSecretValue', 'InternalServiceError', { secretId: 'b', status: 503 });
    await sm.send(new PutSecretValueCommand({ SecretId: 'a', SecretString: 'x' }));
    const b = await failure(
      sm.send(new PutSecretValueCommand({ SecretId: 'b', SecretString: 'x' })),
    );
    expect(b.$metadata).toMatchObject({ httpStatusCode: 503 });
    fake.failNext('*', 'AccessDeniedException', { message: 'denied' });
    const denied = await failure(sm.send(new DescribeSecretCommand({ SecretId: 'a' })));
    expect([denied.name, denied.message]).toEqual(['AccessDeniedException', 'denied']);
  });

  it('logs operation, account, region, secret ids and outcome, never a value', async () => {
    await create('s', 'top-secret-value');
    await failure(create('s', 'top-secret-value'));
    await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['s', 'x'] }));
    expect(fake.calls).toEqual([
      {
        operation: 'CreateSecret',
        account: DEFAULT_ACCOUNT,
        region: 'us-east-1',
        secretId: 's',
        secretIds: undefined,
        outcome: 'ok',
      },
      expect.objectContaining({ operation: 'CreateSecret', outcome: 'ResourceExistsException' }),
      expect.objectContaining({ operation: 'BatchGetSecretValue', secretIds: ['s', 'x'] }),
    ]);
    expect(JSON.stringify(fake.calls)).not.toContain('top-secret-value');
    fake.reset();
    expect(fake.calls).toEqual([]);
    expect((await sm.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
  });

  it('answers an operation it does not model with UnknownOperationException', async () => {
    const error = await failure(sm.send(new ListSecretVersionIdsCommand({ SecretId: 's' })));
    expect(error.name).toBe('UnknownOperationException');
  });
});
