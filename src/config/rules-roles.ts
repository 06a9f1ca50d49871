import { ACCOUNT_PLACEHOLDERS, accountOfArn } from '../core/aws-formats.js';
import type { ConfigRule, RuleFinding } from './rule.js';
import { entriesOf } from './rule.js';

/*
 * A target's role decides the account its plan is computed in and its secrets are written to: a
 * role in another account than the target's account_id would sync somewhere else than the config
 * says, so it is refused unless the target opts out with allow_cross_account_role: true.
 */

const OPT_OUT =
  'if the role is meant to be in another account, set allow_cross_account_role: true on this target (its secrets then go to the role account)';

/** A static target's role_arn is in its account_id. */
const staticTargetRoles: ConfigRule['check'] = (file) =>
  entriesOf(file.targets).flatMap(([name, entry]): RuleFinding[] => {
    if (Array.isArray(entry) || entry.allow_cross_account_role === true) return [];
    if (entry.role_arn === undefined || entry.account_id === undefined) return [];
    const roleAccount = accountOfArn(entry.role_arn);
    if (roleAccount === undefined || roleAccount === entry.account_id) return [];
    return [
      {
        path: ['targets', name, 'role_arn'],
        message: `"${entry.role_arn}" is a role in account ${roleAccount}, not in the target's account_id ${entry.account_id}: SecretSync would plan and write in ${roleAccount}; use a role in ${entry.account_id}, or ${OPT_OUT}`,
      },
    ];
  });

/** A dynamic target's role_arn carries the account placeholder, so each account uses its own role. */
const dynamicTargetRoles: ConfigRule['check'] = (file) =>
  entriesOf(file.dynamic_targets).flatMap(([name, entry]): RuleFinding[] => {
    if (entry.allow_cross_account_role === true || entry.role_arn === undefined) return [];
    const role = entry.role_arn;
    if (ACCOUNT_PLACEHOLDERS.some((token) => role.includes(token))) return [];
    const roleAccount = accountOfArn(role);
    if (roleAccount === undefined) return [];
    return [
      {
        path: ['dynamic_targets', name, 'role_arn'],
        message: `"${role}" is a role in the fixed account ${roleAccount}: every discovered account would be planned and written in ${roleAccount}; put {{.AccountID}} where the account id goes, or ${OPT_OUT}`,
      },
    ];
  });

/** Roles are in the account of the target they serve, unless the target opts out. */
const roleInTargetAccount: ConfigRule = {
  name: 'role-in-target-account',
  check: (file, env) => [...staticTargetRoles(file, env), ...dynamicTargetRoles(file, env)],
};

export const roleRules: readonly ConfigRule[] = [roleInTargetAccount];
