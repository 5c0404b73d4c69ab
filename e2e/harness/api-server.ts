// A protected-resource stand-in: records what the browser sends (above all `Authorization`) and
// answers `200 {"ok":true}`, with CORS for exactly one origin, the app's.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import { closeServer, listen, originOf, recordRequest } from './http.js';
import type { RecordedRequest } from './http.js';

export type { RecordedRequest } from './http.js';

export interface RecordingApiOptions {
  /** The only origin CORS is granted to (the app's origin, no trailing slash). */
  allowOrigin: string;
  /** Request headers a preflight may ask for; default `['authorization', 'content-type', 'dpop']`. */
  allowHeaders?: readonly string[];
  port?: number;
  host?: string;
}

export interface ScriptedResponse {
  status: number;
  /** Sent as `WWW-Authenticate` (exposed to the page through CORS). */
  wwwAuthenticate?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RecordingApi {
  /** Origin, e.g. `http://127.0.0.1:41235`. */
  url: string;
  port: number;
  /** Every request received, preflights (`OPTIONS`) included, in arrival order. */
  requests: RecordedRequest[];
  /** The requests that are not CORS preflights. */
  calls(): RecordedRequest[];
  /** The next non-preflight request to `path` is answered 401 with this `WWW-Authenticate`. */
  rejectOnce(path: string, wwwAuthenticate: string): void;
  /** The next non-preflight request to `path` gets this response instead of `200 {"ok":true}`. */
  respondOnce(path: string, response: ScriptedResponse): void;
  close(): Promise<void>;
}

export async function startRecordingApi(options: RecordingApiOptions): Promise<RecordingApi> {
  const host = options.host ?? '127.0.0.1';
  const allowHeaders = options.allowHeaders ?? ['authorization', 'content-type', 'dpop'];
  const requests: RecordedRequest[] = [];
  const scripted = new Map<string, ScriptedResponse[]>();

  function writeJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
    });
    res.end(text);
  }

  const server = createServer((req, res) => {
    const record = recordRequest(req.method, req.url, req.headers);
    requests.push(record);
    req.resume();
    const cors: Record<string, string> = { Vary: 'Origin' };
    if (record.origin === options.allowOrigin) {
      cors['Access-Control-Allow-Origin'] = options.allowOrigin;
      cors['Access-Control-Expose-Headers'] = 'WWW-Authenticate, DPoP-Nonce';
    }

    if (record.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      if (record.origin === options.allowOrigin) {
        cors['Access-Control-Allow-Methods'] = 'GET, HEAD, POST, PUT, PATCH, DELETE';
        cors['Access-Control-Allow-Headers'] = allowHeaders.join(', ');
        cors['Access-Control-Max-Age'] = '0';
      }
      res.writeHead(204, cors);
      res.end();
      return;
    }

    const queue = scripted.get(record.path);
    const next = queue?.shift();
    if (queue !== undefined && queue.length === 0) scripted.delete(record.path);
    if (next !== undefined) {
      const headers = { ...cors, ...next.headers };
      if (next.wwwAuthenticate !== undefined) headers['WWW-Authenticate'] = next.wwwAuthenticate;
      writeJson(res, next.status, next.body ?? { ok: false }, headers);
      return;
    }
    writeJson(res, 200, { ok: true }, cors);
  });

  const port = await listen(server, host, options.port ?? 0);
  const respondOnce = (path: string, response: ScriptedResponse): void => {
    const queue = scripted.get(path) ?? [];
    queue.push(response);
    scripted.set(path, queue);
  };
  return {
    url: originOf(host, port),
    port,
    requests,
    calls: () => requests.filter((r) => r.method !== 'OPTIONS'),
    rejectOnce: (path, wwwAuthenticate) =>
      respondOnce(path, {
        status: 401,
        wwwAuthenticate,
        body: { error: 'invalid_token' },
      }),
    respondOnce,
    close: () => closeServer(server),
  };
}
