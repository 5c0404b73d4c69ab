// Serves a test app (HTML pages plus TypeScript bundled on the fly with esbuild) on a loopback
// port of its own, so it is a different origin from the dev IdP.
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { closeServer, fromRepoRoot, listen, originOf, recordRequest } from './http.js';
import type { RecordedRequest } from './http.js';

export type { RecordedRequest } from './http.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface StaticServerOptions {
  /** Folder served as `/` (absolute, or relative to the repo root). Without it only `bundles` and `routes` are served. */
  root?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Address to bind; default `127.0.0.1`. */
  host?: string;
  /**
   * Host name used in `url` (default: `host`). Use `'localhost'` to make the app cross-site to
   * an IdP on `127.0.0.1` while still binding loopback.
   */
  urlHost?: string;
  /** URL path (e.g. `/app.js`) → TypeScript/JavaScript entry (absolute, or relative to the repo root). */
  bundles?: Record<string, string>;
  /** Extra response headers per URL path (e.g. CSP or COOP); applied to every response, routes included. */
  headers?: (path: string) => Record<string, string>;
  /** URL path → handler; matched exactly on the path (query ignored), before bundles and files. */
  routes?: Record<string, RouteHandler>;
}

export interface StaticServer {
  /** Origin, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

const bundleCache = new Map<string, Promise<string>>();

/**
 * Bundles a browser entry point with esbuild (ESM, browser platform, es2022, inline source
 * map). Cached per entry for the life of the test worker (one test file).
 */
export function buildBundle(entry: string): Promise<string> {
  const entryPath = fromRepoRoot(entry);
  let pending = bundleCache.get(entryPath);
  if (pending === undefined) {
    pending = build({
      entryPoints: [entryPath],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: 'inline',
      write: false,
      logLevel: 'silent',
    }).then((result) => {
      const file = result.outputFiles[0];
      if (file === undefined) throw new Error(`esbuild produced no output for ${entryPath}`);
      return file.text;
    });
    // A failed build is not cached, so a fixed source is picked up by the next server.
    pending.catch(() => bundleCache.delete(entryPath));
    bundleCache.set(entryPath, pending);
  }
  return pending;
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  method: string,
): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.end(method === 'HEAD' ? undefined : body);
}

export async function startStaticServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  const host = options.host ?? '127.0.0.1';
  const root = options.root === undefined ? undefined : fromRepoRoot(options.root);
  const routes = options.routes ?? {};
  const requests: RecordedRequest[] = [];

  // Build every bundle up front: a syntax error fails the test at start, not as a blank page.
  const bundles = new Map<string, string>();
  await Promise.all(
    Object.entries(options.bundles ?? {}).map(async ([path, entry]) => {
      bundles.set(path, await buildBundle(entry));
    }),
  );

  async function resolveFile(path: string): Promise<string | undefined> {
    if (root === undefined) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return undefined;
    }
    let file = resolve(join(root, decoded));
    if (file !== root && !file.startsWith(root + sep)) return undefined;
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      if (!(await stat(file)).isFile()) return undefined;
    } catch {
      return undefined;
    }
    return file;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record = recordRequest(req.method, req.url, req.headers);
    requests.push(record);
    const { method, path } = record;
    for (const [name, value] of Object.entries(options.headers?.(path) ?? {})) {
      res.setHeader(name, value);
    }

    const route = routes[path];
    if (route !== undefined) {
      await route(req, res);
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n', method);
      return;
    }
    if (path === '/favicon.ico') {
      // Browsers ask for it on every page; a 404 would only add noise to failure logs.
      res.statusCode = 204;
      res.end();
      return;
    }
    const bundle = bundles.get(path);
    if (bundle !== undefined) {
      send(res, 200, CONTENT_TYPES['.js']!, bundle, method);
      return;
    }
    const file = await resolveFile(path);
    const contentType = file === undefined ? undefined : CONTENT_TYPES[extname(file).toLowerCase()];
    if (file === undefined || contentType === undefined) {
      send(res, 404, 'text/plain; charset=utf-8', 'Not Found\n', method);
      return;
    }
    send(res, 200, contentType, await readFile(file), method);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        send(res, 500, 'text/plain; charset=utf-8', `${String(error)}\n`, 'GET');
      } else {
        res.destroy();
      }
    });
  });
  const port = await listen(server, host, options.port ?? 0);
  return {
    url: originOf(options.urlHost ?? host, port),
    port,
    requests,
    close: () => closeServer(server),
  };
}
