import { AwsClientFactory } from '../../src/clients/aws/client-factory.js';
import { SecretsManagerTarget } from '../../src/clients/aws/secrets-manager-target.js';
import type { Config } from '../../src/config/types.js';
import { createSecretsManagerFake } from '../fakes/secrets-manager/fake.js';
import { CALLER_ACCOUNT, CALLER_KEY, createStsFake } from '../fakes/sts/sts-fake.js';
import { testRuntime } from './runtime.js';

/**
 * The real client factory, call middleware, role sessions and Secrets Manager adapter over the
 * in-memory STS and Secrets Manager fakes: a whole multi-account AWS with no network. Sessions
 * that STS issues act in the role's account in Secrets Manager, as they do in moto and AWS.
 */
export function memoryAws(config: Config, options: { writeConcurrency?: number } = {}) {
  const secretsManager = createSecretsManagerFake();
  const sts = createStsFake({
    onSession: (key, account) => {
      secretsManager.mapAccessKey(key, account);
    },
  });
  secretsManager.mapAccessKey(CALLER_KEY, CALLER_ACCOUNT);
  const runtime = testRuntime(config);
  const handlers = { sts: sts.handler, secretsmanager: secretsManager.handler } as const;
  const factory = new AwsClientFactory(
    config.aws,
    {
      call: runtime.call,
      metrics: runtime.metrics,
      httpHandlerFor: (service) =>
        service in handlers ? handlers[service as keyof typeof handlers] : undefined,
      credentialChain: () => Promise.resolve({ accessKeyId: CALLER_KEY, secretAccessKey: 'fake' }),
    },
    {},
  );
  const target = new SecretsManagerTarget(factory, {
    writeConcurrency: options.writeConcurrency ?? 4,
    writesPerSecond: 1000,
    recoveryWindowDays: 7,
    forceDeleteWithoutRecovery: false,
  });
  /** A plain client acting in an account, to arrange state and read it back. */
  const clientIn = (account: string) => {
    const key = `AKIATEST${account}`;
    secretsManager.mapAccessKey(key, account);
    return secretsManager.client({ accessKeyId: key, region: config.aws.region });
  };
  return { secretsManager, sts, runtime, factory, target, clientIn };
}
