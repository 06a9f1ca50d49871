import type { Environment } from '../config/env-substitution.js';
import type { Config, Source } from '../config/types.js';
import type { Bundle } from '../core/json.js';
import { AwsAccountDirectory } from '../clients/aws/account-directory.js';
import { AwsSecretSource } from '../clients/aws/aws-secret-source.js';
import { AwsClientFactory } from '../clients/aws/client-factory.js';
import { S3MergeStore } from '../clients/aws/s3-merge-store.js';
import { SecretsManagerTarget } from '../clients/aws/secrets-manager-target.js';
import type { VaultLogin } from '../clients/vault/auth.js';
import { VaultConnections } from '../clients/vault/vault-connections.js';
import { VaultMergeStore } from '../clients/vault/vault-merge-store.js';
import { VaultSecretSource } from '../clients/vault/vault-source.js';
import type { AppLogger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type {
  AccountDirectory,
  LeaseStore,
  MergeStore,
  SecretsRead,
  SecretTarget,
} from '../pipeline/ports.js';
import { createExternalCaller } from '../resilience/external-caller.js';
import { DEFAULT_RETRY_POLICY } from '../resilience/retry-policy.js';

/** The adapters of one run, wired to the one call wrapper. */
export interface App {
  readonly readSource: (source: Source, onRead?: SecretsRead) => Promise<Bundle>;
  readonly store: MergeStore;
  /** The run lock's leases, kept in the merge store. */
  readonly leases: LeaseStore;
  readonly target: SecretTarget;
  readonly aws: AwsClientFactory;
  /** Logs in to Vault and says how (`context`). */
  readonly vaultLogin: () => Promise<VaultLogin>;
  /** Finds the accounts of dynamic targets (as the caller); cached for the run. */
  readonly directory: AccountDirectory;
  close(): void;
}

/** Composition root of the adapters: every Vault and AWS call goes through one `CallExternal`. */
export function createApp(
  config: Config,
  env: Environment,
  logger: AppLogger,
  metrics: Metrics,
): App {
  const { call } = createExternalCaller({
    breaker: config.circuitBreaker,
    logger,
    metrics,
    timeoutMs: config.pipeline.requestTimeoutMs,
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: config.pipeline.maxAttempts },
  });
  const aws = new AwsClientFactory(config.aws, { call, metrics }, env);
  const vault = new VaultConnections(config.vault, call, logger, () => aws.callerCredentials());
  const vaultSource = new VaultSecretSource(vault, config.vault.concurrency, logger, metrics);
  const awsSource = new AwsSecretSource(aws);
  const storeSettings = config.mergeStore;
  const store =
    storeSettings.kind === 'vault'
      ? new VaultMergeStore(vault, storeSettings.mount, config.vault, logger)
      : new S3MergeStore(
          aws.client('s3', { kind: 'caller', accountId: 'caller' }, storeSettings.region),
          storeSettings,
          logger,
        );
  const target = new SecretsManagerTarget(aws, {
    writeConcurrency: config.pipeline.writeConcurrency,
    writesPerSecond: config.pipeline.writesPerSecond,
    recoveryWindowDays: config.pipeline.recoveryWindowDays,
    forceDeleteWithoutRecovery: config.pipeline.forceDeleteWithoutRecovery,
  });
  return {
    readSource: (source, onRead) =>
      source.kind === 'vault'
        ? vaultSource.readAll(source, onRead)
        : awsSource.readAll(source, onRead),
    store,
    leases: store.leaseStore(),
    target,
    aws,
    vaultLogin: () => vault.login(),
    directory: new AwsAccountDirectory(aws, config.aws, logger),
    close: () => {
      vault.close();
      aws.destroy();
    },
  };
}
