// Builds examples/spa with Vite's JS API unless dist/ is newer than every input, and measures
// the bundle (minified and gzip) for the start banner.
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

function newestMtime(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when dist/index.html is newer than the SPA's sources and the library's sources. */
export function isBuildFresh(spaDir, repoRoot) {
  const built = newestMtime(join(spaDir, 'dist', 'index.html'));
  if (built === 0) return false;
  const inputs = [
    join(spaDir, 'index.html'),
    join(spaDir, 'src'),
    join(spaDir, 'vite.config.ts'),
    join(spaDir, 'package.json'),
    join(repoRoot, 'packages', 'browser', 'src'),
    join(repoRoot, 'packages', 'browser', 'package.json'),
    join(repoRoot, 'packages', 'react', 'src'),
    // The demo bundles the error reference it shows under errors.
    join(repoRoot, 'docs', 'errors.md'),
  ];
  return inputs.every((input) => newestMtime(input) < built);
}

/** Runs `vite build` for the SPA (its own Vite, from examples/spa/node_modules). */
export async function buildSpa(spaDir) {
  const require = createRequire(join(spaDir, 'package.json'));
  const vite = await import(pathToFileURL(require.resolve('vite')).href);
  const started = performance.now();
  await vite.build({ root: spaDir, configFile: join(spaDir, 'vite.config.ts'), logLevel: 'warn' });
  return performance.now() - started;
}

/** Sizes of the built JS and CSS: raw (minified) and gzip (level 9), in bytes. */
export async function bundleSize(spaDir) {
  const assets = join(spaDir, 'dist', 'assets');
  const size = { js: 0, jsGzip: 0, css: 0, cssGzip: 0 };
  for (const name of readdirSync(assets)) {
    const kind = name.endsWith('.js') ? 'js' : name.endsWith('.css') ? 'css' : undefined;
    if (kind === undefined) continue;
    const bytes = await readFile(join(assets, name));
    size[kind] += bytes.length;
    size[`${kind}Gzip`] += gzipSync(bytes, { level: 9 }).length;
  }
  return size;
}

export function kB(bytes) {
  return `${(bytes / 1000).toFixed(1)} kB`;
}
