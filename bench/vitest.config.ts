import { defineConfig } from 'vitest/config';

// Measurements, not tests: run by `npm run bench`, never by `npm test`.
export default defineConfig({
  test: {
    include: ['bench/**/*.measure.ts'],
    globalSetup: ['e2e/harness/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
