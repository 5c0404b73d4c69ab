// @tessera/browser: the seed's calls. Tokens in localStorage so they survive reloads and tabs.
import { UserAgentApplication } from '@tessera/browser';
import type { CreatePeer } from './types.js';

export const create: CreatePeer = (env) => {
  const app = new UserAgentApplication({
    auth: { clientId: env.clientId, authority: env.authority, redirectUri: env.callbackUri },
    cache: { cacheLocation: 'localStorage' },
  });
  const scopesOf = (scopes: readonly string[] | undefined): string[] => [...(scopes ?? env.scopes)];
  return {
    interaction: 'popup',
    async signIn(scopes) {
      await app.acquireTokenPopup({ scopes: [...scopes] });
    },
    handleRedirect: () => Promise.resolve(false),
    async getToken(scopes) {
      return (await app.acquireTokenSilent({ scopes: scopesOf(scopes) })).accessToken;
    },
    async forceRefresh(scopes) {
      const response = await app.acquireTokenSilent({
        scopes: scopesOf(scopes),
        forceRefresh: true,
      });
      return response.accessToken;
    },
  };
};
