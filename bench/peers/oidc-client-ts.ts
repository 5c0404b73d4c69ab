// oidc-client-ts: the UserManager pattern its docs show: getUser() from the store, signinSilent()
// (refresh grant when a refresh token is stored) once the token is expiring, signinPopup() to sign
// in. The user store is localStorage so the session survives reloads and is shared by tabs.
// Timer-driven renewal is off: the bench measures on-demand calls, and a background timer would
// add token requests of its own.
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { CreatePeer } from './types.js';

const OIDC_SCOPES = ['openid', 'profile', 'offline_access'];
const RENEWAL_WINDOW_SECONDS = 60;

/** The UserManager settings shared by the app page and the popup callback page. */
export function userManager(env: Parameters<CreatePeer>[0]): UserManager {
  return new UserManager({
    authority: env.authority,
    client_id: env.clientId,
    redirect_uri: env.pageUri,
    popup_redirect_uri: env.callbackUri,
    silent_redirect_uri: env.callbackUri,
    scope: [...OIDC_SCOPES, ...env.scopes].join(' '),
    userStore: new WebStorageStateStore({ store: localStorage }),
    automaticSilentRenew: false,
  });
}

export const create: CreatePeer = (env) => {
  const manager = userManager(env);
  // oidc-client-ts warns 60 s ahead (accessTokenExpiringNotificationTimeInSeconds); renew then.
  const offset = RENEWAL_WINDOW_SECONDS;
  const defaultScopes = env.scopes.join(' ');
  const onlyDefaultScopes = (scopes: readonly string[] | undefined): void => {
    // One User holds one access token: another scope set would replace the session's token.
    if (scopes !== undefined && scopes.join(' ') !== defaultScopes) {
      throw new Error('oidc-client-ts keeps one access token per user (one scope set)');
    }
  };
  const renew = async (): Promise<string> => {
    const user = await manager.signinSilent();
    if (user === null) throw new Error('signinSilent returned no user');
    return user.access_token;
  };
  return {
    interaction: 'popup',
    async signIn(scopes) {
      await manager.signinPopup({ scope: [...OIDC_SCOPES, ...scopes].join(' ') });
    },
    handleRedirect: () => Promise.resolve(false),
    async getToken(scopes) {
      onlyDefaultScopes(scopes);
      const user = await manager.getUser();
      if (user !== null && (user.expires_in ?? 0) > offset) return user.access_token;
      return renew();
    },
    forceRefresh(scopes) {
      onlyDefaultScopes(scopes);
      return renew();
    },
  };
};
