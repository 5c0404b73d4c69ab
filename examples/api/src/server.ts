// The Tessera demo resource server: a node:http API that accepts JWT access tokens from one
// issuer, enforces a scope per route, and speaks CORS to the demo SPA's origins only.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  InvalidTokenError,
  VerifierUnavailableError,
  bearerChallenge,
  createTokenVerifier,
  hasScope,
  readBearerToken,
} from './auth.js';
import type { TokenVerifier } from './auth.js';
import { answerPreflight, applyCors, createCorsPolicy, isPreflight } from './cors.js';
import type { CorsPolicy } from './cors.js';
import { HttpError, sendError, sendJson } from './http.js';
import { NoteStore, STEP_UP_CLAIMS, createRoutes } from './routes.js';
import type { Route } from './routes.js';

export type { AccessTokenClaims } from './auth.js';
export type { Note } from './routes.js';
export { READ_SCOPE, WRITE_SCOPE } from './routes.js';

/** Options for {@link startApi}. */
export interface ApiOptions {
  /** Port to listen on; `0` (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Expected `iss` of access tokens, e.g. `http://127.0.0.1:4000`. */
  issuer: string;
  /** Expected `aud` of access tokens, e.g. `api://demo`. */
  audience: string;
  /** Origins (exact match, e.g. `http://127.0.0.1:5173`) that get CORS headers. */
  allowedOrigins: string[];
  /**
   * Where the signing keys are. Default: the `jwks_uri` of the issuer's discovery document,
   * fetched on the first authenticated request (so the API may start before the provider).
   */
  jwksUri?: string;
}

/** A running API. */
export interface RunningApi {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:41235`. */
  url: string;
  /** The port actually bound. */
  port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Starts the demo API.
 *
 * Routes: `GET /health` (open), `GET /profile` → `{ sub, name?, scopes }` and `GET /notes` →
 * `{ notes }` (scope `api://demo/read`), `GET /step-up` → `{ sub, acrs }` (scope
 * `api://demo/read` and authentication context `c1`), `POST /notes` with `{ text }` → 201 note
 * (scope `api://demo/write`). Failures follow RFC 6750: 401 with a `Bearer` challenge for a
 * missing or invalid token, 403 `insufficient_scope` naming the scope, and 401
 * `insufficient_claims` with the claims to ask for when the authentication context is missing.
 *
 * @throws TypeError for an `allowedOrigins` entry that is not a bare origin; the listen error
 * (e.g. `EADDRINUSE`) when the port cannot be bound.
 */
export async function startApi(options: ApiOptions): Promise<RunningApi> {
  const host = options.host ?? '127.0.0.1';
  const cors = createCorsPolicy(options.allowedOrigins);
  const verifier = createTokenVerifier({
    issuer: options.issuer,
    audience: options.audience,
    ...(options.jwksUri === undefined ? {} : { jwksUri: options.jwksUri }),
  });
  const routes = createRoutes(new NoteStore());

  const server = createServer((req, res) => {
    handle(req, res, { cors, verifier, routes }).catch(() => {
      // Nothing is logged: the request carried a token. The client gets a bare 500.
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
      else res.destroy();
    });
  });

  const port = await listen(server, host, options.port ?? 0);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => close(server),
  };
}

interface Context {
  cors: CorsPolicy;
  verifier: TokenVerifier;
  routes: Route[];
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  if (isPreflight(req)) {
    req.resume();
    answerPreflight(req, res, ctx.cors);
    return;
  }
  applyCors(req, res, ctx.cors);

  const path = new URL(req.url ?? '/', 'http://api.invalid').pathname;
  const candidates = ctx.routes.filter((r) => r.path === path);
  if (candidates.length === 0) {
    sendError(res, new HttpError(404, 'not_found', `No route ${path}`));
    return;
  }
  const allow = ['OPTIONS', ...candidates.map((r) => r.method)].join(', ');
  if (req.method === 'OPTIONS') {
    req.resume();
    res.writeHead(204, { Allow: allow, 'Content-Length': 0 });
    res.end();
    return;
  }
  const route = candidates.find((r) => r.method === req.method);
  if (route === undefined) {
    sendError(
      res,
      new HttpError(405, 'method_not_allowed', `${path} allows ${allow}`, { Allow: allow }),
    );
    return;
  }

  try {
    if (route.scope === undefined) {
      await route.handle(req, res);
      return;
    }
    const claims = await authenticate(req, ctx.verifier);
    if (!hasScope(claims, route.scope)) {
      throw new HttpError(
        403,
        'insufficient_scope',
        `This request needs the scope ${route.scope}`,
        {
          'WWW-Authenticate': bearerChallenge({ error: 'insufficient_scope', scope: route.scope }),
        },
      );
    }
    if (route.acrs !== undefined && !claims.acrs.includes(route.acrs)) {
      const description = `This request needs the authentication context ${route.acrs}`;
      throw new HttpError(401, 'insufficient_claims', description, {
        'WWW-Authenticate': bearerChallenge({
          error: 'insufficient_claims',
          errorDescription: description,
          claims: STEP_UP_CLAIMS,
        }),
      });
    }
    await route.handle(req, res, claims);
  } catch (error) {
    if (error instanceof HttpError) sendError(res, error);
    else throw error;
  }
}

async function authenticate(req: IncomingMessage, verifier: TokenVerifier) {
  const credentials = readBearerToken(req.headers.authorization);
  if (credentials.kind === 'none') {
    throw new HttpError(401, 'unauthorized', 'This request needs a bearer access token', {
      'WWW-Authenticate': bearerChallenge(),
    });
  }
  if (credentials.kind === 'malformed') {
    const description = 'The Authorization header does not carry a bearer token';
    throw new HttpError(400, 'invalid_request', description, {
      'WWW-Authenticate': bearerChallenge({
        error: 'invalid_request',
        errorDescription: description,
      }),
    });
  }
  try {
    return await verifier.verify(credentials.token);
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      throw new HttpError(401, 'invalid_token', error.message, {
        'WWW-Authenticate': bearerChallenge({
          error: 'invalid_token',
          errorDescription: error.message,
        }),
      });
    }
    if (error instanceof VerifierUnavailableError) {
      throw new HttpError(503, 'temporarily_unavailable', error.message, {
        'Retry-After': '5',
      });
    }
    throw error;
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    server.closeAllConnections();
  });
}
