// What the entra profile does to a request before oidc-provider sees it: scope names are
// rewritten to their canonical spelling (Entra matches them without regard to case; oidc-provider
// compares exactly), and a token request's `claims` parameter is checked, so that a malformed
// claims challenge is refused before the grant spends its authorization code or refresh token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { claimsProblem } from './entra-claims.js';
import type { CanonicalScopes } from './entra-scopes.js';
import { readBody, sendJson, withBody } from './http.js';

/** What the preparation needs from the dev IdP. */
export interface EntraRequestSetup {
  readonly scopes: CanonicalScopes;
  /** True when `origin` may call the token endpoint as `clientId` (the providers' CORS rule). */
  readonly corsAllowed: (clientId: string | null, origin: string) => boolean;
  /** Counts a token request refused here (it never reaches the provider, which counts the rest). */
  readonly countRefused: (grantType: string | null) => void;
}

/** A request ready for oidc-provider, or undefined when it was answered here. */
export type PreparedRequest = { req: IncomingMessage; query: string } | undefined;

const FORM = 'application/x-www-form-urlencoded';

/** Rewrites one `scope` parameter to canonical spelling; returns whether it changed. */
function canonicalise(params: URLSearchParams, scopes: CanonicalScopes): boolean {
  const values = params.getAll('scope');
  // A repeated scope is left for oidc-provider to refuse.
  if (values.length !== 1) return false;
  const [value = ''] = values;
  const canonical = scopes.rewrite(value);
  if (canonical === value) return false;
  params.set('scope', canonical);
  return true;
}

/**
 * Prepares a request to one of the entra profile's providers. `isToken` says whether it is for a
 * token endpoint. Bodies of form POSTs are read here, so the request handed on is a copy.
 */
export async function prepareEntraRequest(
  req: IncomingMessage,
  res: ServerResponse,
  query: string,
  isToken: boolean,
  setup: EntraRequestSetup,
): Promise<PreparedRequest> {
  let nextQuery = query;
  if (query.length > 1) {
    const params = new URLSearchParams(query.slice(1));
    if (canonicalise(params, setup.scopes)) nextQuery = `?${params.toString()}`;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (req.method !== 'POST' || type !== FORM) return { req, query: nextQuery };

  const body = await readBody(req);
  const form = new URLSearchParams(body);
  const changed = canonicalise(form, setup.scopes);
  if (isToken) {
    const claims = form.getAll('claims');
    const problem =
      claims.length > 1
        ? 'the claims parameter must not be provided twice'
        : claims[0] === undefined
          ? undefined
          : claimsProblem(claims[0]);
    if (problem !== undefined) {
      setup.countRefused(form.get('grant_type'));
      const origin = req.headers.origin;
      const cors: Record<string, string> =
        origin !== undefined && setup.corsAllowed(form.get('client_id'), origin)
          ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' }
          : {};
      sendJson(res, 400, { error: 'invalid_request', error_description: problem }, cors);
      return undefined;
    }
  }
  return { req: withBody(req, changed ? form.toString() : body), query: nextQuery };
}
