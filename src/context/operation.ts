/** Every external operation SecretSync performs; metrics and errors use exactly these names. */
export type Operation =
  | 'vault.list'
  | 'vault.read'
  | 'vault.write'
  | 'vault.delete'
  | 'vault.login'
  | 'vault.renew'
  | 'vault.lookup'
  | 'vault.mounts'
  | 'vault.id_token'
  | 'aws.list_secrets'
  | 'aws.batch_get_secret_value'
  | 'aws.describe_secret'
  | 'aws.create_secret'
  | 'aws.put_secret_value'
  | 'aws.update_secret'
  | 'aws.tag_resource'
  | 'aws.untag_resource'
  | 'aws.delete_secret'
  | 'aws.restore_secret'
  | 'aws.assume_role'
  | 'aws.get_caller_identity'
  | 'aws.resolve_credentials'
  | 'aws.s3_get'
  | 'aws.s3_put'
  | 'aws.s3_head'
  | 'aws.s3_list'
  | 'aws.s3_delete'
  | 'aws.list_accounts'
  | 'aws.list_accounts_for_parent'
  | 'aws.list_organizational_units'
  | 'aws.list_roots'
  | 'aws.list_tags'
  | 'aws.describe_account'
  | 'aws.list_instances'
  | 'aws.list_permission_sets'
  | 'aws.describe_permission_set'
  | 'aws.list_account_assignments'
  | 'aws.list_accounts_for_permission_set'
  | 'aws.get_group_id'
  | 'aws.get_parameter';

/** What an operation does, as words for "failed to <action> at path ...". */
export const OPERATION_ACTIONS = {
  'vault.list': 'list secrets',
  'vault.read': 'read secret',
  'vault.write': 'write secret',
  'vault.delete': 'delete secret',
  'vault.login': 'log in',
  'vault.renew': 'renew token',
  'vault.lookup': 'look up token',
  'vault.mounts': 'look up mount',
  'vault.id_token': 'request the OIDC ID token',
  'aws.list_secrets': 'list secrets',
  'aws.batch_get_secret_value': 'read secret values',
  'aws.describe_secret': 'describe secret',
  'aws.create_secret': 'create secret',
  'aws.put_secret_value': 'put secret value',
  'aws.update_secret': 'update secret',
  'aws.tag_resource': 'tag secret',
  'aws.untag_resource': 'untag secret',
  'aws.delete_secret': 'delete secret',
  'aws.restore_secret': 'restore secret',
  'aws.assume_role': 'assume role',
  'aws.get_caller_identity': 'get caller identity',
  'aws.resolve_credentials': 'resolve AWS credentials',
  'aws.s3_get': 'read object',
  'aws.s3_put': 'write object',
  'aws.s3_head': 'look up object',
  'aws.s3_list': 'list objects',
  'aws.s3_delete': 'delete object',
  'aws.list_accounts': 'list accounts',
  'aws.list_accounts_for_parent': 'list accounts',
  'aws.list_organizational_units': 'list organizational units',
  'aws.list_roots': 'list organization roots',
  'aws.list_tags': 'list tags',
  'aws.describe_account': 'describe account',
  'aws.list_instances': 'list Identity Center instances',
  'aws.list_permission_sets': 'list permission sets',
  'aws.describe_permission_set': 'describe permission set',
  'aws.list_account_assignments': 'list account assignments',
  'aws.list_accounts_for_permission_set': 'list accounts for permission set',
  'aws.get_group_id': 'find group',
  'aws.get_parameter': 'read parameter',
} as const satisfies Record<Operation, string>;

/** How an external call ended, for metrics labels, breaker decisions and retries. */
export type OutcomeClass =
  | 'ok'
  | 'not_found'
  | 'access_denied'
  | 'invalid_request'
  /** A conditional write lost: someone else wrote first (Vault `cas`, S3 `If-Match`). */
  | 'conflict'
  | 'throttled'
  | 'unavailable'
  | 'timeout'
  | 'circuit_open'
  | 'internal';
