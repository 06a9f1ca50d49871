import { BatchGetSecretValueCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Source } from '../../config/types.js';
import { mapLimit } from '../../core/concurrency.js';
import { DataError, InternalError } from '../../core/errors.js';
import { isJsonObject } from '../../core/json.js';
import type { Bundle, JsonObject } from '../../core/json.js';
import { checkRelativePath } from '../../core/secret-path.js';
import type { SecretSource, SecretsRead } from '../../pipeline/ports.js';
import type { AwsClientFactory } from './client-factory.js';
import { collectPages } from './paginate.js';

type AwsSource = Extract<Source, { kind: 'aws' }>;

/** Existing Secrets Manager secrets as a source (for migrations): prefix, optional exact tags. */
export class AwsSecretSource implements SecretSource {
  constructor(private readonly factory: AwsClientFactory) {}

  /** Every matching secret as relative path (name without the prefix) → JSON object. */
  async readAll(source: Source, onRead?: SecretsRead): Promise<Bundle> {
    if (source.kind !== 'aws')
      throw new InternalError(`AwsSecretSource got a ${source.kind} source`);
    const { client } = await this.factory.clientForAccount(
      'secretsmanager',
      source.accountId,
      source.roleArn,
      source.region,
    );
    const names = await this.list(client, source);
    const bundle = new Map<string, JsonObject>();
    const batches = Array.from({ length: Math.ceil(names.length / 20) }, (_, i) =>
      names.slice(i * 20, i * 20 + 20),
    );
    await mapLimit(batches, 4, async (batch) => {
      const response = await client.send(new BatchGetSecretValueCommand({ SecretIdList: batch }));
      const failed = response.Errors?.[0];
      if (failed !== undefined)
        throw sourceError(
          source,
          failed.SecretId ?? '',
          `cannot be read: ${failed.ErrorCode ?? ''} ${failed.Message ?? ''}`.trim(),
        );
      onRead?.(response.SecretValues?.length ?? 0);
      for (const value of response.SecretValues ?? []) {
        const name = value.Name ?? '';
        bundle.set(name.slice(source.prefix.length), parseValue(source, name, value.SecretString));
      }
    });
    return new Map([...bundle].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private async list(client: SecretsManagerClient, source: AwsSource): Promise<string[]> {
    const listed = await collectPages(`secrets of source ${source.name}`, async (token) => {
      const response = await client.send(
        new ListSecretsCommand({
          MaxResults: 100,
          ...(source.prefix === '' ? {} : { Filters: [{ Key: 'name', Values: [source.prefix] }] }),
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      );
      return { items: response.SecretList, next: response.NextToken };
    });
    const names = listed.flatMap((entry) => {
      const tags = new Map((entry.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
      const matches = Object.entries(source.tags).every(([key, value]) => tags.get(key) === value);
      const name = entry.Name ?? '';
      return matches && name.startsWith(source.prefix) ? [name] : [];
    });
    for (const name of names) {
      const problem = checkRelativePath(name.slice(source.prefix.length));
      if (problem !== undefined)
        throw sourceError(source, name, `cannot be used as a relative path: it ${problem}`);
    }
    return names.sort();
  }
}

function parseValue(source: AwsSource, name: string, text: string | undefined): JsonObject {
  if (text === undefined)
    throw sourceError(source, name, 'has a binary value; only JSON object values can be synced');
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // fall through to the error below: the value is not JSON
  }
  throw sourceError(source, name, 'is not a JSON object; only JSON object values can be synced');
}

function sourceError(source: AwsSource, name: string, problem: string): DataError {
  return new DataError(
    `source ${source.name}: secret "${name}" in account ${source.accountId} ${problem}`,
  );
}
