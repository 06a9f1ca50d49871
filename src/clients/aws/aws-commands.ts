import type { Operation } from '../../context/operation.js';

/** The AWS services SecretSync talks to, as metric labels and breaker keys. */
export type AwsService =
  'secretsmanager' | 'sts' | 's3' | 'organizations' | 'sso-admin' | 'identitystore' | 'ssm';

/** How one SDK command appears in logs, metrics and errors: its operation and the resource it touches. */
interface CommandSpec {
  readonly operation: Operation;
  /** The resource named in logs and errors (secret name, key, role ARN, account id) — never a value. */
  readonly resource: (input: CommandInput) => string;
}

/** The fields of a command's input that name resources; every other field is never read. */
type CommandInput = Readonly<Record<string, unknown>>;

const text = (value: unknown, fallback: string): string =>
  typeof value === 'string' && value !== '' ? value : fallback;

const field =
  (name: string, fallback = '(none)') =>
  (input: CommandInput): string =>
    text(input[name], fallback);

/** `ListSecrets` names its prefix filter; without one it lists everything. */
function listedPrefix(input: CommandInput): string {
  const filters = Array.isArray(input.Filters) ? (input.Filters as unknown[]) : [];
  for (const filter of filters) {
    const { Key: key, Values: values } = (filter ?? {}) as { Key?: unknown; Values?: unknown };
    if (key === 'name' && Array.isArray(values)) return `${text(values[0], '')}*`;
  }
  return '(all)';
}

/** A batch read names its first secret and how many follow. */
function batchIds(input: CommandInput): string {
  const ids = Array.isArray(input.SecretIdList) ? (input.SecretIdList as unknown[]) : [];
  return ids.length <= 1 ? text(ids[0], '(none)') : `${text(ids[0], '?')} (+${ids.length - 1})`;
}

function groupName(input: CommandInput): string {
  const alternate = input.AlternateIdentifier as
    { UniqueAttribute?: { AttributeValue?: unknown } } | undefined;
  return text(alternate?.UniqueAttribute?.AttributeValue, '(group)');
}

/**
 * Every SDK command SecretSync sends, by the SDK's command name, with its operation and resource
 * (architecture: "operation from the command, resource from a small per-command table"). A command
 * missing here is a bug the call middleware reports at once.
 */
export const AWS_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  // Secrets Manager
  ListSecretsCommand: { operation: 'aws.list_secrets', resource: listedPrefix },
  BatchGetSecretValueCommand: { operation: 'aws.batch_get_secret_value', resource: batchIds },
  CreateSecretCommand: { operation: 'aws.create_secret', resource: field('Name') },
  PutSecretValueCommand: { operation: 'aws.put_secret_value', resource: field('SecretId') },
  UpdateSecretCommand: { operation: 'aws.update_secret', resource: field('SecretId') },
  TagResourceCommand: { operation: 'aws.tag_resource', resource: field('SecretId') },
  UntagResourceCommand: { operation: 'aws.untag_resource', resource: field('SecretId') },
  DeleteSecretCommand: { operation: 'aws.delete_secret', resource: field('SecretId') },
  RestoreSecretCommand: { operation: 'aws.restore_secret', resource: field('SecretId') },
  // STS
  AssumeRoleCommand: { operation: 'aws.assume_role', resource: field('RoleArn') },
  GetCallerIdentityCommand: { operation: 'aws.get_caller_identity', resource: () => 'caller' },
  // S3 (merge store)
  GetObjectCommand: { operation: 'aws.s3_get', resource: field('Key') },
  PutObjectCommand: { operation: 'aws.s3_put', resource: field('Key') },
  HeadObjectCommand: { operation: 'aws.s3_head', resource: field('Key') },
  ListObjectsV2Command: { operation: 'aws.s3_list', resource: field('Prefix', '(all)') },
  // Organizations
  ListAccountsCommand: { operation: 'aws.list_accounts', resource: () => '(organization)' },
  ListAccountsForParentCommand: {
    operation: 'aws.list_accounts_for_parent',
    resource: field('ParentId'),
  },
  ListOrganizationalUnitsForParentCommand: {
    operation: 'aws.list_organizational_units',
    resource: field('ParentId'),
  },
  ListTagsForResourceCommand: { operation: 'aws.list_tags', resource: field('ResourceId') },
  DescribeAccountCommand: { operation: 'aws.describe_account', resource: field('AccountId') },
  // IAM Identity Center
  ListInstancesCommand: { operation: 'aws.list_instances', resource: () => '(instances)' },
  ListPermissionSetsCommand: {
    operation: 'aws.list_permission_sets',
    resource: field('InstanceArn'),
  },
  DescribePermissionSetCommand: {
    operation: 'aws.describe_permission_set',
    resource: field('PermissionSetArn'),
  },
  ListAccountAssignmentsCommand: {
    operation: 'aws.list_account_assignments',
    resource: (input) => `${text(input.AccountId, '?')} ${text(input.PermissionSetArn, '?')}`,
  },
  ListAccountsForProvisionedPermissionSetCommand: {
    operation: 'aws.list_accounts_for_permission_set',
    resource: field('PermissionSetArn'),
  },
  GetGroupIdCommand: { operation: 'aws.get_group_id', resource: groupName },
  // SSM (account lists)
  GetParameterCommand: { operation: 'aws.get_parameter', resource: field('Name') },
};

/** True when the command asks for a page after the first (the pagination metric). */
export function isFurtherPage(input: CommandInput): boolean {
  return text(input.NextToken, '') !== '' || text(input.ContinuationToken, '') !== '';
}
