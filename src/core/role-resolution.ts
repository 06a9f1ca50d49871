import { replaceAccountPlaceholder } from './aws-formats.js';

/** The settings role resolution reads (a subset of the AWS config). */
export interface RoleSettings {
  readonly customRolePattern: string | undefined;
  readonly controlTower: {
    readonly enabled: boolean;
    readonly roleName: string;
    readonly rolePath: string;
  };
  readonly defaultRoleName: string;
}

/** How SecretSync reaches an account: through a role, or as the caller itself. */
export type AccountAccess =
  | { readonly kind: 'caller'; readonly accountId: string }
  | {
      readonly kind: 'assume_role';
      readonly accountId: string;
      readonly roleArn: string;
      readonly source: RoleSource;
    };

/** Which rule chose the role, for `secretsync context`. */
export type RoleSource =
  'target.role_arn' | 'custom_role_pattern' | 'control_tower' | 'default_role_name';

/**
 * The one role-resolution order (product spec): target role_arn, then the custom role pattern,
 * then the Control Tower execution role, then `default_role_name` (OrganizationAccountAccessRole).
 * No role only when the target account is the caller's own account — so writing to any other
 * account without a role is impossible by construction.
 */
export function resolveAccountAccess(
  accountId: string | undefined,
  roleArn: string | undefined,
  settings: RoleSettings,
  callerAccountId: string,
): AccountAccess {
  const account = accountId ?? callerAccountId;
  if (roleArn !== undefined) {
    return {
      kind: 'assume_role',
      accountId: account,
      roleArn: replaceAccountPlaceholder(roleArn, account),
      source: 'target.role_arn',
    };
  }
  if (account === callerAccountId) return { kind: 'caller', accountId: account };
  if (settings.customRolePattern !== undefined) {
    return {
      kind: 'assume_role',
      accountId: account,
      roleArn: replaceAccountPlaceholder(settings.customRolePattern, account),
      source: 'custom_role_pattern',
    };
  }
  if (settings.controlTower.enabled) {
    const path = normalizeRolePath(settings.controlTower.rolePath);
    return {
      kind: 'assume_role',
      accountId: account,
      roleArn: `arn:aws:iam::${account}:role${path}${settings.controlTower.roleName}`,
      source: 'control_tower',
    };
  }
  return {
    kind: 'assume_role',
    accountId: account,
    roleArn: `arn:aws:iam::${account}:role/${settings.defaultRoleName}`,
    source: 'default_role_name',
  };
}

function normalizeRolePath(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/**
 * The access with the account the assumed role's session is really in (from its AssumeRole
 * answer), which is where the plan is computed and the writes go; unchanged when it is unknown.
 */
export function withSessionAccount(
  access: AccountAccess,
  session: { readonly accountId?: string | undefined },
): AccountAccess {
  if (access.kind === 'caller' || session.accountId === undefined) return access;
  return { ...access, accountId: session.accountId };
}
