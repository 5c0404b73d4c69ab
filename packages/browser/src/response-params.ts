/**
 * The parameters of an authorization response, from the query (`response_mode=query`, the
 * default for the code flow, OAuth 2.0 Multiple Response Types 2.1) or the fragment.
 * Returns undefined when the URL carries no authorization response.
 */
export function readAuthorizationResponseParams(url: URL): URLSearchParams | undefined {
  for (const raw of [url.search, url.hash]) {
    if (raw.length <= 1) continue;
    const params = new URLSearchParams(raw.slice(1));
    // `state` may be missing: such a response is still one (to be refused, not ignored).
    if (params.has('code') || params.has('error')) return params;
  }
  return undefined;
}
