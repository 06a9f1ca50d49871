import { defineConfig } from 'vitest/config';

/**
 * `npm run test:helm`: the chart checks with a real helm and our strict manifest validator, both
 * built from test/peers/helm (cached in .cache/peers/bin) by the globalSetup.
 */
export default defineConfig({
  test: {
    include: ['test/helm/*.test.ts'],
    globalSetup: ['test/support/helm-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
