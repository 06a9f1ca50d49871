import { existsSync } from 'node:fs';
import { pushgatewayPaths } from '../../dev/pushgateway-build.js';

/** The real Pushgateway binary the tests start, or the reason they skip. */
export type PushgatewayForTests = { readonly binary: string } | { readonly skip: string };

/**
 * SECRETSYNC_TEST_PUSHGATEWAY_BIN (set by .ci/run after the build) names a binary that must exist:
 * missing, the tests fail. Without it the cached build (.cache/peers/bin/pushgateway) is used when
 * there is one; otherwise the Pushgateway tests skip, saying how to build it.
 */
export function pushgatewayForTests(env: NodeJS.ProcessEnv = process.env): PushgatewayForTests {
  const required = env.SECRETSYNC_TEST_PUSHGATEWAY_BIN;
  if (required !== undefined && required !== '') {
    if (!existsSync(required))
      throw new Error(
        `SECRETSYNC_TEST_PUSHGATEWAY_BIN=${required} does not exist: build it with \`npm run pushgateway:build\``,
      );
    return { binary: required };
  }
  const cached = pushgatewayPaths().binary;
  if (existsSync(cached)) return { binary: cached };
  return {
    skip:
      `SKIPPED: the real Prometheus Pushgateway is not built (${cached}). Build it with ` +
      '`npm run pushgateway:build` (Go, a few minutes cold); CI builds it and sets ' +
      'SECRETSYNC_TEST_PUSHGATEWAY_BIN, so there these tests never skip.',
  };
}
