// Small helpers for the routes served next to oidc-provider (interaction pages, control API).
import { IncomingMessage } from 'node:http';
import type { ServerResponse } from 'node:http';

const BODY_LIMIT = 64 * 1024;

/** An error with an HTTP status, thrown by the helpers below. */
export class HttpError extends Error {
  /** HTTP status to answer with. */
  readonly status: number;
  /** @param status - HTTP status; @param message - shown to the caller */
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Reads a request body as text (at most 64 KiB). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > BODY_LIMIT) throw new HttpError(413, 'request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses an `application/x-www-form-urlencoded` body; repeated names keep every value. */
export function parseForm(body: string): Map<string, string[]> {
  const form = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const values = form.get(name);
    if (values === undefined) form.set(name, [value]);
    else values.push(value);
  }
  return form;
}

/** Headers every page and JSON answer of ours carries. */
const COMMON_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
} as const;

/** Sends an HTML page. */
export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
  });
  res.end(html);
}

/** Sends a JSON document. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** True for a loopback peer address (IPv4, IPv6 or IPv4-mapped IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * A request like `req` (same socket, method, URL and headers) whose body is `body`, for handing a
 * request on after its body was read and rewritten. `req`'s own body must have been read.
 */
export function withBody(req: IncomingMessage, body: string): IncomingMessage {
  const bytes = Buffer.from(body, 'utf8');
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method ?? 'POST';
  copy.url = req.url ?? '/';
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.headers = { ...req.headers, 'content-length': String(bytes.length) };
  // Marked complete so that ending (and auto-destroying) the copy never aborts the socket.
  copy.complete = true;
  copy.push(bytes);
  copy.push(null);
  return copy;
}
