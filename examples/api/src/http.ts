// Small node:http helpers shared by the server and the routes.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A failure that maps directly to an HTTP error response with a JSON body. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    /** HTTP status code. */
    readonly status: number,
    /** Machine-readable code, sent as `error`. */
    readonly code: string,
    /** Human-readable text, sent as `error_description`. */
    message: string,
    /** Extra response headers. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/**
 * Sends `body` as JSON with `Cache-Control: no-store` (responses depend on the caller's token).
 * An unread request body is drained so that the connection stays usable.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.req.resume();
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Sends an {@link HttpError} as `{ error, error_description }`. */
export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(
    res,
    error.status,
    { error: error.code, error_description: error.message },
    error.headers,
  );
}

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads and parses a JSON request body.
 * @throws {@link HttpError} 415 for another content type, 413 above {@link MAX_BODY_BYTES},
 * 400 for malformed JSON.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    throw new HttpError(413, 'payload_too_large', `The body exceeds ${MAX_BODY_BYTES} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, 'payload_too_large', `The body exceeds ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_request', 'The body is not valid JSON');
  }
}
