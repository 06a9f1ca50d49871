import { startMotoServer } from '../../dev/moto-server.js';

/**
 * The AWS the integration tests run against: a moto server of our own by default, or LocalStack
 * (docker-compose.test.yml) when SECRETSYNC_TEST_AWS_ENDPOINT is set. Tests reach it through the
 * ordinary SDK endpoint settings, exactly as users point SecretSync at an emulator.
 */
export interface AwsPeer {
  readonly endpoint: string;
  readonly local: boolean;
  /** Wipes every account's state (moto only). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Starts (or connects to) the AWS peer and sets the credentials the SDK default chain reads. */
export async function startAwsPeer(): Promise<AwsPeer> {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  process.env.AWS_REGION ??= 'us-east-1';
  const external = process.env.SECRETSYNC_TEST_AWS_ENDPOINT;
  if (external !== undefined) {
    return {
      endpoint: external,
      local: false,
      reset: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }
  const moto = await startMotoServer();
  return {
    endpoint: moto.endpoint,
    local: true,
    reset: () => moto.reset(),
    close: () => moto.close(),
  };
}
