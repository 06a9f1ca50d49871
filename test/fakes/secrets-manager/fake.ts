import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FakeServiceError } from './errors.js';
import { FaultQueue } from './faults.js';
import type { FaultOptions } from './faults.js';
import { SecretsManagerFakeHandler } from './handler.js';
import type { FakeRequest } from './handler.js';
import {
  batchGetSecretValue,
  describeSecret,
  getSecretValue,
  listSecrets,
} from './read-operations.js';
import { FakeState, RANDOM_IDS } from './store.js';
import type { IdSource } from './store.js';
import {
  createSecret,
  deleteSecret,
  putSecretValue,
  restoreSecret,
  tagResource,
  untagResource,
  updateSecret,
} from './write-operations.js';
import type { Operation } from './write-operations.js';

/*
 * An in-memory AWS Secrets Manager for unit tests: the real SDK client and the real adapter run
 * over it. Behaviour, sources and what is not modelled: SPEC.md next to this file.
 */

/** The account of requests whose access key was never mapped (moto's default too). */
export const DEFAULT_ACCOUNT = '123456789012';

const OPERATIONS = {
  BatchGetSecretValue: batchGetSecretValue,
  CreateSecret: createSecret,
  DeleteSecret: deleteSecret,
  DescribeSecret: describeSecret,
  GetSecretValue: getSecretValue,
  ListSecrets: listSecrets,
  PutSecretValue: putSecretValue,
  RestoreSecret: restoreSecret,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateSecret: updateSecret,
} satisfies Record<string, Operation>;

/** An operation the fake models. */
export type FakeOperation = keyof typeof OPERATIONS;

/** One call the fake received: who, where, what, and how it ended; never a secret value. */
export interface FakeCall {
  readonly operation: string;
  readonly account: string;
  readonly region: string;
  /** SecretId (Name for CreateSecret), when the call names one secret. */
  readonly secretId: string | undefined;
  /** SecretIdList of a BatchGetSecretValue. */
  readonly secretIds: readonly string[] | undefined;
  /** `ok`, or the error type answered. */
  readonly outcome: string;
}

/** How to build a fake. */
export interface SecretsManagerFakeOptions {
  /** The clock for CreatedDate, LastChangedDate, DeletedDate, DeletionDate; default real time. */
  readonly now?: () => Date;
  /** Access key id → account id. Unmapped keys act in DEFAULT_ACCOUNT. */
  readonly accounts?: Readonly<Record<string, string>>;
  /** Region of an unsigned request; default us-east-1. */
  readonly defaultRegion?: string;
  /** ARN suffixes and version ids; default random, as AWS. */
  readonly ids?: IdSource;
}

/** Where a client built by `fake.client()` acts. */
export interface FakeClientOptions {
  readonly accessKeyId?: string;
  readonly region?: string;
}

/** A fake Secrets Manager: the handler to give the SDK, plus test hooks. */
export interface SecretsManagerFake {
  /** The smithy HTTP handler: pass it as `requestHandler` of a SecretsManagerClient. */
  readonly handler: SecretsManagerFakeHandler;
  /** Every call received, in order (faulted calls included). */
  readonly calls: readonly FakeCall[];
  /** Makes the next matching call(s) of `operation` (`'*'` for any) fail with `errorType`. */
  failNext(operation: FakeOperation | '*', errorType: string, options?: FaultOptions): void;
  /** Requests signed with `accessKeyId` act in `account` from now on. */
  mapAccessKey(accessKeyId: string, account: string): void;
  /** A real SDK client over this fake (maxAttempts 1: retries belong to the caller). */
  client(options?: FakeClientOptions): SecretsManagerClient;
  /** Forgets every secret, call and queued fault; keeps the access-key map. */
  reset(): void;
}

/** Builds an empty fake Secrets Manager. */
export function createSecretsManagerFake(
  options: SecretsManagerFakeOptions = {},
): SecretsManagerFake {
  return new InMemorySecretsManager(options);
}

class InMemorySecretsManager implements SecretsManagerFake {
  readonly handler = new SecretsManagerFakeHandler((request) => this.respond(request));
  readonly calls: FakeCall[] = [];
  private readonly state = new FakeState();
  private readonly faults = new FaultQueue();
  private readonly accounts: Map<string, string>;

  constructor(private readonly options: SecretsManagerFakeOptions) {
    this.accounts = new Map(Object.entries(options.accounts ?? {}));
  }

  failNext(operation: FakeOperation | '*', errorType: string, options?: FaultOptions): void {
    this.faults.add(operation, errorType, options);
  }

  mapAccessKey(accessKeyId: string, account: string): void {
    this.accounts.set(accessKeyId, account);
  }

  client(options: FakeClientOptions = {}): SecretsManagerClient {
    return clientOver(this.handler, options);
  }

  reset(): void {
    this.state.clear();
    this.faults.clear();
    this.calls.length = 0;
  }

  /** Logs the call, applies a queued fault or runs the operation in the caller's store. */
  private respond(request: FakeRequest): Record<string, unknown> {
    const account = this.accounts.get(request.accessKeyId ?? '') ?? DEFAULT_ACCOUNT;
    const region = request.region ?? this.options.defaultRegion ?? 'us-east-1';
    const named = namedSecrets(request.operation, request.body);
    const record = (outcome: string) =>
      this.calls.push({ operation: request.operation, account, region, ...named, outcome });
    try {
      const ids = [named.secretId ?? '', ...(named.secretIds ?? [])];
      const fault = this.faults.take(request.operation, ids);
      if (fault !== undefined) throw fault;
      const answer = this.run(request.operation, account, region, request.body);
      record('ok');
      return answer;
    } catch (error) {
      record(error instanceof FakeServiceError ? error.type : 'InternalServiceError');
      throw error;
    }
  }

  private run(operation: string, account: string, region: string, body: unknown) {
    const run = (OPERATIONS as Record<string, Operation | undefined>)[operation];
    if (run === undefined)
      throw new FakeServiceError(
        'UnknownOperationException',
        `${operation} is not modelled by the Secrets Manager fake (SPEC.md §6).`,
      );
    const now = (this.options.now ?? (() => new Date()))();
    const store = this.state.storeFor(account, region);
    store.purgeExpired(now);
    return run({ store, now, ids: this.options.ids ?? RANDOM_IDS }, body);
  }
}

/** A SecretsManagerClient whose requests go to the fake's handler. */
function clientOver(
  handler: SecretsManagerFakeHandler,
  options: FakeClientOptions,
): SecretsManagerClient {
  const accessKeyId = options.accessKeyId ?? 'fake-access-key';
  return new SecretsManagerClient({
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'fake-secret-key' },
    endpoint: 'http://fake.local',
    requestHandler: handler,
    maxAttempts: 1,
  });
}

/** The secret ids a request names, for the call log (ids only: values never reach the log). */
function namedSecrets(
  operation: string,
  body: unknown,
): { secretId: string | undefined; secretIds: readonly string[] | undefined } {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const single = operation === 'CreateSecret' ? fields.Name : fields.SecretId;
  const list = fields.SecretIdList;
  return {
    secretId: typeof single === 'string' ? single : undefined,
    secretIds: Array.isArray(list) && list.every((id) => typeof id === 'string') ? list : undefined,
  };
}
