import { FakeServiceError, invalidParameter, invalidRequest } from './errors.js';
import { addCurrentVersion, existingVersionFor } from './store.js';
import type { IdSource, SecretStore, SecretValue, SecretVersion, StoredSecret } from './store.js';
import {
  createSecretInput,
  deleteSecretInput,
  epochSeconds,
  parseInput,
  putSecretValueInput,
  secretIdInput,
  tagResourceInput,
  untagResourceInput,
  updateSecretInput,
} from './wire.js';

/*
 * The operations that change state. Each takes the caller's store and the parsed JSON body and
 * returns the JSON answer, or throws a FakeServiceError. Behaviour: SPEC.md §4.
 */

/** What an operation sees of the world: the caller's store, the clock, the id source. */
export interface OperationContext {
  readonly store: SecretStore;
  readonly now: Date;
  readonly ids: IdSource;
}

/** One modelled operation. */
export type Operation = (context: OperationContext, body: unknown) => Record<string, unknown>;

const DAY_MS = 24 * 60 * 60 * 1000;

interface ValueFields {
  readonly SecretString?: string | undefined;
  readonly SecretBinary?: string | undefined;
}

/** The value of a request; InvalidParameterException when it carries both kinds. */
function valueOf(input: ValueFields): SecretValue | undefined {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined)
    throw invalidParameter(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  if (input.SecretString === undefined && input.SecretBinary === undefined) return undefined;
  return { secretString: input.SecretString, secretBinary: input.SecretBinary };
}

function newVersion(context: OperationContext, token: string | undefined, value: SecretValue) {
  const version: SecretVersion = {
    id: token ?? context.ids.versionId(),
    ...value,
    created: context.now,
    stages: [],
  };
  return version;
}

/** Stores a value as the new AWSCURRENT version unless the token names an identical version. */
function writeValue(
  context: OperationContext,
  secret: StoredSecret,
  token: string | undefined,
  value: SecretValue,
): SecretVersion {
  const existing = existingVersionFor(secret, token, value);
  if (existing !== undefined) return existing;
  const version = newVersion(context, token, value);
  addCurrentVersion(secret, version);
  secret.lastChanged = context.now;
  return version;
}

/** CreateSecret [API_CreateSecret]. */
export const createSecret: Operation = (context, body) => {
  const input = parseInput(createSecretInput, body);
  const value = valueOf(input);
  const existing = context.store.find(input.Name);
  if (existing !== undefined) return answerExisting(existing, input.ClientRequestToken, value);
  const secret: StoredSecret = {
    arn: context.store.arnFor(input.Name, context.ids.arnSuffix()),
    name: input.Name,
    created: context.now,
    description: input.Description,
    kmsKeyId: input.KmsKeyId,
    tags: new Map((input.Tags ?? []).map((tag) => [tag.Key, tag.Value ?? ''])),
    versions: [],
    lastChanged: context.now,
    deleted: undefined,
  };
  const version =
    value === undefined ? undefined : writeValue(context, secret, input.ClientRequestToken, value);
  context.store.add(secret);
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(version === undefined ? {} : { VersionId: version.id }),
  };
};

/** A CreateSecret of a name in use: a retry of the same request, or an error. */
function answerExisting(
  secret: StoredSecret,
  token: string | undefined,
  value: SecretValue | undefined,
): Record<string, unknown> {
  if (secret.deleted !== undefined)
    throw invalidRequest(
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
  const retried = value === undefined ? undefined : existingVersionFor(secret, token, value);
  if (retried !== undefined) return { ARN: secret.arn, Name: secret.name, VersionId: retried.id };
  throw new FakeServiceError(
    'ResourceExistsException',
    `The operation failed because the secret ${secret.name} already exists.`,
  );
}

/** PutSecretValue [API_PutSecretValue]. */
export const putSecretValue: Operation = (context, body) => {
  const input = parseInput(putSecretValueInput, body);
  if (input.VersionStages !== undefined)
    throw invalidParameter('VersionStages is not modelled by the fake (see SPEC.md §6).');
  const secret = context.store.requireLive(input.SecretId);
  const value = valueOf(input);
  if (value === undefined)
    throw invalidRequest('You must provide either SecretString or SecretBinary.');
  const version = writeValue(context, secret, input.ClientRequestToken, value);
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.id,
    VersionStages: [...version.stages],
  };
};

/** UpdateSecret [API_UpdateSecret]: metadata, and a new version when a value is given. */
export const updateSecret: Operation = (context, body) => {
  const input = parseInput(updateSecretInput, body);
  const secret = context.store.requireLive(input.SecretId);
  const value = valueOf(input);
  if (input.Description !== undefined) secret.description = input.Description;
  if (input.KmsKeyId !== undefined) secret.kmsKeyId = input.KmsKeyId;
  secret.lastChanged = context.now;
  const version =
    value === undefined ? undefined : writeValue(context, secret, input.ClientRequestToken, value);
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(version === undefined ? {} : { VersionId: version.id }),
  };
};

/** DeleteSecret [API_DeleteSecret]: scheduled with a 7–30 day window, or forced. */
export const deleteSecret: Operation = (context, body) => {
  const input = parseInput(deleteSecretInput, body);
  const days = input.RecoveryWindowInDays;
  if (days !== undefined && input.ForceDeleteWithoutRecovery === true)
    throw invalidParameter(
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    );
  if (days !== undefined && (days < 7 || days > 30))
    throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days.');
  if (input.ForceDeleteWithoutRecovery === true) return forceDelete(context, input.SecretId);
  const secret = context.store.require(input.SecretId);
  if (secret.deleted !== undefined)
    throw invalidRequest('The secret is already scheduled for deletion.');
  secret.deleted = new Date(context.now.getTime() + (days ?? 30) * DAY_MS);
  secret.lastChanged = context.now;
  return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(secret.deleted) };
};

/** A forced delete: immediate, and no ResourceNotFoundException for an absent secret. */
function forceDelete(context: OperationContext, secretId: string): Record<string, unknown> {
  const secret = context.store.find(secretId);
  const deletionDate = epochSeconds(context.now);
  if (secret === undefined) return { Name: secretId, DeletionDate: deletionDate };
  context.store.remove(secret);
  return { ARN: secret.arn, Name: secret.name, DeletionDate: deletionDate };
}

/** RestoreSecret [API_RestoreSecret]: cancels a scheduled deletion. */
export const restoreSecret: Operation = (context, body) => {
  const input = parseInput(secretIdInput, body);
  const secret = context.store.require(input.SecretId);
  secret.deleted = undefined;
  secret.lastChanged = context.now;
  return { ARN: secret.arn, Name: secret.name };
};

/** TagResource [API_TagResource]: adds tags, overwriting the value of a key already present. */
export const tagResource: Operation = (context, body) => {
  const input = parseInput(tagResourceInput, body);
  const secret = context.store.requireLive(input.SecretId);
  for (const tag of input.Tags) secret.tags.set(tag.Key, tag.Value ?? '');
  secret.lastChanged = context.now;
  return {};
};

/** UntagResource [API_UntagResource]: removes tags by key; absent keys are ignored. */
export const untagResource: Operation = (context, body) => {
  const input = parseInput(untagResourceInput, body);
  const secret = context.store.requireLive(input.SecretId);
  for (const key of input.TagKeys) secret.tags.delete(key);
  secret.lastChanged = context.now;
  return {};
};
