// The bare oauth4webapi client (bench/bare-client): the floor every library is compared with.
import { BareClient } from '../bare-client/index.js';
import type { CreatePeer } from './types.js';

export const create: CreatePeer = (env) => {
  const client = new BareClient({
    issuer: env.authority,
    clientId: env.clientId,
    redirectUri: env.callbackUri,
    scopes: env.scopes,
  });
  return {
    interaction: 'popup',
    async signIn(scopes) {
      await client.signInPopup(scopes);
    },
    handleRedirect: () => Promise.resolve(false),
    getToken: (scopes) => client.getToken(scopes),
    forceRefresh: (scopes) => client.refresh(scopes),
  };
};
