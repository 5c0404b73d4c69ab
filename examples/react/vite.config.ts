// Vite build of the React demo. `@tessera/browser` and `@tessera/react` resolve to the workspace
// sources, so the demo always shows the libraries as they are in this checkout.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const packages = fileURLToPath(new URL('../../packages/', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // config.json is written by scripts/start.mjs at run time; nothing is copied from public/.
  publicDir: false,
  // React 19's automatic JSX runtime, without a plugin.
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: [
      { find: /^@tessera\/browser\/callback$/, replacement: `${packages}browser/src/callback.ts` },
      { find: /^@tessera\/browser$/, replacement: `${packages}browser/src/index.ts` },
      { find: /^@tessera\/react$/, replacement: `${packages}react/src/index.ts` },
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
