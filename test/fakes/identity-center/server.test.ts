import { GetGroupIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityCenterFake } from './server.js';
import type { FakeIdentityCenterState, IdentityCenterFake } from './server.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-0000000000000001';
const SET = `${INSTANCE.replace('instance/', 'permissionSet/')}/ps-0000000000000001`;
const state: FakeIdentityCenterState = {
  instances: [{ arn: INSTANCE, identityStoreId: 'd-0000000001', ownerAccountId: '123456789012' }],
  groups: [{ identityStoreId: 'd-0000000001', groupId: 'g-1', displayName: 'Admins' }],
  permissionSets: [{ instanceArn: INSTANCE, arn: SET, name: 'Admin' }],
  assignments: ['333333333333', '111111111111', '222222222222'].map((accountId) => ({
    instanceArn: INSTANCE,
    accountId,
    permissionSetArn: SET,
    principalType: 'GROUP' as const,
    principalId: 'g-1',
  })),
  provisionedOnly: [{ accountId: '444444444444', permissionSetArn: SET }],
};

let fake: IdentityCenterFake;
let sso: SSOAdminClient;
let store: IdentitystoreClient;
beforeAll(async () => {
  fake = await startIdentityCenterFake(state, { pageSize: 2, emptyPages: true });
  const options = {
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  };
  sso = new SSOAdminClient(options);
  store = new IdentitystoreClient(options);
});
afterAll(async () => {
  sso.destroy();
  store.destroy();
  await fake.close();
});

describe('Identity Center fake', () => {
  it('lists instances and describes permission sets', async () => {
    const instances = await sso.send(new ListInstancesCommand({}));
    expect(instances.Instances?.[0]?.IdentityStoreId).toBe('d-0000000001');
    const sets = await sso.send(new ListPermissionSetsCommand({ InstanceArn: INSTANCE }));
    expect(sets.PermissionSets).toEqual([SET]);
    const described = await sso.send(
      new DescribePermissionSetCommand({ InstanceArn: INSTANCE, PermissionSetArn: SET }),
    );
    expect(described.PermissionSet?.Name).toBe('Admin');
  });

  it('pages provisioned accounts with an empty page carrying a token in between', async () => {
    const pages: (string[] | undefined)[] = [];
    let token: string | undefined;
    do {
      const reply = await sso.send(
        new ListAccountsForProvisionedPermissionSetCommand({
          InstanceArn: INSTANCE,
          PermissionSetArn: SET,
          NextToken: token,
        }),
      );
      pages.push(reply.AccountIds);
      token = reply.NextToken;
    } while (token !== undefined);
    expect(pages).toEqual([['111111111111', '222222222222'], [], ['333333333333', '444444444444']]);
  });

  it('lists assignments per account and permission set, validating the account id', async () => {
    const reply = await sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: INSTANCE,
        AccountId: '222222222222',
        PermissionSetArn: SET,
      }),
    );
    expect(reply.AccountAssignments).toEqual([
      {
        AccountId: '222222222222',
        PermissionSetArn: SET,
        PrincipalType: 'GROUP',
        PrincipalId: 'g-1',
      },
    ]);
    await expect(
      sso.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: INSTANCE,
          AccountId: '12',
          PermissionSetArn: SET,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('finds a group by exact display name and answers typed errors otherwise', async () => {
    const found = await store.send(
      new GetGroupIdCommand({
        IdentityStoreId: 'd-0000000001',
        AlternateIdentifier: {
          UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Admins' },
        },
      }),
    );
    expect(found.GroupId).toBe('g-1');
    await expect(
      store.send(
        new GetGroupIdCommand({
          IdentityStoreId: 'd-0000000001',
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'admins' },
          },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      sso.send(new ListPermissionSetsCommand({ InstanceArn: `${INSTANCE}x` })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
