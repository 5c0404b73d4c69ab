// A loopback proxy in front of a real server (the dev IdP) that makes chosen requests fail the
// way networks and overloaded providers fail: an error status, Retry-After, a stall, a reset
// connection, a delay. Everything else passes through unchanged, the Host header included.
//
// Two ways to put it in a client's path:
// 1. Everything through it (discovery too): start the proxy, start the IdP with the proxy's URL
//    as its issuer, then set `proxy.target` to the IdP's URL. The IdP sees the proxy's Host and
//    issues URLs on the proxy's origin, as with the tamper proxy.
// 2. Token requests only: start the IdP as usual, read its discovery document, and give the
//    client that document as `auth.authorityMetadata` with `token_endpoint` moved to the proxy's
//    origin (same path). The issuer stays the IdP's; only token requests cross the proxy.
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from './http.js';

/** What happens to one request. */
export type Fault =
  /** Answer at once with this status, headers and body (default empty); nothing is forwarded. */
  | { status: number; headers?: Record<string, string>; body?: string }
  /**
   * Never answer; `close()` ends the connection. With `forward`, the request is forwarded first
   * (the server processes it) and its answer withheld: "sent, no answer".
   */
  | { stall: true; forward?: boolean }
  /**
   * Reset the connection (TCP RST). With `forward`, only after the server processed the request
   * and answered: the answer is lost on the way.
   */
  | { reset: true; forward?: boolean }
  /** Wait this long, then forward. */
  | { delayMs: number };

/** Which requests a fault queue applies to: the path (without query) and, optionally, the method. */
export interface FaultMatch {
  method?: string;
  path: string | RegExp;
}

/** One request as the proxy saw it, and the fault it got. */
export interface ProxiedRequest {
  method: string;
  path: string;
  fault: Fault | undefined;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The origin requests are forwarded to; may be set after start (see the file comment). */
  target: string;
  /**
   * Queues faults for the next requests that match, one per request in order; once the queue
   * is used up, matching requests are forwarded again. Queues are checked in the order given.
   */
  inject(match: FaultMatch, ...faults: Fault[]): void;
  /** Requests that arrived for `path` (any method), with or without a fault. */
  count(path: string): number;
  /** Every request so far, in arrival order. */
  readonly requests: readonly ProxiedRequest[];
  /** Faults queued but not applied yet. */
  pending(): number;
  /** Stops listening and ends every connection, stalled ones included. */
  close(): Promise<void>;
}

/** Starts a fault proxy on 127.0.0.1 (a free port) forwarding to `target`. */
export async function startFaultProxy(target = ''): Promise<FaultProxy> {
  const queues: Array<{ match: FaultMatch; faults: Fault[] }> = [];
  const requests: ProxiedRequest[] = [];

  const takeFault = (method: string, path: string): Fault | undefined => {
    const queue = queues.find(
      ({ match, faults }) =>
        faults.length > 0 &&
        (match.method === undefined || match.method.toUpperCase() === method) &&
        (typeof match.path === 'string' ? match.path === path : match.path.test(path)),
    );
    return queue?.faults.shift();
  };

  const forward = (req: IncomingMessage): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      // Headers unchanged, Host included: see the file comment.
      const upstream = httpRequest(
        `${proxy.target}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        resolve,
      );
      upstream.on('error', reject);
      req.pipe(upstream);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://proxy.invalid').pathname;
    const fault = takeFault(method, path);
    requests.push({ method, path, fault });

    if (fault !== undefined && 'status' in fault) {
      req.resume();
      res.writeHead(fault.status, fault.headers ?? {});
      res.end(fault.body ?? '');
      return;
    }
    if (fault !== undefined && 'delayMs' in fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    }
    if (fault !== undefined && ('stall' in fault || 'reset' in fault)) {
      if (fault.forward === true) {
        // The server processes the request; its answer never reaches the client.
        const answer = await forward(req);
        answer.resume();
        if ('reset' in fault) answer.once('end', () => req.socket.resetAndDestroy());
      } else {
        req.resume();
        if ('reset' in fault) req.socket.resetAndDestroy();
      }
      return; // a stall: the connection stays open until close()
    }
    const answer = await forward(req);
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fault proxy: ${String(error)}`);
    });
  });
  const port = await listen(server, '127.0.0.1', 0);

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    target,
    inject(match, ...faults) {
      queues.push({ match, faults });
    },
    count: (path) => requests.filter((request) => request.path === path).length,
    requests,
    pending: () => queues.reduce((sum, queue) => sum + queue.faults.length, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return proxy;
}
