import { z } from 'zod';
import { FakeServiceError, invalidParameter, scheduledForDeletion } from './errors.js';
import { versionWithStage } from './store.js';
import type { StoredSecret } from './store.js';
import type { Operation } from './write-operations.js';
import {
  batchGetSecretValueInput,
  getSecretValueInput,
  listSecretsInput,
  parseInput,
  secretIdInput,
  secretMetadata,
  secretValueEntry,
  versionsToStages,
} from './wire.js';
import type { Filter } from './wire.js';

/*
 * The operations that only read: listing with filters and pages, single and batch value reads,
 * describe. Behaviour: SPEC.md §3 and §4.
 */

const DEFAULT_PAGE = 100;
const pageToken = z.object({ offset: z.number().int().min(0) });

/** ListSecrets [API_ListSecrets]. */
export const listSecrets: Operation = (context, body) => {
  const input = parseInput(listSecretsInput, body);
  const matching = context.store
    .all()
    .filter((secret) => input.IncludePlannedDeletion === true || secret.deleted === undefined)
    .filter((secret) => matchesAll(secret, input.Filters ?? []));
  if (input.SortOrder === 'desc') matching.reverse();
  const { items, nextToken } = paginate(matching, input.MaxResults, input.NextToken);
  return {
    SecretList: items.map((secret) => ({
      ...secretMetadata(secret),
      SecretVersionsToStages: versionsToStages(secret),
    })),
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  };
};

/** DescribeSecret [API_DescribeSecret]: also answers for a secret scheduled for deletion. */
export const describeSecret: Operation = (context, body) => {
  const input = parseInput(secretIdInput, body);
  const secret = context.store.require(input.SecretId);
  return { ...secretMetadata(secret), VersionIdsToStages: versionsToStages(secret) };
};

/** GetSecretValue [API_GetSecretValue]: by VersionId, else by VersionStage (AWSCURRENT). */
export const getSecretValue: Operation = (context, body) => {
  const input = parseInput(getSecretValueInput, body);
  const secret = context.store.requireLive(input.SecretId);
  const stage = input.VersionStage ?? (input.VersionId === undefined ? 'AWSCURRENT' : undefined);
  const version = secret.versions.find(
    (candidate) =>
      (input.VersionId === undefined || candidate.id === input.VersionId) &&
      (stage === undefined || candidate.stages.includes(stage)),
  );
  if (version === undefined)
    throw new FakeServiceError(
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for " +
        (input.VersionId === undefined ? `staging label: ${stage ?? ''}` : 'VersionId'),
    );
  return secretValueEntry(secret, version);
};

/** BatchGetSecretValue [API_BatchGetSecretValue]: by SecretIdList (≤ 20) or by Filters, paged. */
export const batchGetSecretValue: Operation = (context, body) => {
  const input = parseInput(batchGetSecretValueInput, body);
  const byFilters = input.Filters !== undefined;
  if (byFilters === (input.SecretIdList !== undefined))
    throw invalidParameter('Either SecretIdList or Filters must be provided, but not both.');
  if (!byFilters && (input.MaxResults !== undefined || input.NextToken !== undefined))
    throw invalidParameter('MaxResults and NextToken can only be used with Filters.');
  if (input.SecretIdList !== undefined)
    return readEach(input.SecretIdList, (id) => context.store.find(id));
  const live = context.store
    .all()
    .filter((secret) => secret.deleted === undefined)
    .filter((secret) => matchesAll(secret, input.Filters ?? []));
  const { items, nextToken } = paginate(live, input.MaxResults, input.NextToken);
  return {
    ...readEach(
      items.map((secret) => secret.arn),
      (id) => items.find((secret) => secret.arn === id),
    ),
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  };
};

/** Reads the AWSCURRENT value of each id; a failure is an `Errors` entry, not a failed call. */
function readEach(
  ids: readonly string[],
  find: (id: string) => StoredSecret | undefined,
): Record<string, unknown> {
  const values: Record<string, unknown>[] = [];
  const errors: Record<string, unknown>[] = [];
  for (const id of ids) {
    try {
      values.push(readCurrent(find(id)));
    } catch (error) {
      if (!(error instanceof FakeServiceError)) throw error;
      errors.push({ SecretId: id, ErrorCode: error.type, Message: error.message });
    }
  }
  return { SecretValues: values, Errors: errors };
}

function readCurrent(secret: StoredSecret | undefined): Record<string, unknown> {
  if (secret === undefined)
    throw new FakeServiceError(
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    );
  if (secret.deleted !== undefined) throw scheduledForDeletion();
  const current = versionWithStage(secret, 'AWSCURRENT');
  if (current === undefined)
    throw new FakeServiceError(
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    );
  return secretValueEntry(secret, current);
}

/** One page of `items` and the token of the next, if any items remain. */
function paginate<T>(
  items: readonly T[],
  maxResults: number | undefined,
  token: string | undefined,
): { items: T[]; nextToken: string | undefined } {
  const offset = token === undefined ? 0 : decodeToken(token);
  const end = offset + (maxResults ?? DEFAULT_PAGE);
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? encodeToken(end) : undefined,
  };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeToken(token: string): number {
  try {
    return pageToken.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).offset;
  } catch {
    throw new FakeServiceError('InvalidNextTokenException', 'The NextToken value is invalid.');
  }
}

/** Filters are AND-ed; the values of one filter are OR-ed [API_Filter]. */
function matchesAll(secret: StoredSecret, filters: readonly Filter[]): boolean {
  return filters.every((filter) =>
    filter.Values.some((value) =>
      value.startsWith('!')
        ? !matchesValue(secret, filter.Key, value.slice(1))
        : matchesValue(secret, filter.Key, value),
    ),
  );
}

/** One filter value, by key: prefix matches, case-sensitive except description and all. */
function matchesValue(secret: StoredSecret, key: string, value: string): boolean {
  const lower = value.toLowerCase();
  switch (key) {
    case 'name':
      return secret.name.startsWith(value);
    case 'tag-key':
      return [...secret.tags.keys()].some((tagKey) => tagKey.startsWith(value));
    case 'tag-value':
      return [...secret.tags.values()].some((tagValue) => tagValue.startsWith(value));
    case 'description':
      return (secret.description ?? '').toLowerCase().startsWith(lower);
    case 'all':
      return [secret.name, secret.description ?? '', ...secret.tags.keys(), ...secret.tags.values()]
        .flatMap((text) => text.toLowerCase().split(/[^a-z0-9]+/))
        .some((word) => word.startsWith(lower));
    // No fake secret is a replica or owned by another service.
    case 'primary-region':
    case 'owning-service':
      return false;
    default:
      throw new FakeServiceError(
        'ValidationException',
        `1 validation error detected: Value '${key}' at 'filters.1.member.key' failed to satisfy ` +
          'constraint: Member must satisfy enum value set: ' +
          '[all, name, tag-key, description, tag-value, primary-region, owning-service]',
      );
  }
}
