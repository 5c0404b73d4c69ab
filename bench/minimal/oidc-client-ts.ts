// oidc-client-ts: the same pattern (stored user, silent renewal, popup when that fails).
import { UserManager } from 'oidc-client-ts';

const manager = new UserManager({
  authority: 'https://idp.example.com',
  client_id: 'bench',
  redirect_uri: location.origin,
  scope: 'openid offline_access api://bench/read',
});

document.querySelector('button')?.addEventListener('click', () => {
  void manager
    .getUser()
    .then((user) => (user !== null && !user.expired ? user : manager.signinSilent()))
    .catch(() => manager.signinPopup());
});
