import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'dev/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'dev/**/*.ts'],
      exclude: ['**/*.test.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      thresholds: { lines: 80 },
    },
  },
});
