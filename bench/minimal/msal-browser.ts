// @azure/msal-browser: the same seed pattern (silent, popup on interaction required).
import { InteractionRequiredAuthError, PublicClientApplication } from '@azure/msal-browser';

const app = new PublicClientApplication({
  auth: { clientId: 'bench', authority: 'https://login.microsoftonline.com/common' },
});
const request = { scopes: ['api://bench/read'] };

document.querySelector('button')?.addEventListener('click', () => {
  void app.initialize().then(() => {
    const account = app.getAllAccounts()[0];
    if (account === undefined) return app.acquireTokenPopup(request);
    return app.acquireTokenSilent({ ...request, account }).catch((error: unknown) => {
      if (error instanceof InteractionRequiredAuthError) return app.acquireTokenPopup(request);
      throw error;
    });
  });
});
