import { z } from 'zod';
import { FakeServiceError } from './errors.js';
import type { SecretVersion, StoredSecret } from './store.js';

/*
 * The JSON shapes of the requests the fake reads (only the fields it models; others are ignored)
 * and the helpers that shape its answers. Field names and limits follow the API reference.
 */

const secretId = z.string().min(1).max(2048);
const tag = z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256).optional() });
const filter = z.object({
  Key: z.string(),
  Values: z.array(z.string().max(512)).min(1).max(10),
});
const value = {
  SecretString: z.string().optional(),
  SecretBinary: z.string().optional(),
  ClientRequestToken: z.string().min(32).max(64).optional(),
};

/** CreateSecret request. */
export const createSecretInput = z.object({
  Name: z.string().min(1).max(512),
  Description: z.string().max(2048).optional(),
  KmsKeyId: z.string().optional(),
  Tags: z.array(tag).optional(),
  ...value,
});

/** PutSecretValue request. */
export const putSecretValueInput = z.object({
  SecretId: secretId,
  VersionStages: z.array(z.string()).optional(),
  ...value,
});

/** UpdateSecret request. */
export const updateSecretInput = z.object({
  SecretId: secretId,
  Description: z.string().max(2048).optional(),
  KmsKeyId: z.string().optional(),
  ...value,
});

/** DeleteSecret request. */
export const deleteSecretInput = z.object({
  SecretId: secretId,
  RecoveryWindowInDays: z.number().int().optional(),
  ForceDeleteWithoutRecovery: z.boolean().optional(),
});

/** A request naming one secret (RestoreSecret, DescribeSecret). */
export const secretIdInput = z.object({ SecretId: secretId });

/** GetSecretValue request. */
export const getSecretValueInput = z.object({
  SecretId: secretId,
  VersionId: z.string().optional(),
  VersionStage: z.string().optional(),
});

/** TagResource request. */
export const tagResourceInput = z.object({ SecretId: secretId, Tags: z.array(tag) });

/** UntagResource request. */
export const untagResourceInput = z.object({ SecretId: secretId, TagKeys: z.array(z.string()) });

const page = {
  MaxResults: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().optional(),
  Filters: z.array(filter).max(10).optional(),
};

/** ListSecrets request. */
export const listSecretsInput = z.object({
  IncludePlannedDeletion: z.boolean().optional(),
  SortOrder: z.enum(['asc', 'desc']).optional(),
  ...page,
});

/** BatchGetSecretValue request. */
export const batchGetSecretValueInput = z.object({
  SecretIdList: z.array(secretId).min(1).max(20).optional(),
  ...page,
});

/** A ListSecrets / BatchGetSecretValue filter. */
export type Filter = z.infer<typeof filter>;

/** The request body parsed by `schema`, or ValidationException naming the offending fields. */
export function parseInput<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new FakeServiceError('ValidationException', issues.join('; '));
}

/** A date as awsJson1_1 carries timestamps: epoch seconds. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** Version id → staging labels, listing only versions that have labels (as AWS does). */
export function versionsToStages(secret: StoredSecret): Record<string, string[]> {
  return Object.fromEntries(
    secret.versions
      .filter((version) => version.stages.length > 0)
      .map((version) => [version.id, [...version.stages]]),
  );
}

/** The fields DescribeSecret and ListSecrets share; absent optional fields are omitted. */
export function secretMetadata(secret: StoredSecret): Record<string, unknown> {
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description === undefined ? {} : { Description: secret.description }),
    ...(secret.kmsKeyId === undefined ? {} : { KmsKeyId: secret.kmsKeyId }),
    LastChangedDate: epochSeconds(secret.lastChanged),
    CreatedDate: epochSeconds(secret.created),
    ...(secret.deleted === undefined ? {} : { DeletedDate: epochSeconds(secret.deleted) }),
    ...(secret.tags.size === 0
      ? {}
      : { Tags: [...secret.tags].map(([Key, Value]) => ({ Key, Value })) }),
  };
}

/** A secret value as GetSecretValue and BatchGetSecretValue return it. */
export function secretValueEntry(
  secret: StoredSecret,
  version: SecretVersion,
): Record<string, unknown> {
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.id,
    ...(version.secretString === undefined ? {} : { SecretString: version.secretString }),
    ...(version.secretBinary === undefined ? {} : { SecretBinary: version.secretBinary }),
    VersionStages: [...version.stages],
    CreatedDate: epochSeconds(version.created),
  };
}
