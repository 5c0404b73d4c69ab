// Vite build of the demo SPA. `@tessera/browser` resolves to the workspace sources, so the demo
// always shows the library as it is in this checkout (no stale dist/).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const browserSrc = fileURLToPath(new URL('../../packages/browser/src/', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // config.json is written by scripts/start.mjs at run time; nothing is copied from public/.
  publicDir: false,
  resolve: {
    alias: [
      { find: /^@tessera\/browser\/callback$/, replacement: `${browserSrc}callback.ts` },
      { find: /^@tessera\/browser\/diagnose$/, replacement: `${browserSrc}diagnose/index.ts` },
      { find: /^@tessera\/browser$/, replacement: `${browserSrc}index.ts` },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline polyfill script: the static server sends a strict Content-Security-Policy.
    modulePreload: { polyfill: false },
    sourcemap: true,
    reportCompressedSize: false,
  },
});
