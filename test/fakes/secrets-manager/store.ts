import { randomInt, randomUUID } from 'node:crypto';
import { FakeServiceError, scheduledForDeletion, secretNotFound } from './errors.js';

/*
 * The state of the fake: one secret store per (account, region). Plain data plus the few rules
 * every operation shares (lookup by name or ARN, staging-label moves, scheduled-deletion expiry).
 */

/** One version of a secret. A version without staging labels is deprecated (AWS hides it). */
export interface SecretVersion {
  readonly id: string;
  readonly secretString: string | undefined;
  /** Base64, exactly as it came over the wire. */
  readonly secretBinary: string | undefined;
  readonly created: Date;
  stages: string[];
}

/** A secret as the fake stores it. */
export interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  readonly created: Date;
  description: string | undefined;
  kmsKeyId: string | undefined;
  /** Insertion-ordered, like the tag list AWS returns. */
  tags: Map<string, string>;
  /** Oldest first. */
  versions: SecretVersion[];
  lastChanged: Date;
  /**
   * Set while scheduled for deletion: the end of the recovery window, which is both DeleteSecret's
   * `DeletionDate` and the `DeletedDate` of DescribeSecret/ListSecrets ("some time after the
   * deleted date, Secrets Manager deletes the secret" [API_DescribeSecret]; moto agrees).
   */
  deleted: Date | undefined;
}

/** Where the fake's random parts come from; injectable for deterministic ARNs. */
export interface IdSource {
  /** The 6 characters after the name in an ARN. */
  arnSuffix(): string;
  /** A version id when the request carries no ClientRequestToken. */
  versionId(): string;
}

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Random ARN suffixes and UUID version ids, as AWS makes them. */
export const RANDOM_IDS: IdSource = {
  arnSuffix: () =>
    Array.from({ length: 6 }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join(''),
  versionId: () => randomUUID(),
};

/** The secrets of one account in one region. */
export class SecretStore {
  private readonly secrets = new Map<string, StoredSecret>();

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  /** The ARN a new secret of that name gets. */
  arnFor(name: string, suffix: string): string {
    return `arn:aws:secretsmanager:${this.region}:${this.account}:secret:${name}-${suffix}`;
  }

  /** Finds a secret by name, full ARN or partial ARN (the ARN without its 6-character suffix). */
  find(secretId: string): StoredSecret | undefined {
    if (!secretId.startsWith('arn:')) return this.secrets.get(secretId);
    return [...this.secrets.values()].find(
      (secret) => secret.arn === secretId || secret.arn.slice(0, -7) === secretId,
    );
  }

  /** The secret, or ResourceNotFoundException. */
  require(secretId: string): StoredSecret {
    const secret = this.find(secretId);
    if (secret === undefined) throw secretNotFound();
    return secret;
  }

  /** The secret, or ResourceNotFoundException / InvalidRequestException when scheduled for deletion. */
  requireLive(secretId: string): StoredSecret {
    const secret = this.require(secretId);
    if (secret.deleted !== undefined) throw scheduledForDeletion();
    return secret;
  }

  /** Adds a new secret. */
  add(secret: StoredSecret): void {
    this.secrets.set(secret.name, secret);
  }

  /** Removes a secret for good. */
  remove(secret: StoredSecret): void {
    this.secrets.delete(secret.name);
  }

  /** Every secret, in creation order. */
  all(): StoredSecret[] {
    return [...this.secrets.values()];
  }

  /** Completes every scheduled deletion whose DeletionDate has passed. */
  purgeExpired(now: Date): void {
    for (const secret of this.all()) {
      if (secret.deleted !== undefined && secret.deleted <= now) this.remove(secret);
    }
  }
}

/** Every store of the fake, keyed by account and region. */
export class FakeState {
  private readonly stores = new Map<string, SecretStore>();

  /** The store of that account and region, created empty on first use. */
  storeFor(account: string, region: string): SecretStore {
    const key = `${account}|${region}`;
    let store = this.stores.get(key);
    if (store === undefined) {
      store = new SecretStore(account, region);
      this.stores.set(key, store);
    }
    return store;
  }

  /** Forgets every secret of every account and region. */
  clear(): void {
    this.stores.clear();
  }
}

/** The version carrying a staging label, if any. */
export function versionWithStage(secret: StoredSecret, stage: string): SecretVersion | undefined {
  return secret.versions.find((version) => version.stages.includes(stage));
}

/**
 * Adds a version as AWSCURRENT: the old AWSCURRENT version becomes AWSPREVIOUS, and the old
 * AWSPREVIOUS version loses its label (deprecated) [PutSecretValue, VersionStages].
 */
export function addCurrentVersion(secret: StoredSecret, version: SecretVersion): void {
  const current = versionWithStage(secret, 'AWSCURRENT');
  if (current !== undefined) {
    for (const other of secret.versions) {
      other.stages = other.stages.filter((stage) => stage !== 'AWSPREVIOUS');
    }
    current.stages = [...current.stages.filter((stage) => stage !== 'AWSCURRENT'), 'AWSPREVIOUS'];
  }
  version.stages = ['AWSCURRENT'];
  secret.versions.push(version);
}

/** A value as PutSecretValue/CreateSecret/UpdateSecret carry it. */
export interface SecretValue {
  readonly secretString: string | undefined;
  readonly secretBinary: string | undefined;
}

/**
 * The version a write with this ClientRequestToken refers to: undefined for a new token, the
 * existing version for a retry with the same value (idempotent), ResourceExistsException otherwise.
 */
export function existingVersionFor(
  secret: StoredSecret,
  token: string | undefined,
  value: SecretValue,
): SecretVersion | undefined {
  const existing = secret.versions.find((version) => version.id === token);
  if (existing === undefined) return undefined;
  if (existing.secretString === value.secretString && existing.secretBinary === value.secretBinary)
    return existing;
  throw new FakeServiceError(
    'ResourceExistsException',
    'A version with this ClientRequestToken already exists with a different value; ' +
      'an existing version cannot be modified.',
  );
}
