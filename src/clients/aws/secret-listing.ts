import { BatchGetSecretValueCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretListEntry, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Target } from '../../config/types.js';
import { mapLimit } from '../../core/concurrency.js';
import type { ExistingSecret, SecretFailure } from '../../core/sync-plan.js';
import type { ListedVersion } from '../../core/sync-record.js';
import type { ValueReads } from '../../pipeline/ports.js';
import { collectPages } from './paginate.js';

/** Secret values read per BatchGetSecretValue call (the API's limit). */
const BATCH_SIZE = 20;
/** Batch reads in flight per target. */
const READ_CONCURRENCY = 4;

/** Every secret under the target's prefix (ListSecrets pages, scheduled deletions included). */
export async function listSecrets(
  client: SecretsManagerClient,
  target: Target,
): Promise<Map<string, ExistingSecret>> {
  const prefix = target.secretPrefix;
  const entries = await collectPages(`secrets of target ${target.name}`, async (token) => {
    const response = await client.send(
      new ListSecretsCommand({
        MaxResults: 100,
        IncludePlannedDeletion: true,
        ...(prefix === '' ? {} : { Filters: [{ Key: 'name', Values: [prefix] }] }),
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return { items: response.SecretList, next: response.NextToken };
  });
  const secrets = new Map<string, ExistingSecret>();
  for (const entry of entries) {
    const secret = toExisting(entry);
    // The name filter matches anywhere in the name; only a true prefix belongs to the target.
    if (secret?.name.startsWith(prefix) === true) secrets.set(secret.name, secret);
  }
  return secrets;
}

/** The current values of these secrets, 20 per BatchGetSecretValue call; per-secret errors are failures. */
export async function readSecretValues(
  client: SecretsManagerClient,
  target: Target,
  secrets: readonly ExistingSecret[],
): Promise<ValueReads> {
  const values = new Map<string, string>();
  const versions = new Map<string, ListedVersion>();
  const failures: SecretFailure[] = [];
  await mapLimit(chunk(secrets, BATCH_SIZE), READ_CONCURRENCY, async (batch) => {
    const response = await client.send(
      new BatchGetSecretValueCommand({ SecretIdList: batch.map((secret) => secret.arn) }),
    );
    const byArn = new Map(batch.map((secret) => [secret.arn, secret]));
    const byName = new Map(batch.map((secret) => [secret.name, secret]));
    for (const value of response.SecretValues ?? []) {
      const listed = byName.get(value.Name ?? '') ?? byArn.get(value.ARN ?? '');
      if (listed === undefined || value.SecretString === undefined) continue;
      values.set(listed.name, value.SecretString);
      // The version actually read may be newer than the listed one (and its date unknown).
      versions.set(listed.name, {
        version: value.VersionId,
        changed:
          listed.version === undefined || listed.version === value.VersionId
            ? listed.changed
            : undefined,
      });
    }
    for (const error of response.Errors ?? []) {
      const name = byArn.get(error.SecretId ?? '')?.name ?? error.SecretId ?? '';
      failures.push({
        name,
        path: name.slice(target.secretPrefix.length),
        reason: `cannot read the current value: ${error.ErrorCode ?? 'error'}: ${error.Message ?? ''}`,
      });
    }
  });
  return { values, versions, failures };
}

function toExisting(entry: SecretListEntry): ExistingSecret | undefined {
  if (entry.Name === undefined || entry.ARN === undefined) return undefined;
  const tags = Object.fromEntries(
    (entry.Tags ?? []).flatMap((tag) =>
      tag.Key === undefined ? [] : [[tag.Key, tag.Value ?? '']],
    ),
  );
  return {
    name: entry.Name,
    arn: entry.ARN,
    tags,
    deleted: entry.DeletedDate !== undefined,
    description: entry.Description,
    kmsKeyId: entry.KmsKeyId,
    version: currentVersion(entry.SecretVersionsToStages),
    changed: entry.LastChangedDate?.toISOString(),
  };
}

/** The version id carrying the AWSCURRENT stage, when the listing gives versions. */
function currentVersion(versions: Record<string, string[]> | undefined): string | undefined {
  if (versions === undefined) return undefined;
  return Object.entries(versions).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, index * size + size),
  );
}
