import { describe, expect, it } from 'vitest';
import { resolveAccountAccess, withSessionAccount } from './role-resolution.js';
import type { RoleSettings } from './role-resolution.js';

const base: RoleSettings = {
  customRolePattern: undefined,
  controlTower: { enabled: false, roleName: 'AWSControlTowerExecution', rolePath: '/' },
  defaultRoleName: 'OrganizationAccountAccessRole',
};
const caller = '123456789012';

describe('resolveAccountAccess', () => {
  it('uses the target role first, even in the caller account', () => {
    expect(
      resolveAccountAccess(caller, 'arn:aws:iam::123456789012:role/Sync', base, caller),
    ).toEqual({
      kind: 'assume_role',
      accountId: caller,
      roleArn: 'arn:aws:iam::123456789012:role/Sync',
      source: 'target.role_arn',
    });
  });

  it('fills the account into a templated target role', () => {
    expect(
      resolveAccountAccess('111111111111', 'arn:aws:iam::{{.AccountID}}:role/Sync', base, caller),
    ).toMatchObject({
      roleArn: 'arn:aws:iam::111111111111:role/Sync',
    });
  });

  it('assumes no role only for the caller account', () => {
    expect(resolveAccountAccess(caller, undefined, base, caller)).toEqual({
      kind: 'caller',
      accountId: caller,
    });
    expect(resolveAccountAccess(undefined, undefined, base, caller)).toEqual({
      kind: 'caller',
      accountId: caller,
    });
  });

  it('then the custom pattern, either placeholder spelling', () => {
    const settings = {
      ...base,
      customRolePattern: 'arn:aws:iam::{account_id}:role/Hub',
      controlTower: { ...base.controlTower, enabled: true },
    };
    expect(resolveAccountAccess('111111111111', undefined, settings, caller)).toMatchObject({
      roleArn: 'arn:aws:iam::111111111111:role/Hub',
      source: 'custom_role_pattern',
    });
  });

  it('then the Control Tower role with its path', () => {
    const settings = {
      ...base,
      controlTower: { enabled: true, roleName: 'Exec', rolePath: 'team/ops' },
    };
    expect(resolveAccountAccess('111111111111', undefined, settings, caller)).toMatchObject({
      roleArn: 'arn:aws:iam::111111111111:role/team/ops/Exec',
      source: 'control_tower',
    });
    const root = { ...base, controlTower: { ...base.controlTower, enabled: true } };
    expect(resolveAccountAccess('111111111111', undefined, root, caller)).toMatchObject({
      roleArn: 'arn:aws:iam::111111111111:role/AWSControlTowerExecution',
    });
  });

  it('then the default role name', () => {
    expect(
      resolveAccountAccess('111111111111', undefined, { ...base, defaultRoleName: 'Sync' }, caller),
    ).toMatchObject({
      roleArn: 'arn:aws:iam::111111111111:role/Sync',
      source: 'default_role_name',
    });
  });
});

describe('withSessionAccount', () => {
  const viaRole = resolveAccountAccess(
    '222222222222',
    'arn:aws:iam::999999999999:role/Sync',
    base,
    '111111111111',
  );

  it('takes the account the assumed session is in', () => {
    expect(withSessionAccount(viaRole, { accountId: '999999999999' }).accountId).toBe(
      '999999999999',
    );
  });

  it('keeps the resolved account when the session does not say', () => {
    expect(withSessionAccount(viaRole, {}).accountId).toBe('222222222222');
  });
});
