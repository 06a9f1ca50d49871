import type { Target } from '../../config/types.js';
import type { ExistingSecret, PlannedSecret } from '../../core/sync-plan.js';
import type { SecretTarget, TargetListing, ValueReads } from '../../pipeline/ports.js';
import type { AwsClientFactory } from './client-factory.js';
import { SecretArnCache } from './secret-arn-cache.js';
import { listSecrets, readSecretValues } from './secret-listing.js';
import { SecretWriter } from './secret-writer.js';
import type { WriteOptions } from './secret-writer.js';

/** Tuning of writes to one account. */
export type SecretsManagerOptions = WriteOptions;

/**
 * AWS Secrets Manager as a sync target: lists an account under a prefix, reads values in bulk,
 * and carries out one planned action at a time. The pipeline decides what to read and write.
 */
export class SecretsManagerTarget implements SecretTarget {
  /** Listings in progress, by account, region and prefix: concurrent lists share one. */
  private readonly listings = new Map<string, SecretArnCache<ExistingSecret>>();
  private readonly writer: SecretWriter;

  constructor(
    private readonly factory: AwsClientFactory,
    options: SecretsManagerOptions,
  ) {
    this.writer = new SecretWriter(options);
  }

  /** ListSecrets pages of the account the target's credentials reach. */
  async list(target: Target): Promise<TargetListing> {
    const { access, client } = await this.reach(target);
    const key = `${access.accountId}|${target.region}|${target.secretPrefix}`;
    const listing = this.listings.get(key) ?? new SecretArnCache<ExistingSecret>();
    this.listings.set(key, listing);
    try {
      await listing.refresh(() => listSecrets(client, target));
      return {
        account: {
          accountId: access.accountId,
          roleArn: access.kind === 'assume_role' ? access.roleArn : undefined,
        },
        secrets: [...listing.snapshot().values()],
      };
    } finally {
      // Keep no listing once it is handed over: plans hold what they need.
      this.listings.delete(key);
    }
  }

  /** BatchGetSecretValue reads of these secrets. */
  async readValues(target: Target, secrets: readonly ExistingSecret[]): Promise<ValueReads> {
    const { client } = await this.reach(target);
    return readSecretValues(client, target, secrets);
  }

  /** The calls of one planned action; a create or delete is noted in a listing still in flight. */
  async applyAction(
    target: Target,
    secret: PlannedSecret,
    payload: string | undefined,
  ): Promise<string | undefined> {
    const { access, client } = await this.reach(target);
    const result = await this.writer.apply(client, target, access.accountId, secret, payload);
    const listing = this.listings.get(
      `${access.accountId}|${target.region}|${target.secretPrefix}`,
    );
    if (result.createdArn !== undefined)
      listing?.set(secret.name, createdSecret(target, secret, result));
    if (secret.action === 'delete') listing?.delete(secret.name);
    return result.version;
  }

  private reach(target: Target) {
    return this.factory.clientForAccount(
      'secretsmanager',
      target.accountId,
      target.roleArn,
      target.region,
    );
  }
}

function createdSecret(
  target: Target,
  secret: PlannedSecret,
  result: { readonly version: string | undefined; readonly createdArn: string | undefined },
): ExistingSecret {
  return {
    name: secret.name,
    arn: result.createdArn ?? secret.name,
    tags: secret.tags.set,
    deleted: false,
    description: target.description,
    kmsKeyId: target.kmsKeyId,
    version: result.version,
    changed: undefined,
  };
}
