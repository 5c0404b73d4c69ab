// CORS for the demo API: only configured origins (exact match) get `Access-Control-*` headers.
// The API authenticates with bearer tokens, never cookies, so credentials are not allowed.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request headers a preflight may ask for. */
export const ALLOWED_HEADERS = 'Authorization, Content-Type';
/** Response headers the page may read (the bearer challenge). */
export const EXPOSED_HEADERS = 'WWW-Authenticate';
/** Methods the API serves. */
export const ALLOWED_METHODS = 'GET, POST, OPTIONS';

/** An exact-match origin allowlist. */
export interface CorsPolicy {
  /** Whether `origin` (an `Origin` header value) is allowed. */
  allows(origin: string | undefined): origin is string;
}

/**
 * Builds a policy from origins such as `http://127.0.0.1:5173`. Each entry must be a bare
 * origin (scheme, host, optional port; no path, no trailing slash).
 * @throws TypeError for an entry that is not a bare origin.
 */
export function createCorsPolicy(allowedOrigins: readonly string[]): CorsPolicy {
  const origins = new Set<string>();
  for (const entry of allowedOrigins) {
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    if (url === undefined || url.origin === 'null' || url.origin !== entry) {
      throw new TypeError(`not a bare origin (like http://localhost:5173): ${entry}`);
    }
    origins.add(entry);
  }
  return { allows: (origin): origin is string => origin !== undefined && origins.has(origin) };
}

/** Whether the request is a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`). */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}

/**
 * Sets the CORS headers of an actual (non-preflight) response: `Vary: Origin` always,
 * `Access-Control-Allow-Origin` and `-Expose-Headers` only for an allowed origin.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, policy: CorsPolicy): void {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (policy.allows(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  }
}

/**
 * Answers a preflight: 204 with the allow headers for an allowed origin, 403 without any
 * `Access-Control-*` header otherwise (the browser then blocks the actual request).
 */
export function answerPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  policy: CorsPolicy,
): void {
  res.setHeader('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
  const origin = req.headers.origin;
  if (!policy.allows(origin)) {
    res.writeHead(403, { 'Content-Length': 0 });
    res.end();
    return;
  }
  res.writeHead(204, {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  });
  res.end();
}
