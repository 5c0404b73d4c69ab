import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two files at a time (Vitest's default here is one: the machine's cores less one). Most
    // e2e time is spent waiting for tokens to expire, so a second file fills that wait; every
    // e2e file starts its own provider and browser on free ports, so files do not interfere.
    maxWorkers: 2,
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.ts'],
          globalSetup: ['e2e/harness/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
