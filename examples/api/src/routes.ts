// The demo API's routes and its in-memory notes. Each protected route names the one scope it
// needs; the server checks token and scope before a handler runs.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessTokenClaims } from './auth.js';
import { HttpError, readJsonBody, sendJson } from './http.js';

/** Scope needed to read (`GET /profile`, `GET /notes`). */
export const READ_SCOPE = 'api://demo/read';
/** Scope needed to write (`POST /notes`). */
export const WRITE_SCOPE = 'api://demo/write';

/** A route anyone may call. */
export interface PublicRoute {
  method: 'GET' | 'POST';
  path: string;
  scope?: undefined;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

/**
 * The authentication context `GET /step-up` requires (`acrs`), and the claims request that asks
 * the provider for it (OIDC Core 5.5), as Entra ID's Conditional Access authentication contexts do.
 */
export const STEP_UP_CONTEXT = 'c1';
export const STEP_UP_CLAIMS = JSON.stringify({
  access_token: { acrs: { essential: true, value: STEP_UP_CONTEXT } },
});

/** A route that needs a valid access token granting `scope`. */
export interface ProtectedRoute {
  method: 'GET' | 'POST';
  path: string;
  scope: string;
  /**
   * An authentication context (`acrs`) the token must carry too; without it the answer is a
   * 401 claims challenge the client meets by asking the provider with {@link STEP_UP_CLAIMS}.
   */
  acrs?: string;
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    claims: AccessTokenClaims,
  ): void | Promise<void>;
}

/** One entry of the route table. */
export type Route = PublicRoute | ProtectedRoute;

/** A note as stored and returned. */
export interface Note {
  id: string;
  text: string;
  /** ISO 8601 creation time. */
  createdAt: string;
}

/** Longest note text accepted, in characters. */
export const MAX_NOTE_LENGTH = 1000;

/** Notes kept in memory, one list per token subject; gone when the server stops. */
export class NoteStore {
  readonly #bySubject = new Map<string, Note[]>();

  /** The subject's notes, oldest first. */
  list(sub: string): Note[] {
    return [...(this.#bySubject.get(sub) ?? [])];
  }

  /** Appends a note for the subject and returns it. */
  add(sub: string, text: string): Note {
    const note: Note = { id: randomUUID(), text, createdAt: new Date().toISOString() };
    const notes = this.#bySubject.get(sub) ?? [];
    notes.push(note);
    this.#bySubject.set(sub, notes);
    return note;
  }
}

function noteText(body: unknown): string {
  const text =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).text : undefined;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new HttpError(400, 'invalid_request', 'Expected a JSON body { "text": "..." }');
  }
  if (text.length > MAX_NOTE_LENGTH) {
    throw new HttpError(400, 'invalid_request', `text is longer than ${MAX_NOTE_LENGTH}`);
  }
  return text;
}

/**
 * The route table: `GET /health` (open), `GET /profile` and `GET /notes` (read scope),
 * `GET /step-up` (read scope and the `c1` authentication context), `POST /notes` (write scope).
 */
export function createRoutes(store: NoteStore): Route[] {
  return [
    {
      method: 'GET',
      path: '/health',
      handle: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      method: 'GET',
      path: '/profile',
      scope: READ_SCOPE,
      handle: (_req, res, { sub, name, scopes }) =>
        sendJson(res, 200, name === undefined ? { sub, scopes } : { sub, name, scopes }),
    },
    {
      method: 'GET',
      path: '/step-up',
      scope: READ_SCOPE,
      acrs: STEP_UP_CONTEXT,
      handle: (_req, res, { sub, acrs }) => sendJson(res, 200, { sub, acrs }),
    },
    {
      method: 'GET',
      path: '/notes',
      scope: READ_SCOPE,
      handle: (_req, res, claims) => sendJson(res, 200, { notes: store.list(claims.sub) }),
    },
    {
      method: 'POST',
      path: '/notes',
      scope: WRITE_SCOPE,
      handle: async (req, res, claims) => {
        const text = noteText(await readJsonBody(req));
        sendJson(res, 201, store.add(claims.sub, text));
      },
    },
  ];
}
