import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { CALLER_ACCOUNT, CALLER_KEY, createStsFake } from './sts-fake.js';

function clientOver(fake: ReturnType<typeof createStsFake>, accessKeyId = CALLER_KEY) {
  return new STSClient({
    region: 'us-east-1',
    endpoint: 'http://sts.fake',
    credentials: { accessKeyId, secretAccessKey: 'x' },
    requestHandler: fake.handler,
    maxAttempts: 1,
  });
}

describe('STS fake', () => {
  it('answers GetCallerIdentity with the caller account for its own key', async () => {
    const fake = createStsFake({ callerAccount: '999999999999' });
    const identity = await clientOver(fake).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('999999999999');
    expect(fake.calls).toEqual([
      { action: 'GetCallerIdentity', accessKeyId: CALLER_KEY, roleArn: undefined, outcome: 'ok' },
    ]);
  });

  it('issues a session in the role account, which GetCallerIdentity then reports', async () => {
    const sessions: [string, string][] = [];
    const fake = createStsFake({ onSession: (key, account) => sessions.push([key, account]) });
    const assumed = await clientOver(fake).send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::111111111111:role/Sync',
        RoleSessionName: 'secretsync',
      }),
    );
    const key = assumed.Credentials?.AccessKeyId ?? '';
    expect(key).toMatch(/^ASIA111111111111/);
    expect(assumed.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(assumed.AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::111111111111:assumed-role/Sync/secretsync',
    );
    expect(sessions).toEqual([[key, '111111111111']]);
    const inRole = await clientOver(fake, key).send(new GetCallerIdentityCommand({}));
    expect(inRole.Account).toBe('111111111111');
    const asCaller = await clientOver(fake).send(new GetCallerIdentityCommand({}));
    expect(asCaller.Account).toBe(CALLER_ACCOUNT);
  });

  it('refuses a denied role with AccessDenied and a malformed ARN with ValidationError', async () => {
    const fake = createStsFake();
    fake.denyRole('arn:aws:iam::222222222222:role/Sync');
    const denied = clientOver(fake).send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::222222222222:role/Sync',
        RoleSessionName: 's',
      }),
    );
    await expect(denied).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const malformed = clientOver(fake).send(
      new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 's' }),
    );
    await expect(malformed).rejects.toMatchObject({ name: 'ValidationError' });
    expect(fake.calls.map((call) => call.outcome)).toEqual(['AccessDenied', 'ValidationError']);
  });
});
