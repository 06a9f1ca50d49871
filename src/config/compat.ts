import type { RuleFinding } from './rule.js';
import { entriesOf } from './rule.js';
import type { ConfigFile } from './schema.js';

/*
 * Keys of the earlier implementation that load but do nothing in this version. They warn, so a
 * user never believes a setting is in force when it is not.
 */
const noEffect: readonly { path: readonly string[]; why: string }[] = [
  {
    path: ['aws', 'execution_context', 'delegation'],
    why: 'delegated services are not checked; SecretSync uses whatever the credentials allow',
  },
  {
    path: ['aws', 'control_tower', 'account_factory'],
    why: 'Account Factory hooks are not supported; use dynamic_targets to pick up new accounts',
  },
  {
    path: ['aws', 'organizations', 'auto_discover'],
    why: 'discovery runs only for dynamic_targets, with pipeline --discover',
  },
  {
    path: ['aws', 'organizations', 'ous'],
    why: 'OU maps are not used; name OUs in dynamic_targets.<name>.discovery.organizations.ou',
  },
  {
    path: ['aws', 'identity_center', 'enabled'],
    why: 'Identity Center is used whenever a dynamic target has identity_center discovery',
  },
  {
    path: ['aws', 'identity_center', 'auto_discover'],
    why: 'discovery runs only for dynamic_targets, with pipeline --discover',
  },
];

/** Warnings for accepted keys that have no effect, and for choices worth pointing out. */
export function collectWarnings(file: ConfigFile): RuleFinding[] {
  const unused = noEffect
    .filter(({ path }) => valueAt(file, path) !== undefined)
    .map(({ path, why }) => ({ path, message: `has no effect in this version: ${why}` }));
  const ownAccount = entriesOf(file.targets)
    .filter(
      ([, entry]) =>
        Array.isArray(entry) || (entry.account_id === undefined && entry.role_arn === undefined),
    )
    .map(([name]) => ({
      path: ['targets', name],
      message:
        'has no account_id: it syncs into the account of the credentials SecretSync runs with',
    }));
  return [...unused, ...ownAccount];
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
