import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import type { Filter } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAwsPeer } from '../../support/aws-peer.js';
import { createSecretsManagerFake } from './fake.js';

/*
 * The same Secrets Manager behaviours, run over the fake and over moto (started as every
 * integration test starts it). Where moto 5.2.1 departs from the AWS documentation
 * (test-peers.md B.3 "Known deviations"), the fake follows AWS and the test branches on
 * `peer.moto`, naming the deviation. Errors are matched by name only: moto's messages differ.
 */

interface ContractPeer {
  readonly client: SecretsManagerClient;
  /** moto and its known deviations from AWS apply (false for the fake and for LocalStack). */
  readonly moto: boolean;
  reset(): Promise<void>;
  close(): Promise<void>;
}

function startFake(): Promise<ContractPeer> {
  const fake = createSecretsManagerFake();
  const client = fake.client();
  return Promise.resolve({
    client,
    moto: false,
    reset: () => {
      fake.reset();
      return Promise.resolve();
    },
    close: () => {
      client.destroy();
      return Promise.resolve();
    },
  });
}

async function startMoto(): Promise<ContractPeer> {
  const aws = await startAwsPeer();
  const client = new SecretsManagerClient({
    endpoint: aws.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    client,
    moto: aws.local,
    reset: () => aws.reset(),
    close: async () => {
      client.destroy();
      await aws.close();
    },
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

describe.each([
  ['fake', startFake],
  ['moto', startMoto],
])('Secrets Manager contract over the %s', (_peerName, start) => {
  let peer: ContractPeer;
  beforeAll(async () => {
    peer = await start();
  });
  afterAll(async () => {
    await peer.close();
  });
  beforeEach(async () => {
    await peer.reset();
  });

  const create = (Name: string, SecretString = 'v1', extra: object = {}) =>
    peer.client.send(new CreateSecretCommand({ Name, SecretString, ...extra }));
  const names = async (options: { filters?: Filter[]; includeDeleted?: boolean } = {}) => {
    const listed = await peer.client.send(
      new ListSecretsCommand({
        ...(options.filters === undefined ? {} : { Filters: options.filters }),
        ...(options.includeDeleted === true ? { IncludePlannedDeletion: true } : {}),
      }),
    );
    return (listed.SecretList ?? []).map((secret) => secret.Name ?? '').sort();
  };
  /** The name of the error a call rejects with (moto's messages differ from AWS's). */
  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no error',
      (error: unknown) => (error as Error).name,
    );
  const stagesOf = async (SecretId: string) =>
    (await peer.client.send(new DescribeSecretCommand({ SecretId }))).VersionIdsToStages ?? {};

  it('creates, lists with a name filter and reads back in one batch', async () => {
    const a = await create('c/a', 'va', {
      Description: 'd',
      Tags: [{ Key: 'Env', Value: 'stg' }],
    });
    await create('c/b', 'vb');
    await create('other/x');
    expect(a.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:c\/a-[A-Za-z0-9]{6}$/);
    expect(await names({ filters: [{ Key: 'name', Values: ['c/'] }] })).toEqual(['c/a', 'c/b']);
    const listed = await peer.client.send(new ListSecretsCommand({}));
    const entry = listed.SecretList?.find((secret) => secret.Name === 'c/a');
    expect(entry).toMatchObject({ ARN: a.ARN, Description: 'd' });
    expect(entry?.Tags).toContainEqual({ Key: 'Env', Value: 'stg' });
    expect(entry?.LastChangedDate).toBeInstanceOf(Date);
    expect(entry?.SecretVersionsToStages).toEqual({ [a.VersionId as string]: ['AWSCURRENT'] });
    const batch = await peer.client.send(
      new BatchGetSecretValueCommand({ SecretIdList: [a.ARN as string, 'c/b', 'c/missing'] }),
    );
    const values = (batch.SecretValues ?? []).map((v) => [v.Name, v.SecretString, v.VersionId]);
    expect(values.sort()).toEqual([
      ['c/a', 'va', a.VersionId],
      ['c/b', 'vb', expect.any(String)],
    ]);
    expect(batch.Errors?.map((error) => [error.SecretId, error.ErrorCode])).toEqual([
      ['c/missing', 'ResourceNotFoundException'],
    ]);
  });

  it('moves AWSCURRENT to each new version and AWSPREVIOUS to the one before', async () => {
    const v1 = (await create('s', 'one')).VersionId as string;
    const put2 = await peer.client.send(
      new PutSecretValueCommand({ SecretId: 's', SecretString: 'two' }),
    );
    expect(put2.VersionStages).toEqual(['AWSCURRENT']);
    const v2 = put2.VersionId as string;
    expect(await stagesOf('s')).toEqual({ [v1]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT'] });
    // An identical value still makes a new version.
    const v3 = (
      await peer.client.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'two' }))
    ).VersionId as string;
    expect(v3).not.toBe(v2);
    const stages = await stagesOf('s');
    expect(stages[v2]).toEqual(['AWSPREVIOUS']);
    expect(stages[v3]).toEqual(['AWSCURRENT']);
    if (peer.moto) {
      // moto deviation (test-peers.md B.3 #4): a version without labels is listed as [].
      expect(stages[v1]).toEqual([]);
    } else {
      // AWS lists only versions that carry staging labels.
      expect(stages).not.toHaveProperty(v1);
    }
    const previous = await peer.client.send(
      new GetSecretValueCommand({ SecretId: 's', VersionStage: 'AWSPREVIOUS' }),
    );
    expect([previous.VersionId, previous.SecretString]).toEqual([v2, 'two']);
  });

  it('adds, overwrites and removes tags', async () => {
    await create('t', 'v', { Tags: [{ Key: 'A', Value: '1' }] });
    await peer.client.send(
      new TagResourceCommand({
        SecretId: 't',
        Tags: [
          { Key: 'A', Value: '2' },
          { Key: 'B', Value: '3' },
        ],
      }),
    );
    await peer.client.send(new UntagResourceCommand({ SecretId: 't', TagKeys: ['B'] }));
    const described = await peer.client.send(new DescribeSecretCommand({ SecretId: 't' }));
    expect(described.Tags).toEqual([{ Key: 'A', Value: '2' }]);
  });

  it('schedules a deletion, lists it only on request, restores it and force-deletes it', async () => {
    await create('keep');
    await create('s', 'value');
    const before = Date.now();
    const deleted = await peer.client.send(
      new DeleteSecretCommand({ SecretId: 's', RecoveryWindowInDays: 7 }),
    );
    expect(deleted.Name).toBe('s');
    expect(deleted.DeletionDate?.getTime()).toBeGreaterThan(before + 6 * DAY_MS);
    expect(await names()).toEqual(['keep']);
    expect(await names({ includeDeleted: true })).toEqual(['keep', 's']);
    const listed = await peer.client.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    const entry = listed.SecretList?.find((secret) => secret.Name === 's');
    // DeletedDate is the end of the recovery window: "some time after the deleted date, Secrets
    // Manager deletes the secret" [API_DescribeSecret].
    expect(entry?.DeletedDate).toEqual(deleted.DeletionDate);
    expect(await errorOf(peer.client.send(new GetSecretValueCommand({ SecretId: 's' })))).toBe(
      'InvalidRequestException',
    );
    expect(await errorOf(peer.client.send(new DeleteSecretCommand({ SecretId: 's' })))).toBe(
      'InvalidRequestException',
    );
    const restored = await peer.client.send(new RestoreSecretCommand({ SecretId: 's' }));
    expect(restored.Name).toBe('s');
    expect(await names()).toEqual(['keep', 's']);
    const read = await peer.client.send(new GetSecretValueCommand({ SecretId: 's' }));
    expect(read.SecretString).toBe('value');
    await peer.client.send(
      new DeleteSecretCommand({ SecretId: 's', ForceDeleteWithoutRecovery: true }),
    );
    expect(await names({ includeDeleted: true })).toEqual(['keep']);
    expect(await errorOf(peer.client.send(new DescribeSecretCommand({ SecretId: 's' })))).toBe(
      'ResourceNotFoundException',
    );
  });

  it('force-deletes a missing secret without ResourceNotFoundException (as AWS documents)', async () => {
    const deleted = await peer.client.send(
      new DeleteSecretCommand({ SecretId: 'never-created', ForceDeleteWithoutRecovery: true }),
    );
    expect(deleted.DeletionDate).toBeInstanceOf(Date);
  });

  it('answers the documented errors', async () => {
    await create('exists');
    expect(await errorOf(create('exists', 'other'))).toBe('ResourceExistsException');
    const missing = { SecretId: 'missing', SecretString: 'x' };
    expect(await errorOf(peer.client.send(new PutSecretValueCommand(missing)))).toBe(
      'ResourceNotFoundException',
    );
    expect(
      await errorOf(peer.client.send(new GetSecretValueCommand({ SecretId: 'missing' }))),
    ).toBe('ResourceNotFoundException');
    expect(await errorOf(peer.client.send(new PutSecretValueCommand({ SecretId: 'exists' })))).toBe(
      'InvalidRequestException',
    );
    const window = { SecretId: 'exists', RecoveryWindowInDays: 6 };
    expect(await errorOf(peer.client.send(new DeleteSecretCommand(window)))).toBe(
      'InvalidParameterException',
    );
    const both = { ...window, RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true };
    expect(await errorOf(peer.client.send(new DeleteSecretCommand(both)))).toBe(
      'InvalidParameterException',
    );
  });

  it('answers ResourceNotFoundException with HTTP 400, as AWS documents (moto: 404)', async () => {
    const status = await peer.client.send(new GetSecretValueCommand({ SecretId: 'missing' })).then(
      () => 0,
      (error: unknown) =>
        (error as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode,
    );
    // moto answers 404 for an unknown secret (test-peers.md B.3, GetSecretValue); AWS lists
    // ResourceNotFoundException with HTTP 400 [API_GetSecretValue, Errors].
    expect(status).toBe(peer.moto ? 404 : 400);
  });

  it('pages ListSecrets with MaxResults and NextToken', async () => {
    const all = ['p/1', 'p/2', 'p/3', 'p/4', 'p/5'];
    for (const name of all) await create(name);
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await peer.client.send(
        new ListSecretsCommand({
          MaxResults: 2,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      );
      pages.push((page.SecretList ?? []).map((secret) => secret.Name ?? ''));
      token = page.NextToken;
    } while (token !== undefined && token !== '');
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().sort()).toEqual(all);
  });

  it('reports a secret scheduled for deletion as a BatchGetSecretValue error, not a failure', async () => {
    await create('live', 'v');
    await create('gone', 'v');
    await peer.client.send(new DeleteSecretCommand({ SecretId: 'gone' }));
    const batch = await peer.client.send(
      new BatchGetSecretValueCommand({ SecretIdList: ['live', 'gone'] }),
    );
    expect(batch.SecretValues?.map((value) => value.Name)).toEqual(['live']);
    expect(batch.Errors?.map((error) => [error.SecretId, error.ErrorCode])).toEqual([
      ['gone', 'InvalidRequestException'],
    ]);
  });

  it('refuses PutSecretValue on a secret scheduled for deletion (moto: accepts it)', async () => {
    await create('s');
    await peer.client.send(new DeleteSecretCommand({ SecretId: 's' }));
    const outcome = await errorOf(
      peer.client.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'x' })),
    );
    // moto deviation (test-peers.md B.3 #1); AWS: InvalidRequestException, "The secret is
    // scheduled for deletion" [InvalidRequestException, possible causes].
    expect(outcome).toBe(peer.moto ? 'no error' : 'InvalidRequestException');
  });

  it('refuses to re-create a name scheduled for deletion with InvalidRequestException (moto: ResourceExistsException)', async () => {
    await create('s');
    await peer.client.send(new DeleteSecretCommand({ SecretId: 's' }));
    // moto deviation (test-peers.md B.3 #2).
    expect(await errorOf(create('s'))).toBe(
      peer.moto ? 'ResourceExistsException' : 'InvalidRequestException',
    );
  });

  it('refuses tag changes on a secret scheduled for deletion (moto: accepts them)', async () => {
    await create('s');
    await peer.client.send(new DeleteSecretCommand({ SecretId: 's' }));
    const tag = new TagResourceCommand({ SecretId: 's', Tags: [{ Key: 'k', Value: 'v' }] });
    // Inferred from InvalidRequestException's first documented cause, "The secret is scheduled
    // for deletion"; moto applies the tag (found while writing this test, not in test-peers.md).
    expect(await errorOf(peer.client.send(tag))).toBe(
      peer.moto ? 'no error' : 'InvalidRequestException',
    );
  });
});
