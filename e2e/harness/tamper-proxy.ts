// A man in the middle between the browser and the real dev IdP: forwards every request and lets
// a test alter one response (a redirect's Location, a token response body). The IdP stays real;
// only what travels on the wire is changed, as an attacker on the network would.
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Tamper {
  /** Rewrite a redirect (3xx) Location; return undefined to leave it. */
  location?: (location: URL) => URL | undefined;
  /** Rewrite a JSON body from this path; return undefined to leave it. */
  json?: (path: string, body: Record<string, unknown>) => Record<string, unknown> | undefined;
}

export interface TamperProxy {
  url: string;
  /** Where requests go (the IdP's own origin); set once the IdP listens. */
  target: string;
  tamper: Tamper;
  /** How many responses were altered. */
  altered: number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startTamperProxy(): Promise<TamperProxy> {
  const proxy: TamperProxy = {
    url: '',
    target: '',
    tamper: {},
    altered: 0,
    close: () => Promise.resolve(),
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    // node:http keeps the browser's Host header, so the IdP builds its URLs on the proxy's origin.
    const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
      const forward = httpRequest(
        `${proxy.target}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        resolve,
      );
      forward.on('error', reject);
      forward.end(body);
    });
    let payload = await readBody(upstream);
    const headers = { ...upstream.headers };
    const location = upstream.headers.location;
    if (location !== undefined && proxy.tamper.location !== undefined) {
      const changed = proxy.tamper.location(new URL(location, proxy.url));
      if (changed !== undefined) {
        headers.location = changed.href;
        proxy.altered += 1;
      }
    }
    if (
      proxy.tamper.json !== undefined &&
      (upstream.headers['content-type'] ?? '').includes('json')
    ) {
      const path = new URL(req.url ?? '/', proxy.url).pathname;
      const changed = proxy.tamper.json(
        path,
        JSON.parse(payload.toString('utf8')) as Record<string, unknown>,
      );
      if (changed !== undefined) {
        payload = Buffer.from(JSON.stringify(changed));
        headers['content-length'] = String(payload.length);
        proxy.altered += 1;
      }
    }
    res.writeHead(upstream.statusCode ?? 502, headers);
    res.end(payload);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`${String(error)} ${String((error as { cause?: unknown }).cause)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return proxy;
}
