// `npm run bench`: bundle sizes of the same minimal app in Tessera and its peers, then the
// cached acquireTokenSilent timing in real Chromium. Results go to bench/results/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleSize } from './bundle-size.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const apps = {
  '@tessera/browser': `${here}minimal-app.ts`,
  '@azure/msal-browser': `${here}peers/msal.ts`,
  'oidc-client-ts': `${here}peers/oidc-client-ts.ts`,
  '@auth0/auth0-spa-js': `${here}peers/auth0-spa-js.ts`,
};

const sizes = {};
for (const [name, entry] of Object.entries(apps)) sizes[name] = await bundleSize(entry);
console.log('Minimal app (silent, popup fallback), esbuild --minify, gzip -9:');
for (const [name, { minified, gzipped }] of Object.entries(sizes)) {
  console.log(
    `  ${name.padEnd(22)} ${String(minified).padStart(7)} B min  ${String(gzipped).padStart(6)} B gzip`,
  );
}
mkdirSync(`${here}results`, { recursive: true });
writeFileSync(`${here}results/sizes.json`, `${JSON.stringify(sizes, null, 2)}\n`);

const timing = spawnSync('npx', ['vitest', 'run', '--config', `${here}vitest.config.ts`], {
  stdio: 'inherit',
  cwd: `${here}..`,
});
process.exit(timing.status ?? 1);
