import { randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Target } from '../../config/types.js';
import type { PlannedSecret } from '../../core/sync-plan.js';
import { AccountWriteLimiter } from './account-write-limiter.js';

/** How secrets are written and deleted. */
export interface WriteOptions {
  /** Write calls in flight per account and region. */
  readonly writeConcurrency: number;
  /** Write calls started per second per account and region. */
  readonly writesPerSecond: number;
  readonly recoveryWindowDays: number;
  readonly forceDeleteWithoutRecovery: boolean;
}

/** What one action did to the account: the version a value write produced, and the ARN created. */
export interface WriteResult {
  readonly version: string | undefined;
  readonly createdArn: string | undefined;
}

/** Runs one write call once the account's write limiter lets it start. */
type Paced = <T>(call: () => Promise<T>) => Promise<T>;

/**
 * The Secrets Manager calls of one planned action, each paced by the account's write limiter
 * (concurrency and rate shared by every target writing to that account and region).
 */
export class SecretWriter {
  private readonly limiter: AccountWriteLimiter;

  constructor(private readonly options: WriteOptions) {
    this.limiter = new AccountWriteLimiter({
      concurrency: options.writeConcurrency,
      perSecond: options.writesPerSecond,
    });
  }

  /** Carries out one action in `accountId`; the payload is the value for create, update, restore. */
  async apply(
    client: SecretsManagerClient,
    target: Target,
    accountId: string,
    secret: PlannedSecret,
    payload: string | undefined,
  ): Promise<WriteResult> {
    const paced: Paced = (call) => this.limiter.run(accountId, target.region, call);
    const writes = new AccountWrites(client, paced);
    const arn = secret.arn ?? '';
    switch (secret.action) {
      case 'create': {
        const created = await paced(() => client.send(createCommand(target, secret, payload)));
        return { version: created.VersionId, createdArn: created.ARN ?? secret.name };
      }
      case 'restore':
        await paced(() => client.send(new RestoreSecretCommand({ SecretId: arn })));
        return writes.putAndRetag(arn, secret, payload);
      case 'update':
        return writes.putAndRetag(arn, secret, payload);
      case 'delete':
        await paced(() => client.send(deleteCommand(arn, this.options)));
        return NOTHING;
      case 'tag':
      case 'unchanged':
        await writes.retag(arn, secret);
        return NOTHING;
    }
  }
}

const NOTHING: WriteResult = { version: undefined, createdArn: undefined };

/** The value and tag writes shared by update, restore and tag-only actions. */
class AccountWrites {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly paced: Paced,
  ) {}

  async putAndRetag(
    arn: string,
    secret: PlannedSecret,
    payload: string | undefined,
  ): Promise<WriteResult> {
    const put = await this.paced(() =>
      this.client.send(
        // As for create: a retried put with the same token adds one version, not two.
        new PutSecretValueCommand({
          SecretId: arn,
          SecretString: payload,
          ClientRequestToken: randomUUID(),
        }),
      ),
    );
    await this.retag(arn, secret);
    return { version: put.VersionId, createdArn: undefined };
  }

  /** Sets changed tags, removes SecretSync's stale tag keys, and updates description or KMS key. */
  async retag(arn: string, secret: PlannedSecret): Promise<void> {
    const tags = Object.entries(secret.tags.set).map(([Key, Value]) => ({ Key, Value }));
    if (tags.length > 0)
      await this.paced(() =>
        this.client.send(new TagResourceCommand({ SecretId: arn, Tags: tags })),
      );
    const remove = [...secret.tags.remove];
    if (remove.length > 0)
      await this.paced(() =>
        this.client.send(new UntagResourceCommand({ SecretId: arn, TagKeys: remove })),
      );
    const metadata = secret.metadata;
    if (metadata === undefined) return;
    await this.paced(() =>
      this.client.send(
        new UpdateSecretCommand({
          SecretId: arn,
          ...(metadata.description === undefined ? {} : { Description: metadata.description }),
          ...(metadata.kmsKeyId === undefined ? {} : { KmsKeyId: metadata.kmsKeyId }),
        }),
      ),
    );
  }
}

function createCommand(
  target: Target,
  secret: PlannedSecret,
  payload: string | undefined,
): CreateSecretCommand {
  return new CreateSecretCommand({
    Name: secret.name,
    // One token per action, kept across the call wrapper's retries: a create whose answer was
    // lost (timeout) and that is sent again is the same request to AWS, not a second secret.
    ClientRequestToken: randomUUID(),
    SecretString: payload,
    Tags: Object.entries(secret.tags.set).map(([Key, Value]) => ({ Key, Value })),
    ...(target.kmsKeyId === undefined ? {} : { KmsKeyId: target.kmsKeyId }),
    ...(target.description === undefined ? {} : { Description: target.description }),
  });
}

function deleteCommand(arn: string, options: WriteOptions): DeleteSecretCommand {
  return new DeleteSecretCommand(
    options.forceDeleteWithoutRecovery
      ? { SecretId: arn, ForceDeleteWithoutRecovery: true }
      : { SecretId: arn, RecoveryWindowInDays: options.recoveryWindowDays },
  );
}
