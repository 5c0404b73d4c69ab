// `/__dev/*`: JSON control endpoints for processes that run the CLI (demo, e2e).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DevIdpConfigError } from './errors.js';
import { HttpError, isLoopback, readBody, sendJson } from './http.js';
import { CONTROL_PREFIX } from './routes.js';
import type { ResolvedAutoLogin } from './config.js';
import type { DevIdpStats } from './types.js';

/** What the control endpoints act on. */
export interface ControlTarget {
  stats(): DevIdpStats;
  resetStats(): void;
  /** Returns how many sessions were ended. */
  endSessions(): Promise<number>;
  /** Validates and applies; throws DevIdpConfigError for bad input. */
  setAutoLogin(value: unknown): ResolvedAutoLogin | false;
  setCoop(on: boolean): void;
  coop(): boolean;
}

/** The endpoints, for `GET /__dev/` and error messages. */
const ENDPOINTS = [
  'GET /__dev/stats',
  'POST /__dev/reset-stats',
  'POST /__dev/end-sessions',
  'POST /__dev/auto-login {"username":"alice","consent":"all"} | false',
  'POST /__dev/coop {"on":true}',
];

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') throw new HttpError(400, 'expected a JSON body');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

/** Handles one request under `/__dev/`. */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  target: ControlTarget,
): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress)) {
    sendJson(res, 403, { error: 'the control endpoints only answer loopback clients' });
    return;
  }
  const name = path.slice(CONTROL_PREFIX.length);
  const route = `${req.method ?? 'GET'} ${name}`;
  try {
    switch (route) {
      case 'GET ':
        sendJson(res, 200, { endpoints: ENDPOINTS });
        return;
      case 'GET stats':
        sendJson(res, 200, target.stats());
        return;
      case 'POST reset-stats':
        target.resetStats();
        sendJson(res, 200, target.stats());
        return;
      case 'POST end-sessions':
        sendJson(res, 200, { ended: await target.endSessions() });
        return;
      case 'POST auto-login':
        sendJson(res, 200, { autoLogin: target.setAutoLogin(await readJson(req)) });
        return;
      case 'POST coop': {
        const body = await readJson(req);
        const on =
          typeof body === 'object' && body !== null ? (body as { on?: unknown }).on : undefined;
        if (typeof on !== 'boolean')
          throw new HttpError(400, 'expected {"on": true} or {"on": false}');
        target.setCoop(on);
        sendJson(res, 200, { coop: target.coop() });
        return;
      }
      default:
        sendJson(res, 404, { error: `no control endpoint ${route.trim()}`, endpoints: ENDPOINTS });
    }
  } catch (error) {
    if (error instanceof HttpError) {
      sendJson(res, error.status, { error: error.message });
    } else if (error instanceof DevIdpConfigError) {
      sendJson(res, 400, { error: error.message });
    } else {
      throw error;
    }
  }
}
