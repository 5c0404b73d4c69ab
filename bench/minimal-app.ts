// The smallest app that uses the seed's pattern: silent first, popup on interaction_required.
import { UserAgentApplication } from '@tessera/browser';

const app = new UserAgentApplication({
  auth: { clientId: 'bench', authority: 'https://idp.example.com' },
});
const request = { scopes: ['api://bench/read'] };

document.querySelector('button')?.addEventListener('click', () => {
  app.acquireTokenSilent(request).catch((error: { errorMessage: string }) => {
    if (error.errorMessage.indexOf('interaction_required') !== -1) {
      return app.acquireTokenPopup(request);
    }
    throw error;
  });
});
