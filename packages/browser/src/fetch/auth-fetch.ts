import type { FetchLike } from '../ports.js';
import type { AuthenticationParameters, AuthResponse } from '../types.js';
import {
  parseProtectedResourceMap,
  scopesForUrl,
  type ProtectedResourceMapInput,
} from './resource-map.js';
import { claimsFromChallenge, parseBearerChallenge } from './www-authenticate.js';

/** Anything that can acquire a token silently, e.g. a `UserAgentApplication`. */
export interface TokenSource {
  acquireTokenSilent(request: AuthenticationParameters): Promise<AuthResponse>;
  /** The configuration, when the source has one: URLs under its authority never get a token. */
  getConfiguration?(): { authority: string };
}

/** Options of {@link createAuthFetch}. */
export interface AuthFetchOptions {
  /** Which URLs get a token, and for which scopes. */
  protectedResourceMap: ProtectedResourceMapInput;
  /** The `fetch` to wrap; default the global one. */
  fetch?: FetchLike;
  /** Base for relative URLs and path-only map entries; default `location.href`. */
  baseUrl?: string;
}

/**
 * Whether a URL is the provider's own (under the configured authority, on path-segment
 * boundaries): its token, discovery and sign-out endpoints never receive an API's access token,
 * whatever the map says — a map entry for the provider's host would otherwise send it there.
 */
function atProvider(source: TokenSource, url: string, base: string | undefined): boolean {
  const authority = source.getConfiguration?.().authority;
  if (authority === undefined) return false;
  try {
    const target = new URL(url, base);
    const provider = new URL(authority);
    const path = provider.pathname.replace(/\/?$/, '/');
    return (
      target.origin === provider.origin &&
      `${target.pathname.replace(/\/?$/, '/')}`.startsWith(path)
    );
  } catch {
    return false;
  }
}

function urlOf(input: string | URL | Request): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/**
 * A `fetch` that attaches `Authorization: <type> <token>` to requests for protected URLs only
 * (matched after URL parsing, see {@link parseProtectedResourceMap}), and on a `401` with a
 * Bearer `insufficient_claims` challenge re-acquires with those claims and retries once.
 * Other URLs pass through untouched, with no token work before them. A silent failure rejects
 * with the library's error, so the caller can fall back to interaction.
 *
 * @see RFC 6750 2.1 (the Authorization header), RFC 6750 3 (WWW-Authenticate)
 * @throws ClientConfigurationError `invalid_configuration` for a malformed map (at creation)
 */
export function createAuthFetch(source: TokenSource, options: AuthFetchOptions): FetchLike {
  const resources = parseProtectedResourceMap(options.protectedResourceMap);
  const inner: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  const send = async (
    input: string | URL | Request,
    init: RequestInit | undefined,
    token: AuthResponse,
  ): Promise<Response> => {
    const request = new Request(input, init);
    if (!request.headers.has('authorization')) {
      request.headers.set('authorization', `${token.tokenType} ${token.accessToken}`);
    }
    return inner(request);
  };

  return async (input, init) => {
    const base = options.baseUrl ?? globalThis.location?.href;
    const url = urlOf(input);
    const scopes = scopesForUrl(resources, url, base);
    if (scopes === undefined || atProvider(source, url, base)) return inner(input, init);
    // Keep an untouched copy: a Request body can be read only once, and we may retry.
    const retryInput = input instanceof Request ? input.clone() : input;
    const token = await source.acquireTokenSilent({ scopes });
    const response = await send(input, init, token);
    if (response.status !== 401) return response;
    const claims = claimsFromChallenge(
      parseBearerChallenge(response.headers.get('www-authenticate')),
    );
    if (claims === undefined) return response;
    const stepped = await source.acquireTokenSilent({ scopes, claims, forceRefresh: true });
    return send(retryInput, init, stepped);
  };
}
