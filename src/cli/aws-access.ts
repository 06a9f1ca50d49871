import type { Config, Target } from '../config/types.js';
import { mapLimit } from '../core/concurrency.js';
import { resolveAccountAccess, withSessionAccount } from '../core/role-resolution.js';
import type { AccountAccess } from '../core/role-resolution.js';
import { roleSettingsOf } from '../clients/aws/client-factory.js';
import type { AwsClientFactory, CallerIdentity } from '../clients/aws/client-factory.js';

/** How SecretSync would reach one target's account, and (when checked) whether it can. */
export interface TargetAccess {
  readonly target: string;
  readonly access: AccountAccess;
  /** undefined when not checked; `ok` or the reason the role cannot be assumed. */
  readonly check:
    { readonly ok: true } | { readonly ok: false; readonly reason: string } | undefined;
}

/** Resolves each target's access from the caller's identity; with `check`, assumes each role once. */
export async function describeTargetAccess(
  config: Config,
  targets: readonly Target[],
  factory: AwsClientFactory,
  caller: CallerIdentity,
  check: boolean,
): Promise<TargetAccess[]> {
  const settings = roleSettingsOf(config.aws);
  return mapLimit(targets, 4, async (target) => {
    const access = resolveAccountAccess(
      target.accountId,
      target.roleArn,
      settings,
      caller.accountId,
    );
    if (!check || access.kind === 'caller')
      return { target: target.name, access, check: check ? { ok: true } : undefined };
    try {
      const session = await factory.sessions.credentials(access.roleArn);
      return {
        target: target.name,
        access: withSessionAccount(access, session),
        check: { ok: true },
      };
    } catch (error) {
      return {
        target: target.name,
        access,
        check: { ok: false, reason: (error as Error).message },
      };
    }
  });
}

/** Renders the access table: one line per target with the role and its source rule. */
export function formatTargetAccess(
  caller: CallerIdentity,
  config: Config,
  rows: readonly TargetAccess[],
): string {
  const context = config.aws.executionContext;
  const lines = [
    `Caller: ${caller.arn} (account ${caller.accountId})`,
    `Execution context: ${context.type ?? 'not set'}${context.accountId === undefined ? '' : `, account ${context.accountId}${context.accountId === caller.accountId ? ' (the caller)' : ' (NOT the caller account)'}`}`,
    '',
    'Targets:',
  ];
  for (const row of rows) {
    const how =
      row.access.kind === 'caller'
        ? 'as the caller (no role)'
        : `role ${row.access.roleArn} (from ${row.access.source})`;
    const status =
      row.check === undefined
        ? ''
        : row.check.ok
          ? ' — ok'
          : ` — CANNOT ASSUME: ${row.check.reason}`;
    lines.push(`  ${row.target}: account ${row.access.accountId}, ${how}${status}`);
  }
  return `${lines.join('\n')}\n`;
}
