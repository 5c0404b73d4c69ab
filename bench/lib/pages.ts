// The app origin's pages, per library L:
//   /L/app       measurement page (`?cold`: asks for a token as soon as its script runs)
//   /L/isolated  the same page with COOP same-origin + COEP require-corp (cross-origin isolated)
//   /L/callback  the library's popup/iframe redirect page
// Scripts are bundled once, minified, split and without source maps, like a production build, so
// cold starts load what a real app would ship: /L/main.js and its chunks, /L/cb/main.js.
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { build } from 'esbuild';
import type { RouteHandler } from '../../e2e/harness/static-server.js';
import { browserBuild, eagerChunks } from './sizes.js';
import { benchPath, LIBRARIES } from './libraries.js';
import type { Library, LibraryId } from './libraries.js';
import { message } from './cell.js';

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

interface PageBundle {
  /** File name → code. */
  files: Map<string, string>;
  /** The chunks the entry imports statically (preloaded, as Vite's modulepreload does). */
  preload: string[];
}

/**
 * Bundles `source` (a module importing from bench/) with code splitting, as an app build would:
 * a library's lazily imported parts become chunks loaded on first use.
 */
async function bundle(source: string): Promise<PageBundle> {
  const result = await build({
    ...browserBuild,
    plugins: [
      ...(browserBuild.plugins ?? []),
      {
        name: 'bench-entry',
        setup(plugin) {
          plugin.onResolve({ filter: /^bench-entry$/ }, () => ({
            path: 'entry',
            namespace: 'bench',
          }));
          plugin.onLoad({ filter: /.*/, namespace: 'bench' }, () => ({
            contents: source,
            resolveDir: benchPath('pages'),
            loader: 'ts',
          }));
        },
      },
    ],
    entryPoints: { main: 'bench-entry' },
    splitting: true,
    chunkNames: 'chunk-[hash]',
    outdir: 'bench-pages',
    write: false,
    metafile: true,
  });
  const eager = [...eagerChunks(result.metafile)].map((path) => basename(path));
  return {
    files: new Map(result.outputFiles.map((file) => [basename(file.path), file.text])),
    preload: eager.filter((name) => name !== 'main.js'),
  };
}

/** A page that runs `dir/main.js`, its static chunks preloaded; or an empty page. */
function html(title: string, dir?: string, page?: PageBundle): string {
  const head =
    dir === undefined || page === undefined
      ? ''
      : page.preload.map((name) => `<link rel="modulepreload" href="${dir}/${name}">`).join('') +
        `<script type="module" src="${dir}/main.js"></script>`;
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
    `${head}</head><body></body></html>\n`
  );
}

function send(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, {
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

const serve =
  (type: string, body: string): RouteHandler =>
  (_req, res) =>
    send(res, type, body);

export interface Pages {
  routes: Record<string, RouteHandler>;
  /** Libraries whose pages did not build (e.g. sources mid-change), with esbuild's message. */
  failures: Map<LibraryId, string>;
}

/** Routes of every library's pages. */
export async function buildPages(libraries: readonly Library[] = LIBRARIES): Promise<Pages> {
  const routes: Record<string, RouteHandler> = {};
  const failures = new Map<LibraryId, string>();
  await Promise.all(
    libraries.map(async (library) => {
      try {
        await buildLibraryPages(library, routes);
      } catch (error) {
        failures.set(library.id, message(error));
      }
    }),
  );
  return { routes, failures };
}

/** One library's pages, built into `routes`. */
async function buildLibraryPages(
  library: Library,
  routes: Record<string, RouteHandler>,
): Promise<void> {
  const base = `/${library.id}`;
  const app = await bundle(
    `import { create } from ${JSON.stringify(benchPath(library.adapter))};\n` +
      `import { startPage } from ${JSON.stringify(benchPath('pages/page.ts'))};\n` +
      'startPage(create);\n',
  );
  for (const [name, text] of app.files) {
    routes[`${base}/${name}`] = serve('text/javascript', text);
  }
  const page = html(library.label, base, app);
  routes[`${base}/app`] = serve('text/html', page);
  routes[`${base}/isolated`] = serve('text/html', page);
  let callbackPage = html('callback');
  if (library.callback !== undefined) {
    const callback = await bundle(`import ${JSON.stringify(benchPath(library.callback))};\n`);
    for (const [name, text] of callback.files) {
      routes[`${base}/cb/${name}`] = serve('text/javascript', text);
    }
    callbackPage = html('callback', `${base}/cb`, callback);
  }
  routes[`${base}/callback`] = serve('text/html', callbackPage);
}

/** Response headers by path: cross-origin isolation for the isolated pages only. */
export function pageHeaders(path: string): Record<string, string> {
  return path.endsWith('/isolated') ? { ...ISOLATION_HEADERS } : {};
}
