// @azure/msal-browser v4 against a non-Microsoft provider: protocolMode OIDC, the provider's host
// in knownAuthorities (no instance discovery). msal only accepts https authorities, so the
// authority is the issuer's https form and the discovery document is given inline
// (authorityMetadata); its endpoints are the provider's real loopback http URLs.
import { ProtocolMode, PublicClientApplication } from '@azure/msal-browser';
import type { AccountInfo } from '@azure/msal-browser';
import type { CreatePeer } from './types.js';

export const create: CreatePeer = (env) => {
  const pca = new PublicClientApplication({
    auth: {
      clientId: env.clientId,
      authority: env.issuer,
      knownAuthorities: [new URL(env.issuer).host],
      protocolMode: ProtocolMode.OIDC,
      ...(env.discovery !== undefined && { authorityMetadata: env.discovery }),
      redirectUri: env.callbackUri,
    },
    cache: { cacheLocation: 'localStorage' },
  });
  // msal v3+ must be initialized before any other call.
  const ready = pca.initialize();
  const account = (): AccountInfo => {
    const found = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
    if (found === undefined) throw new Error('no account: sign in first');
    return found;
  };
  const request = (scopes: readonly string[] | undefined, forceRefresh = false) => ({
    scopes: [...(scopes ?? env.scopes)],
    account: account(),
    forceRefresh,
  });
  return {
    interaction: 'popup',
    async signIn(scopes) {
      await ready;
      // msal asks for offline_access on every refresh; providers that follow OIDC Core 11
      // (oidc-provider) only grant it to a sign-in with prompt=consent.
      const result = await pca.loginPopup({ scopes: [...scopes], prompt: 'consent' });
      pca.setActiveAccount(result.account);
    },
    handleRedirect: () => Promise.resolve(false),
    async getToken(scopes) {
      await ready;
      return (await pca.acquireTokenSilent(request(scopes))).accessToken;
    },
    async forceRefresh(scopes) {
      await ready;
      return (await pca.acquireTokenSilent(request(scopes, true))).accessToken;
    },
  };
};
