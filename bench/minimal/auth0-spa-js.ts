// @auth0/auth0-spa-js: the same pattern (getTokenSilently, popup when it needs login).
import { Auth0Client } from '@auth0/auth0-spa-js';

const client = new Auth0Client({
  domain: 'idp.example.com',
  clientId: 'bench',
  authorizationParams: { scope: 'api://bench/read' },
  cacheLocation: 'localstorage',
  useRefreshTokens: true,
});

document.querySelector('button')?.addEventListener('click', () => {
  void client.getTokenSilently().catch(() => client.getTokenWithPopup());
});
