// @auth0/auth0-spa-js against a non-Auth0 provider. `domain` takes an http:// origin for local
// development. It does no discovery: it calls `${domain}/authorize` and `${domain}/oauth/token`,
// and expects `iss` to be `https://{domain}/` or the `issuer` option, which it only uses verbatim
// when it starts with https:// (so the bench's provider for it has an https issuer name; nothing
// is ever sent to that name). Its popup needs response_mode=web_message, which the provider does
// not offer, so sign-in is a redirect. Refresh tokens on, cache in localStorage (survives reloads,
// shared by tabs). Without useMrrt a refresh token only serves the scope set it was issued for;
// with it, auth0-spa-js rejects a refresh whose response `scope` lacks openid/offline_access,
// which a provider with resource indicators never lists there. So: one scope set.
import { Auth0Client } from '@auth0/auth0-spa-js';
import type { CreatePeer } from './types.js';

export const create: CreatePeer = (env) => {
  const client = new Auth0Client({
    domain: env.authority,
    issuer: env.issuer,
    clientId: env.clientId,
    authorizationParams: { redirect_uri: env.pageUri, scope: env.scopes.join(' ') },
    cacheLocation: 'localstorage',
    useRefreshTokens: true,
  });
  const silently = async (scopes: readonly string[] | undefined, cacheMode: 'on' | 'off') => {
    const token = await client.getTokenSilently({
      cacheMode,
      ...(scopes !== undefined && { authorizationParams: { scope: scopes.join(' ') } }),
    });
    if (typeof token !== 'string') throw new Error('getTokenSilently returned no token');
    return token;
  };
  return {
    interaction: 'redirect',
    async signIn(scopes) {
      // auth0-spa-js asks for offline_access on every refresh; providers that follow OIDC
      // Core 11 (oidc-provider) only grant it to a sign-in with prompt=consent.
      await client.loginWithRedirect({
        authorizationParams: { scope: scopes.join(' '), prompt: 'consent' },
      });
    },
    async handleRedirect() {
      const query = new URLSearchParams(location.search);
      if (!query.has('code') || !query.has('state')) return false;
      await client.handleRedirectCallback();
      history.replaceState(null, '', location.pathname);
      return true;
    },
    getToken: (scopes) => silently(scopes, 'on'),
    forceRefresh: (scopes) => silently(scopes, 'off'),
  };
};
