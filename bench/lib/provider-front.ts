// A counting front for one dev IdP: every request a library sends to its provider passes here
// (discovery, JWKS, token, authorize, CORS preflights, which the browser's request events do not
// show), so "provider requests" are counted the same way for every library. It forwards with the
// browser's Host header, so the provider builds its URLs on this origin. It also maps
// auth0-spa-js's fixed token path `/oauth/token` onto the provider's `/token`.
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer, listen, originOf } from '../../e2e/harness/http.js';

export interface RequestCounts {
  /** Every request, preflights included. */
  total: number;
  preflight: number;
  discovery: number;
  jwks: number;
  token: number;
  authorize: number;
  other: number;
}

export interface ProviderFront {
  /** Origin, e.g. `http://127.0.0.1:41235`. */
  readonly url: string;
  readonly port: number;
  /** Where requests go: the dev IdP's origin; set once it listens. */
  target: string;
  counts(): RequestCounts;
  reset(): void;
  close(): Promise<void>;
}

const PATH_MAP: Record<string, string> = { '/oauth/token': '/token' };

export const emptyCounts = (): RequestCounts => ({
  total: 0,
  preflight: 0,
  discovery: 0,
  jwks: 0,
  token: 0,
  authorize: 0,
  other: 0,
});

function kind(method: string, path: string): Exclude<keyof RequestCounts, 'total'> {
  if (method === 'OPTIONS') return 'preflight';
  if (path.endsWith('/.well-known/openid-configuration')) return 'discovery';
  if (path === '/jwks') return 'jwks';
  if (path === '/token' && method === 'POST') return 'token';
  if (path === '/authorize') return 'authorize';
  return 'other';
}

export async function startProviderFront(): Promise<ProviderFront> {
  let counts = emptyCounts();
  const agent = new Agent({ keepAlive: true });
  const front: ProviderFront = {
    url: '',
    port: 0,
    target: '',
    counts: () => ({ ...counts }),
    reset: () => {
      counts = emptyCounts();
    },
    close: () => Promise.resolve(),
  };

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', front.url);
    const path = PATH_MAP[url.pathname] ?? url.pathname;
    const method = req.method ?? 'GET';
    counts.total += 1;
    counts[kind(method, path)] += 1;
    const upstream = httpRequest(
      `${front.target}${path}${url.search}`,
      { method, headers: req.headers, agent },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    req.pipe(upstream);
  };

  const server = createServer(forward);
  const host = '127.0.0.1';
  const port = await listen(server, host, 0);
  return Object.assign(front, {
    url: originOf(host, port),
    port,
    close: async () => {
      await closeServer(server);
      agent.destroy();
    },
  });
}
