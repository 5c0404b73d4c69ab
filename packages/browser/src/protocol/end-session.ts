import type { EndSessionInput, ProviderInfo } from './types.js';

/**
 * The RP-initiated logout URL, or undefined when the provider has no `end_session_endpoint`
 * (the caller then signs out locally only). `client_id` is always sent: it lets the provider
 * check `post_logout_redirect_uri` when no `id_token_hint` is available (section 2).
 * Parameters already in the endpoint URL are kept.
 *
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 */
export function buildEndSessionUrl(
  provider: ProviderInfo,
  clientId: string,
  input: EndSessionInput,
): URL | undefined {
  if (provider.endSessionEndpoint === undefined) return undefined;
  const url = new URL(provider.endSessionEndpoint);
  const params = url.searchParams;
  if (input.idTokenHint !== undefined) params.set('id_token_hint', input.idTokenHint);
  if (input.logoutHint !== undefined) params.set('logout_hint', input.logoutHint);
  params.set('client_id', clientId);
  if (input.postLogoutRedirectUri !== undefined) {
    params.set('post_logout_redirect_uri', input.postLogoutRedirectUri);
  }
  if (input.state !== undefined) params.set('state', input.state);
  return url;
}
