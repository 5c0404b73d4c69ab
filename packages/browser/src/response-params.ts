/**
 * The parameters of an authorization response, from the query (`response_mode=query`, the
 * default for the code flow, OAuth 2.0 Multiple Response Types 2.1) or the fragment.
 * Returns undefined when the URL carries no authorization response.
 */
export function readAuthorizationResponseParams(url: URL): URLSearchParams | undefined {
  for (const raw of [url.search, url.hash]) {
    if (raw.length <= 1) continue;
    const params = new URLSearchParams(raw.slice(1));
    if (params.has('state') && (params.has('code') || params.has('error'))) return params;
  }
  return undefined;
}

/** Authorization response parameters (RFC 6749 4.1.2, 4.1.2.1; RFC 9207 2; OIDC Session 3). */
const RESPONSE_PARAMS = [
  'code',
  'state',
  'iss',
  'session_state',
  'error',
  'error_description',
  'error_uri',
];

/**
 * The URL without its authorization response, so the code stays out of the address bar,
 * history and anything that copies the URL (Referer, logs). Other parameters are kept.
 */
export function withoutAuthorizationResponse(url: URL): string {
  const clean = new URL(url.href);
  for (const name of RESPONSE_PARAMS) clean.searchParams.delete(name);
  if (new URLSearchParams(url.hash.slice(1)).has('state')) clean.hash = '';
  return clean.href;
}
