// A small node:http server for the built SPA: files from dist/, /config.json from memory, the
// page itself for any other path without a file extension (client-side routes), and security
// headers (a strict CSP: no inline script or style, connections only where the demo talks).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Security-Policy for the SPA; `connect` and `frame` are extra allowed sources. */
export function contentSecurityPolicy({ connect, frame }) {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    `frame-src 'self' ${frame.join(' ')}`.trim(),
    "frame-ancestors 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Starts the server. `config()` is called per request of /config.json, so it can name services
 * that started after this server.
 * @returns {Promise<{ port: number, close(): Promise<void> }>}
 */
export function startSpaServer({ root, host, port, config, csp }) {
  const rootDir = normalize(root);
  // csp() per response: it names services that may have started after this server.
  const common = () => ({
    'content-security-policy': csp(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });

  const send = (res, status, headers, body) => {
    res.writeHead(status, { ...common(), ...headers });
    res.end(body);
  };

  const sendFile = async (req, res, path, cache) => {
    const info = await stat(path);
    const headers = {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': cache,
    };
    res.writeHead(200, { ...common(), ...headers });
    if (req.method === 'HEAD') res.end();
    else createReadStream(path).pipe(res);
  };

  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }, 'Method not allowed\n');
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://spa.invalid').pathname);
    } catch {
      send(res, 400, { 'content-type': 'text/plain' }, 'Bad request\n');
      return;
    }
    if (pathname === '/config.json') {
      const body = `${JSON.stringify(config(), null, 2)}\n`;
      send(
        res,
        200,
        { 'content-type': TYPES['.json'], 'cache-control': 'no-store' },
        req.method === 'HEAD' ? undefined : body,
      );
      return;
    }
    const file = normalize(join(rootDir, pathname));
    if (file !== rootDir && !file.startsWith(rootDir + sep)) {
      send(res, 404, { 'content-type': 'text/plain' }, 'Not found\n');
      return;
    }
    const hashed = pathname.startsWith('/assets/');
    const target =
      pathname.endsWith('/') || extname(pathname) === '' ? join(rootDir, 'index.html') : file;
    sendFile(req, res, target, hashed ? 'public, max-age=31536000, immutable' : 'no-cache').catch(
      () => {
        if (!res.headersSent) send(res, 404, { 'content-type': 'text/plain' }, 'Not found\n');
        else res.destroy();
      },
    );
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
