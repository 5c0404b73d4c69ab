// Bundle sizes (esbuild, browser, ES2022, minified): one file, or split into chunks. Shared by
// `npm run bench` and the budget test in packages/browser/test/budget, and kept plain ESM so the
// test needs no build step. @tessera/browser is built from its sources, so the figures are the
// working tree's, not a stale dist/.
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = fileURLToPath(new URL('.', import.meta.url));
const browserSrc = `${here}../packages/browser/src`;

/** @typedef {{ minified: number, gzipped: number, brotli: number }} Size */

/**
 * esbuild plugin: `@tessera/browser` and `@tessera/browser/callback` from source.
 * @type {import('esbuild').Plugin}
 */
export const tesseraSource = {
  name: 'tessera-source',
  setup(plugin) {
    plugin.onResolve({ filter: /^@tessera\/browser(\/callback)?$/ }, (args) => ({
      path: `${browserSrc}/${args.path.endsWith('/callback') ? 'callback' : 'index'}.ts`,
    }));
  },
};

/** @type {import('esbuild').BuildOptions} */
export const browserBuild = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'silent',
  plugins: [tesseraSource],
};

/**
 * Minified, gzip -9 and brotli (quality 11) byte counts.
 * @param {Uint8Array} code
 * @returns {Size}
 */
export function sizeOf(code) {
  return {
    minified: code.length,
    gzipped: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: code.length,
      },
    }).length,
  };
}

/**
 * The app as one file.
 * @param {string} entry
 * @returns {Promise<Size>}
 */
export async function bundleSize(entry = `${here}minimal-app.ts`) {
  const result = await build({ ...browserBuild, entryPoints: [entry], write: false });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  return sizeOf(file.contents);
}

/** @param {Size[]} sizes @returns {Size} */
function sum(sizes) {
  return sizes.reduce(
    (total, size) => ({
      minified: total.minified + size.minified,
      gzipped: total.gzipped + size.gzipped,
      brotli: total.brotli + size.brotli,
    }),
    { minified: 0, gzipped: 0, brotli: 0 },
  );
}

/**
 * The output files a page loads before its entry runs: the entry chunk and every chunk it imports
 * statically, transitively (metafile paths, the entry first).
 * @param {import('esbuild').Metafile} metafile
 * @returns {Set<string>}
 */
export function eagerChunks(metafile) {
  return chunksFrom(metafile, ['import-statement']);
}

/**
 * Every output file the page can ever load: the entry chunk and what it imports, statically or
 * by `import()`, transitively. esbuild emits a chunk for each `import()` it finds before
 * tree-shaking, so one whose only caller was shaken away (the configuration doctor's, in an app
 * that never calls `diagnose`) is written out but never loaded.
 * @param {import('esbuild').Metafile} metafile
 * @returns {Set<string>}
 */
export function reachableChunks(metafile) {
  return chunksFrom(metafile, ['import-statement', 'dynamic-import']);
}

/**
 * @param {import('esbuild').Metafile} metafile
 * @param {string[]} kinds
 * @returns {Set<string>}
 */
function chunksFrom(metafile, kinds) {
  const { outputs } = metafile;
  const entryChunk = Object.keys(outputs).find((path) => outputs[path]?.entryPoint !== undefined);
  if (entryChunk === undefined) throw new Error('no entry chunk in the metafile');
  const found = new Set([entryChunk]);
  for (const path of found) {
    for (const imported of outputs[path]?.imports ?? []) {
      if (kinds.includes(imported.kind) && !imported.external) found.add(imported.path);
    }
  }
  return found;
}

/**
 * The app with code splitting: the eager part (the entry chunk and every chunk it imports
 * statically, transitively) and all chunks it can load. Each chunk is compressed on its own, as
 * it travels.
 * @param {string} entry
 * @returns {Promise<{ eager: Size & { chunks: number }, total: Size & { chunks: number } }>}
 */
export async function splitSize(entry = `${here}minimal-app.ts`) {
  const outdir = await mkdtemp(join(tmpdir(), 'bench-split-'));
  try {
    const result = await build({
      ...browserBuild,
      entryPoints: [entry],
      splitting: true,
      outdir,
      write: false,
      metafile: true,
    });
    /** @type {Map<string, Size>} */
    const sizes = new Map();
    for (const file of result.outputFiles) {
      if (file.path.endsWith('.js'))
        sizes.set(relative(process.cwd(), file.path), sizeOf(file.contents));
    }
    const eager = eagerChunks(result.metafile);
    /** @param {string} path */
    const size = (path) => {
      const found = sizes.get(path);
      if (found === undefined) throw new Error(`no output file for chunk ${path}`);
      return found;
    };
    const all = [...reachableChunks(result.metafile)];
    return {
      eager: { ...sum([...eager].map(size)), chunks: eager.size },
      total: { ...sum(all.map(size)), chunks: all.length },
    };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
