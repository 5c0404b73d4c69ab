// oidc-client-ts: the same pattern (silent renew, popup when it fails).
import { UserManager } from 'oidc-client-ts';

const manager = new UserManager({
  authority: 'https://idp.example.com',
  client_id: 'bench',
  redirect_uri: location.origin,
  scope: 'openid api://bench/read',
});

document.querySelector('button')?.addEventListener('click', () => {
  void manager.signinSilent().catch(() => manager.signinPopup());
});
