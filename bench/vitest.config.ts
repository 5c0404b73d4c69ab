import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

// The bench's own checks (table rendering, chunk walk, request counting), run with
// `npx vitest run --config bench/vitest.config.ts`. Measurements are `npm run bench`; neither is
// part of `npm test`.
export default defineConfig({
  define: { BENCH_REPO_ROOT: JSON.stringify(root) },
  test: {
    root,
    include: ['bench/test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
