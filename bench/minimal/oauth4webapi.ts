// The bare oauth4webapi client: the same pattern (cached token or refresh, popup when needed).
import { BareClient, InteractionRequiredError } from '../bare-client/index.js';

const client = new BareClient({
  issuer: 'https://idp.example.com',
  clientId: 'bench',
  redirectUri: `${location.origin}/callback`,
  scopes: ['api://bench/read'],
});

document.querySelector('button')?.addEventListener('click', () => {
  client.getToken().catch((error: unknown) => {
    if (error instanceof InteractionRequiredError) return client.signInPopup();
    throw error;
  });
});
