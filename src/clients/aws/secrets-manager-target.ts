import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SecretListEntry, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Target } from '../../config/types.js';
import { mapLimit } from '../../core/concurrency.js';
import type { Bundle } from '../../core/json.js';
import { planSecrets } from '../../core/sync-plan.js';
import type { ExistingSecret, PlannedSecret, SecretFailure } from '../../core/sync-plan.js';
import { verifiedByRecord } from '../../core/sync-record.js';
import type { ListedVersion, SyncRecord } from '../../core/sync-record.js';
import type { AppLogger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { ApplyOutcome, SecretTarget, TargetPlan } from '../../pipeline/ports.js';
import { AccountWriteLimiter } from './account-write-limiter.js';
import type { AwsCaller } from './aws-call.js';
import type { AwsClientFactory } from './client-factory.js';
import { SecretArnCache } from './secret-arn-cache.js';

/** Secret values read per BatchGetSecretValue call (the API's limit). */
const BATCH_SIZE = 20;

/** Tuning of writes to one account. */
export interface SecretsManagerOptions {
  /** Write calls in flight per account and region (also the secrets in flight per target). */
  readonly writeConcurrency: number;
  /** Write calls started per second per account and region. */
  readonly writesPerSecond: number;
  readonly recoveryWindowDays: number;
  readonly forceDeleteWithoutRecovery: boolean;
}

/** AWS Secrets Manager as a sync target: bulk reads to plan, then exactly the planned writes. */
export class SecretsManagerTarget implements SecretTarget {
  private readonly listings = new Map<string, SecretArnCache<ExistingSecret>>();
  private readonly limiter: AccountWriteLimiter;

  constructor(
    private readonly factory: AwsClientFactory,
    private readonly aws: AwsCaller,
    private readonly options: SecretsManagerOptions,
    private readonly logger: AppLogger,
    private readonly metrics: Metrics,
  ) {
    this.limiter = new AccountWriteLimiter({
      concurrency: options.writeConcurrency,
      perSecond: options.writesPerSecond,
    });
  }

  /**
   * Lists the account (ListSecrets pages), reads in bulk (BatchGetSecretValue) the current values
   * the sync record cannot vouch for, and plans every secret.
   */
  async plan(target: Target, bundle: Bundle, record?: SyncRecord): Promise<TargetPlan> {
    const { access, client, listing } = await this.reach(target);
    await listing.refresh(() => this.listAll(client, target));
    const existing = [...listing.snapshot().values()];
    // A record of another account or region (the target was moved) vouches for nothing.
    const applicable =
      record?.accountId === access.accountId && record.region === target.region
        ? record
        : undefined;
    const verified = verifiedByRecord(target.secretPrefix, bundle, existing, applicable);
    const toRead = existing.filter(
      (secret) =>
        !secret.deleted &&
        !verified.has(secret.name) &&
        bundle.has(secret.name.slice(target.secretPrefix.length)) &&
        secret.name.startsWith(target.secretPrefix),
    );
    const read = await this.readValues(client, target, toRead);
    const plan = planSecrets(target, bundle, existing, { values: read.values, verified });
    this.logger.debug(
      {
        target: target.name,
        listed: existing.length,
        verified: verified.size,
        read: read.values.size,
      },
      'planned target',
    );
    const listed = new Map<string, ListedVersion>(
      existing.map((secret) => [secret.name, read.versions.get(secret.name) ?? secret]),
    );
    return {
      target,
      accountId: access.accountId,
      roleArn: access.kind === 'assume_role' ? access.roleArn : undefined,
      plan: { ...plan, failures: [...plan.failures, ...read.failures] },
      listed,
    };
  }

  /** Carries out the plan's actions with bounded concurrency; a failed secret does not stop the rest. */
  async apply(plan: TargetPlan, stopped: () => boolean = () => false): Promise<ApplyOutcome> {
    const { target } = plan;
    const { client, listing } = await this.reach(target);
    const work = plan.plan.secrets.filter((secret) => secret.action !== 'unchanged');
    const applied: PlannedSecret[] = [];
    const failures: SecretFailure[] = [];
    const written = new Map<string, string>();
    await mapLimit(work, this.options.writeConcurrency, async (secret) => {
      if (stopped()) {
        failures.push({
          name: secret.name,
          path: secret.path,
          reason: 'not written: the run was interrupted (SIGINT/SIGTERM) before this write started',
        });
        return;
      }
      try {
        const version = await this.applyOne(
          client,
          target,
          plan.accountId,
          secret,
          plan.plan.payloads.get(secret.name),
          listing,
        );
        if (version !== undefined) written.set(secret.name, version);
        applied.push(secret);
        this.metrics.secretsSynced.inc({ action: secret.action });
      } catch (error) {
        failures.push({ name: secret.name, path: secret.path, reason: (error as Error).message });
      }
    });
    // The next plan of this account lists it afresh: keep no listing of a synced target around.
    this.listings.delete(cacheKey(plan.accountId, target.region, target.secretPrefix));
    return { applied: sortByName(applied), failures: sortByName(failures), written };
  }

  private async applyOne(
    client: SecretsManagerClient,
    target: Target,
    accountId: string,
    secret: PlannedSecret,
    payload: string | undefined,
    listing: SecretArnCache<ExistingSecret>,
  ): Promise<string | undefined> {
    // Every write call waits for the account's write limiter (concurrency and rate).
    const send = <T>(
      operation: Parameters<AwsCaller>[0]['operation'],
      fn: (signal: AbortSignal) => Promise<T>,
    ) =>
      this.limiter.run(accountId, target.region, () =>
        this.aws(
          { service: 'secretsmanager', region: target.region, operation, path: secret.name },
          fn,
        ),
      );
    const arn = secret.arn ?? '';
    switch (secret.action) {
      case 'create': {
        const created = await send('aws.create_secret', (abortSignal) =>
          client.send(
            new CreateSecretCommand({
              Name: secret.name,
              SecretString: payload,
              Tags: Object.entries(secret.tags.set).map(([Key, Value]) => ({ Key, Value })),
              ...(target.kmsKeyId === undefined ? {} : { KmsKeyId: target.kmsKeyId }),
              ...(target.description === undefined ? {} : { Description: target.description }),
            }),
            { abortSignal },
          ),
        );
        listing.set(secret.name, {
          name: secret.name,
          arn: created.ARN ?? secret.name,
          tags: secret.tags.set,
          deleted: false,
          description: target.description,
          kmsKeyId: target.kmsKeyId,
          version: created.VersionId,
          changed: undefined,
        });
        return created.VersionId;
      }
      case 'restore': {
        await send('aws.restore_secret', (abortSignal) =>
          client.send(new RestoreSecretCommand({ SecretId: arn }), { abortSignal }),
        );
        const version = await this.putValue(send, client, arn, payload);
        await this.applyTagsAndMetadata(send, client, arn, secret);
        return version;
      }
      case 'update': {
        const version = await this.putValue(send, client, arn, payload);
        await this.applyTagsAndMetadata(send, client, arn, secret);
        return version;
      }
      case 'delete':
        await send('aws.delete_secret', (abortSignal) =>
          client.send(
            new DeleteSecretCommand(
              this.options.forceDeleteWithoutRecovery
                ? { SecretId: arn, ForceDeleteWithoutRecovery: true }
                : { SecretId: arn, RecoveryWindowInDays: this.options.recoveryWindowDays },
            ),
            { abortSignal },
          ),
        );
        listing.delete(secret.name);
        return undefined;
      case 'tag':
      case 'unchanged':
        await this.applyTagsAndMetadata(send, client, arn, secret);
        return undefined;
    }
  }

  private async putValue(
    send: SendFn,
    client: SecretsManagerClient,
    arn: string,
    payload: string | undefined,
  ): Promise<string | undefined> {
    const response = await send('aws.put_secret_value', (abortSignal) =>
      client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: payload }), {
        abortSignal,
      }),
    );
    return response.VersionId;
  }

  private async applyTagsAndMetadata(
    send: SendFn,
    client: SecretsManagerClient,
    arn: string,
    secret: PlannedSecret,
  ): Promise<void> {
    const tags = Object.entries(secret.tags.set).map(([Key, Value]) => ({ Key, Value }));
    if (tags.length > 0)
      await send('aws.tag_resource', (abortSignal) =>
        client.send(new TagResourceCommand({ SecretId: arn, Tags: tags }), { abortSignal }),
      );
    if (secret.tags.remove.length > 0) {
      await send('aws.untag_resource', (abortSignal) =>
        client.send(new UntagResourceCommand({ SecretId: arn, TagKeys: [...secret.tags.remove] }), {
          abortSignal,
        }),
      );
    }
    const metadata = secret.metadata;
    if (metadata !== undefined) {
      await send('aws.update_secret', (abortSignal) =>
        client.send(
          new UpdateSecretCommand({
            SecretId: arn,
            ...(metadata.description === undefined ? {} : { Description: metadata.description }),
            ...(metadata.kmsKeyId === undefined ? {} : { KmsKeyId: metadata.kmsKeyId }),
          }),
          { abortSignal },
        ),
      );
    }
  }

  /** How the target's account is reached, its client, and its listing cache. */
  private async reach(target: Target) {
    const { access, client } = await this.factory.clientForAccount(
      'secretsmanager',
      target.accountId,
      target.roleArn,
      target.region,
    );
    return {
      access,
      client,
      listing: this.cacheFor(access.accountId, target.region, target.secretPrefix),
    };
  }

  private cacheFor(
    accountId: string,
    region: string,
    prefix: string,
  ): SecretArnCache<ExistingSecret> {
    const key = cacheKey(accountId, region, prefix);
    let cache = this.listings.get(key);
    if (cache === undefined) {
      cache = new SecretArnCache<ExistingSecret>();
      this.listings.set(key, cache);
    }
    return cache;
  }

  private async listAll(
    client: SecretsManagerClient,
    target: Target,
  ): Promise<ReadonlyMap<string, ExistingSecret>> {
    const secrets = new Map<string, ExistingSecret>();
    let nextToken: string | undefined;
    let page = 0;
    do {
      const response = await this.aws(
        {
          service: 'secretsmanager',
          region: target.region,
          operation: 'aws.list_secrets',
          path: target.secretPrefix || '(all)',
        },
        (abortSignal) =>
          client.send(
            new ListSecretsCommand({
              MaxResults: 100,
              IncludePlannedDeletion: true,
              ...(target.secretPrefix === ''
                ? {}
                : { Filters: [{ Key: 'name', Values: [target.secretPrefix] }] }),
              ...(nextToken === undefined ? {} : { NextToken: nextToken }),
            }),
            { abortSignal },
          ),
      );
      if (page > 0)
        this.metrics.awsPagination.inc({
          service: 'secretsmanager',
          operation: 'aws.list_secrets',
        });
      page += 1;
      for (const entry of response.SecretList ?? []) {
        const secret = toExisting(entry);
        if (secret?.name.startsWith(target.secretPrefix) === true) secrets.set(secret.name, secret);
      }
      nextToken = response.NextToken;
    } while (nextToken !== undefined && nextToken !== '');
    return secrets;
  }

  private async readValues(
    client: SecretsManagerClient,
    target: Target,
    owned: readonly ExistingSecret[],
  ): Promise<{
    values: Map<string, string>;
    versions: Map<string, ListedVersion>;
    failures: SecretFailure[];
  }> {
    const values = new Map<string, string>();
    const versions = new Map<string, ListedVersion>();
    const failures: SecretFailure[] = [];
    const batches = chunk(owned, BATCH_SIZE);
    await mapLimit(batches, 4, async (batch) => {
      const response = await this.aws(
        {
          service: 'secretsmanager',
          region: target.region,
          operation: 'aws.batch_get_secret_value',
          path: `${batch[0]?.name ?? ''} (+${batch.length - 1})`,
        },
        (abortSignal) =>
          client.send(
            new BatchGetSecretValueCommand({ SecretIdList: batch.map((secret) => secret.arn) }),
            { abortSignal },
          ),
      );
      const nameOf = new Map(batch.map((secret) => [secret.arn, secret.name]));
      const listedOf = new Map(batch.map((secret) => [secret.name, secret]));
      for (const value of response.SecretValues ?? []) {
        const name = value.Name ?? nameOf.get(value.ARN ?? '');
        if (name === undefined || value.SecretString === undefined) continue;
        values.set(name, value.SecretString);
        // The version actually read, which may be newer than the listed one (and its date).
        const listed = listedOf.get(name);
        versions.set(name, {
          version: value.VersionId,
          changed:
            listed?.version === undefined || listed.version === value.VersionId
              ? listed?.changed
              : undefined,
        });
      }
      for (const error of response.Errors ?? []) {
        const name = nameOf.get(error.SecretId ?? '') ?? error.SecretId ?? '';
        failures.push({
          name,
          path: name.slice(target.secretPrefix.length),
          reason: `cannot read the current value: ${error.ErrorCode ?? 'error'}: ${error.Message ?? ''}`,
        });
      }
    });
    return { values, versions, failures };
  }
}

type SendFn = <T>(
  operation: Parameters<AwsCaller>[0]['operation'],
  fn: (signal: AbortSignal) => Promise<T>,
) => Promise<T>;

function cacheKey(accountId: string, region: string, prefix: string): string {
  return `${accountId}|${region}|${prefix}`;
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

function sortByName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
