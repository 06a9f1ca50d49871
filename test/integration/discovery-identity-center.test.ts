import { CreateGroupCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  ListInstancesCommand,
  ProvisionPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscoveryError } from '../../src/core/errors.js';
import { startIdentityCenterFake } from '../fakes/identity-center/server.js';
import type { FakeAssignment, IdentityCenterFake } from '../fakes/identity-center/server.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import {
  buildOrganization,
  directoryFor,
  discoveryConfig,
  dynamicOf,
  TEST_CREDENTIALS,
} from '../support/discovery.js';
import type { BuiltOrganization } from '../support/discovery.js';
import { counterValue } from '../support/runtime.js';

/*
 * Identity Center discovery. What moto models faithfully (GetGroupId, ListInstances, permission
 * sets, ListAccountAssignments) runs against moto; member-account discovery and pagination run
 * against the fake in test/fakes/identity-center (SPEC.md says why: moto's
 * ListAccountsForProvisionedPermissionSet only ever returns the caller's account).
 */

const MANAGEMENT = '123456789012';
let peer: AwsPeer;
let org: BuiltOrganization;
beforeAll(async () => {
  peer = await startAwsPeer();
  org = await buildOrganization(peer.endpoint, [
    { name: 'member-a', ou: '' },
    { name: 'member-b', ou: '' },
    { name: 'member-c', ou: '' },
    { name: 'member-d', ou: '', close: true },
    { name: 'member-e', ou: '' },
  ]);
}, 60_000);
afterAll(async () => {
  await peer.close();
});

const id = (name: string) => org.ids.get(name) ?? '';

async function discover(
  center: string,
  env: Record<string, string>,
  aws?: string,
): Promise<{
  ids: string[];
  names: string[];
  metrics: ReturnType<typeof directoryFor>['runtime']['metrics'];
}> {
  const config = discoveryConfig({
    dynamic: `  D: {discovery: {identity_center: ${center}}, imports: [Staging]}`,
    ...(aws === undefined ? {} : { aws }),
  });
  const { directory, runtime } = directoryFor(config, env);
  const accounts = await directory.discover(dynamicOf(config, 'D'));
  return {
    ids: accounts.map((a) => a.id),
    names: accounts.map((a) => a.name),
    metrics: runtime.metrics,
  };
}

describe('Identity Center discovery against moto', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { AWS_ENDPOINT_URL: peer.endpoint };
    const options = { endpoint: peer.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS };
    const sso = new SSOAdminClient(options);
    const store = new IdentitystoreClient(options);
    const instance = (await sso.send(new ListInstancesCommand({}))).Instances?.[0];
    const instanceArn = instance?.InstanceArn ?? '';
    const group = await store.send(
      new CreateGroupCommand({
        IdentityStoreId: instance?.IdentityStoreId,
        DisplayName: 'Platform Engineers',
      }),
    );
    const createSet = async (Name: string) =>
      (await sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name })))
        .PermissionSet?.PermissionSetArn ?? '';
    const readOnly = await createSet('ReadOnly');
    await createSet('Admin');
    await sso.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn,
        TargetId: MANAGEMENT,
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: readOnly,
        PrincipalType: 'GROUP',
        PrincipalId: group.GroupId,
      }),
    );
    await sso.send(
      new ProvisionPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: readOnly,
        TargetType: 'AWS_ACCOUNT',
        TargetId: MANAGEMENT,
      }),
    );
    sso.destroy();
    store.destroy();
  });

  it('finds the accounts a group holds an assignment in, named from Organizations', async () => {
    const found = await discover(`{group: Platform Engineers}`, env);
    expect(found).toMatchObject({ ids: [MANAGEMENT], names: ['master'] });
  });

  it('finds the accounts where a permission set is assigned, by its name', async () => {
    expect((await discover(`{permission_set: ReadOnly}`, env)).ids).toEqual([MANAGEMENT]);
    expect((await discover(`{permission_set: Admin}`, env)).ids).toEqual([]);
  });

  it('explains an unknown group or permission set, naming the config path', async () => {
    const group = discover(`{group: Platform Engineer}`, env);
    await expect(group).rejects.toBeInstanceOf(DiscoveryError);
    await expect(group).rejects.toThrow(
      /^dynamic_targets\.D\.discovery\.identity_center\.group: no group with display name "Platform Engineer" in identity store d-/,
    );
    await expect(discover(`{permission_set: ReadOnyl}`, env)).rejects.toThrow(
      /permission_set: no permission set named "ReadOnyl" .*\(did you mean "ReadOnly"\?\); permission sets: Admin, ReadOnly$/,
    );
  });
});

describe('Identity Center discovery across member accounts (fake)', () => {
  const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111111111111111';
  const STORE = 'd-1111111111';
  const set = (name: string) => `arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-${name}`;
  let fake: IdentityCenterFake;
  let env: Record<string, string>;
  beforeAll(async () => {
    const assign = (account: string, ps: string, group: string): FakeAssignment => ({
      instanceArn: INSTANCE,
      accountId: account,
      permissionSetArn: set(ps),
      principalType: 'GROUP',
      principalId: group,
    });
    fake = await startIdentityCenterFake(
      {
        instances: [{ arn: INSTANCE, identityStoreId: STORE, ownerAccountId: MANAGEMENT }],
        groups: [
          { identityStoreId: STORE, groupId: 'g-platform', displayName: 'Platform Engineers' },
          { identityStoreId: STORE, groupId: 'g-other', displayName: 'Others' },
        ],
        permissionSets: ['read', 'admin', 'audit'].map((name) => ({
          instanceArn: INSTANCE,
          arn: set(name),
          name: { read: 'ReadOnly', admin: 'Admin', audit: 'Audit' }[name] ?? name,
        })),
        assignments: [
          assign(id('member-a'), 'read', 'g-platform'),
          assign(id('member-b'), 'admin', 'g-platform'),
          assign(id('member-b'), 'read', 'g-other'),
          assign(id('member-c'), 'read', 'g-other'),
          assign(id('member-d'), 'read', 'g-platform'),
          assign('999999999999', 'admin', 'g-platform'),
        ],
        provisionedOnly: [{ accountId: id('member-e'), permissionSetArn: set('read') }],
      },
      { pageSize: 1, emptyPages: true },
    );
    env = {
      AWS_ENDPOINT_URL: peer.endpoint,
      AWS_ENDPOINT_URL_SSO_ADMIN: fake.endpoint,
      AWS_ENDPOINT_URL_IDENTITYSTORE: fake.endpoint,
    };
  });
  afterAll(async () => {
    await fake.close();
  });

  it('finds every account of a group across permission sets and pages, minus suspended', async () => {
    const found = await discover(`{group: Platform Engineers}`, env);
    const expected = [
      ['member-a', id('member-a')],
      ['member-b', id('member-b')],
      ['', '999999999999'],
    ].sort(([, a], [, b]) => ((a ?? '') < (b ?? '') ? -1 : 1));
    expect(found.ids).toEqual(expected.map(([, i]) => i));
    expect(found.names).toEqual(expected.map(([name]) => name));
    expect(
      await counterValue(found.metrics, 'secretsync_aws_pagination_calls_total', {
        service: 'sso-admin',
      }),
    ).toBeGreaterThan(0);
  });

  it('finds the accounts holding a permission set, not those merely provisioned', async () => {
    const found = await discover(`{permission_set: ReadOnly}`, env);
    expect(found.ids).toEqual([id('member-a'), id('member-b'), id('member-c')].sort());
  });

  it('uses the configured instance without listing instances', async () => {
    const before = fake.requests.length;
    const found = await discover(
      `{permission_set: Admin}`,
      env,
      `identity_center: {instance_arn: '${INSTANCE}', identity_store_id: ${STORE}}`,
    );
    expect(found.ids).toEqual([id('member-b'), '999999999999'].sort());
    const targets = fake.requests.slice(before).map((r) => r.target);
    expect(targets).not.toContain('SWBExternalService.ListInstances');
  });

  it('asks for instance_arn when the caller sees several instances', async () => {
    const two = await startIdentityCenterFake({
      instances: [
        { arn: INSTANCE, identityStoreId: STORE, ownerAccountId: MANAGEMENT },
        { arn: `${INSTANCE}2`, identityStoreId: 'd-2222222222', ownerAccountId: MANAGEMENT },
      ],
      groups: [],
      permissionSets: [],
      assignments: [],
    });
    try {
      await expect(
        discover(`{group: X}`, { ...env, AWS_ENDPOINT_URL_SSO_ADMIN: two.endpoint }),
      ).rejects.toThrow(
        /sees 2 IAM Identity Center instances .*set aws\.identity_center\.instance_arn/,
      );
    } finally {
      await two.close();
    }
  });
});
