// A fake provider for the doctor's unit tests: a discovery document and a token endpoint behind
// an injected fetch, recording every request.
import type { FetchLike } from '../../src/ports.js';

export const ISSUER = 'https://idp.example.com';
export const CLIENT_ID = 'spa';
export const REDIRECT_URI = 'https://app.example.com/callback';
export const APP_ORIGIN = 'https://app.example.com';

export function metadata(issuer = ISSUER): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'offline_access', 'profile'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}

export interface Recorded {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

export interface FakeFetch {
  fetch: FetchLike;
  requests: Recorded[];
}

/** Answers by URL (without query); unknown URLs get a 404. */
export function fakeFetch(
  routes: Record<string, (request: Recorded) => Response | Promise<Response>>,
): FakeFetch {
  const requests: Recorded[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const request: Recorded = {
      url,
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(request);
    const route = routes[url.split('?')[0]!];
    return route ? route(request) : new Response('not found', { status: 404 });
  };
  return { fetch, requests };
}

/** A provider serving `document` at its discovery URL and invalid_grant at its token endpoint. */
export function provider(
  document: Record<string, unknown> = metadata(),
  discoveryUrl = `${ISSUER}/.well-known/openid-configuration`,
): FakeFetch {
  return fakeFetch({
    [discoveryUrl]: () =>
      Response.json(document, { headers: { 'access-control-allow-origin': '*' } }),
    [String(document['token_endpoint'])]: () =>
      Response.json({ error: 'invalid_grant' }, { status: 400 }),
  });
}
