import { defineConfig } from 'vitest/config';

/**
 * `npm run test:real-vault`: every test file that talks to Vault, each against a real Vault 1.14.0
 * (test/peers/vault) instead of our in-memory server. Tests that need what only our server has
 * (fault injection, clock control, keys Vault refuses) skip with the reason.
 */
export default defineConfig({
  test: {
    include: [
      'test/bad-input/bad-input.test.ts',
      'test/e2e/action.test.ts',
      'test/e2e/discover.test.ts',
      'test/e2e/pipeline.test.ts',
      'test/e2e/pushgateway.test.ts',
      'test/faults/*.test.ts',
      'test/fakes/merge-store/*.test.ts',
      'test/integration/transport-security.test.ts',
      'test/integration/vault-*.test.ts',
      'test/security/leak-scan.test.ts',
      'dev/stack.test.ts',
      'dev/seed.test.ts',
      'dev/vault-peer.test.ts',
    ],
    globalSetup: ['test/support/real-vault-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
