// Small pieces shared by the harness's loopback HTTP servers.
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (e2e/harness/../..). Relative paths given to the harness resolve here. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function fromRepoRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
}

/** One request as a harness server saw it. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. `/api/items`. */
  path: string;
  /** The query string including `?`, or `''`. */
  search: string;
  /** Header names are lower-case (Node's `IncomingHttpHeaders`). */
  headers: IncomingHttpHeaders;
  /** Shortcut for `headers.authorization`. */
  authorization: string | undefined;
  /** Shortcut for `headers.origin`. */
  origin: string | undefined;
  /** `Date.now()` when the request arrived. */
  time: number;
}

export function recordRequest(
  method: string | undefined,
  rawUrl: string | undefined,
  headers: IncomingHttpHeaders,
): RecordedRequest {
  const url = new URL(rawUrl ?? '/', 'http://recorded.invalid');
  return {
    method: method ?? 'GET',
    path: url.pathname,
    search: url.search,
    headers,
    authorization: headers.authorization,
    origin: headers.origin,
    time: Date.now(),
  };
}

/** Listens on host:port (port 0 = any free port) and resolves with the bound port. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

/** Closes a server without waiting for browsers' idle keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    if (!server.listening) {
      resolveClose();
      return;
    }
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}

export function originOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
