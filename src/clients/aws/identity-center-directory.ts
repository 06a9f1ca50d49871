import { GetGroupIdCommand } from '@aws-sdk/client-identitystore';
import {
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
} from '@aws-sdk/client-sso-admin';
import type { AccountAssignment, InstanceMetadata } from '@aws-sdk/client-sso-admin';
import type { AwsSettings, Discovery } from '../../config/types.js';
import { mapLimit } from '../../core/concurrency.js';
import { DiscoveryError } from '../../core/errors.js';
import { suggestClosest } from '../../core/suggest.js';
import { OperationError } from '../../context/operation-error.js';
import { compareText } from '../../core/account-filters.js';
import { cachedLoad, callerClient } from './caller-client.js';
import type { AwsClientFactory } from './client-factory.js';
import type { DirectoryOptions } from './organizations-directory.js';
import { collectPages } from './paginate.js';

/** Identity Center discovery settings of one dynamic target. */
export type IdentityCenterDiscovery = NonNullable<Discovery['identityCenter']>;

interface Instance {
  readonly arn: string;
  readonly identityStoreId: string;
}

type SsoAdmin = Awaited<ReturnType<typeof callerClient<'sso-admin'>>>;

/**
 * Accounts where an Identity Center group or permission set is assigned. Assignments are read
 * per (account, permission set): ListAccountsForProvisionedPermissionSet gives the accounts a
 * permission set reaches, ListAccountAssignments who holds it there. Everything is cached for
 * the run.
 */
export class IdentityCenterDirectory {
  private readonly instances = new Map<'instance', Promise<Instance>>();
  private readonly permissionSets = new Map<'all', Promise<string[]>>();
  private readonly setNames = new Map<string, Promise<string>>();
  private readonly accountsBySet = new Map<string, Promise<string[]>>();
  private readonly assignmentsByPair = new Map<string, Promise<AccountAssignment[]>>();
  private readonly groupIds = new Map<string, Promise<string>>();

  constructor(
    private readonly factory: AwsClientFactory,
    private readonly settings: AwsSettings['identityCenter'],
    private readonly options: DirectoryOptions,
  ) {}

  /** Sorted ids of the accounts where the group or permission set holds an assignment. */
  async accountIds(spec: IdentityCenterDiscovery, where: string): Promise<string[]> {
    const instance = await cachedLoad(this.instances, 'instance', () => this.findInstance());
    const ids =
      spec.kind === 'group'
        ? await this.accountsOfGroup(instance, spec.name, where)
        : await this.accountsOfPermissionSet(instance, spec.name, where);
    return [...new Set(ids)].sort(compareText);
  }

  private async accountsOfGroup(instance: Instance, group: string, where: string) {
    const groupId = await this.groupId(instance, group, where);
    const sets = await this.permissionSetArns(instance);
    const pairs = (
      await mapLimit(sets, this.options.concurrency, async (set) =>
        (await this.accountsOf(instance, set)).map((account) => ({ account, set })),
      )
    ).flat();
    const held = await mapLimit(pairs, this.options.concurrency, async ({ account, set }) =>
      (await this.assignments(instance, account, set)).some(
        (a) => a.PrincipalType === 'GROUP' && a.PrincipalId === groupId,
      )
        ? [account]
        : [],
    );
    return held.flat();
  }

  private async accountsOfPermissionSet(instance: Instance, name: string, where: string) {
    const set = await this.permissionSetNamed(instance, name, where);
    const accounts = await this.accountsOf(instance, set);
    // Provisioning outlives the last assignment, so confirm someone still holds the set.
    const held = await mapLimit(accounts, this.options.concurrency, async (account) =>
      (await this.assignments(instance, account, set)).length > 0 ? [account] : [],
    );
    return held.flat();
  }

  private async findInstance(): Promise<Instance> {
    const { instanceArn, identityStoreId } = this.settings;
    if (instanceArn !== undefined && identityStoreId !== undefined)
      return { arn: instanceArn, identityStoreId };
    const all = await collectPages('Identity Center instances', async (token) => {
      const reply = await (
        await this.ssoAdmin()
      ).send(new ListInstancesCommand({ NextToken: token }));
      return { items: reply.Instances, next: reply.NextToken };
    });
    return chooseInstance(all, instanceArn, identityStoreId);
  }

  private groupId(instance: Instance, name: string, where: string): Promise<string> {
    return cachedLoad(this.groupIds, name, async () => {
      try {
        const client = await callerClient(this.factory, 'identitystore', this.options.region);
        const reply = await client.send(
          new GetGroupIdCommand({
            IdentityStoreId: instance.identityStoreId,
            AlternateIdentifier: {
              UniqueAttribute: { AttributePath: 'displayName', AttributeValue: name },
            },
          }),
        );
        return reply.GroupId ?? '';
      } catch (error) {
        if (error instanceof OperationError && error.fields.outcome === 'not_found') {
          throw new DiscoveryError(
            `${where}.group: no group with display name "${name}" in identity store ${instance.identityStoreId}; use the group's exact display name as Identity Center shows it`,
            { cause: error },
          );
        }
        throw error;
      }
    });
  }

  private permissionSetArns(instance: Instance): Promise<string[]> {
    return cachedLoad(this.permissionSets, 'all', () =>
      collectPages(`permission sets of ${instance.arn}`, async (token) => {
        const reply = await (
          await this.ssoAdmin()
        ).send(new ListPermissionSetsCommand({ InstanceArn: instance.arn, NextToken: token }));
        return { items: reply.PermissionSets, next: reply.NextToken };
      }).then((arns) => [...arns].sort(compareText)),
    );
  }

  private async permissionSetNamed(instance: Instance, name: string, where: string) {
    const arns = await this.permissionSetArns(instance);
    const names = await mapLimit(arns, this.options.concurrency, (arn) =>
      this.permissionSetName(instance, arn),
    );
    const index = names.indexOf(name);
    const arn = arns[index];
    if (arn !== undefined) return arn;
    const hint = suggestClosest(name, names);
    throw new DiscoveryError(
      `${where}.permission_set: no permission set named "${name}" in ${instance.arn}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}; permission sets: ${[...names].sort(compareText).join(', ') || 'none'}`,
    );
  }

  private permissionSetName(instance: Instance, arn: string): Promise<string> {
    return cachedLoad(this.setNames, arn, async () => {
      const client = await this.ssoAdmin();
      const reply = await client.send(
        new DescribePermissionSetCommand({ InstanceArn: instance.arn, PermissionSetArn: arn }),
      );
      return reply.PermissionSet?.Name ?? '';
    });
  }

  private accountsOf(instance: Instance, set: string): Promise<string[]> {
    return cachedLoad(this.accountsBySet, set, () =>
      collectPages(`accounts of permission set ${set}`, async (token) => {
        const reply = await (
          await this.ssoAdmin()
        ).send(
          new ListAccountsForProvisionedPermissionSetCommand({
            InstanceArn: instance.arn,
            PermissionSetArn: set,
            NextToken: token,
          }),
        );
        return { items: reply.AccountIds, next: reply.NextToken };
      }),
    );
  }

  private assignments(instance: Instance, account: string, set: string) {
    return cachedLoad(this.assignmentsByPair, `${account}|${set}`, () =>
      collectPages(`assignments of ${set} in ${account}`, async (token) => {
        const reply = await (
          await this.ssoAdmin()
        ).send(
          new ListAccountAssignmentsCommand({
            InstanceArn: instance.arn,
            AccountId: account,
            PermissionSetArn: set,
            NextToken: token,
          }),
        );
        return { items: reply.AccountAssignments, next: reply.NextToken };
      }),
    );
  }

  private ssoAdmin(): Promise<SsoAdmin> {
    return callerClient(this.factory, 'sso-admin', this.options.region);
  }
}

/** The one instance that fits the configured ARN / identity store id, or a DiscoveryError. */
function chooseInstance(
  all: readonly InstanceMetadata[],
  instanceArn: string | undefined,
  identityStoreId: string | undefined,
): Instance {
  const fitting = all.filter(
    (i) =>
      (instanceArn === undefined || i.InstanceArn === instanceArn) &&
      (identityStoreId === undefined || i.IdentityStoreId === identityStoreId),
  );
  const [only] = fitting;
  if (fitting.length === 1 && only?.InstanceArn !== undefined && only.IdentityStoreId !== undefined)
    return { arn: only.InstanceArn, identityStoreId: only.IdentityStoreId };
  const seen = all.map((i) => `${i.InstanceArn ?? '?'} (${i.IdentityStoreId ?? '?'})`).join(', ');
  const wanted = [instanceArn, identityStoreId].filter((v) => v !== undefined).join(' / ');
  throw new DiscoveryError(
    fitting.length === 0
      ? `no IAM Identity Center instance${wanted === '' ? '' : ` matching ${wanted}`} is visible to the caller (found: ${seen || 'none'}); enable Identity Center or fix aws.identity_center.instance_arn / identity_store_id`
      : `the caller sees ${fitting.length} IAM Identity Center instances (${seen}); set aws.identity_center.instance_arn and identity_store_id to choose one`,
  );
}
