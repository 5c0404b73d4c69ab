// The React counterpart of the demo SPA: @tessera/react's hooks over one UserAgentApplication,
// configured from /config.json (written by `npm start -- --react`), in StrictMode.
import { StrictMode, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { UserAgentApplication } from '@tessera/browser';
import { completeAuthorizationCallback } from '@tessera/browser/callback';
import {
  AuthenticatedTemplate,
  MsalProvider,
  UnauthenticatedTemplate,
  useAccessToken,
  useAccount,
  useAuthFetch,
  useMsal,
} from '@tessera/react';

/** The part of the demo's config.json this app reads. */
interface DemoConfig {
  providerName: string;
  authority: string;
  clientId: string;
  scopes: string[];
  loginScopes: string[];
  apiUrl: string;
  extraQueryParameters: Record<string, string>;
  cacheLocation: 'sessionStorage' | 'localStorage' | 'memory';
  testUsers: { username: string; password: string }[];
}

function Header({ config }: { config: DemoConfig }): ReactNode {
  const { inProgress } = useMsal();
  return (
    <header>
      <h1>Tessera React demo</h1>
      <p>
        {config.providerName} · <span id="in-progress">{inProgress}</span>
      </p>
    </header>
  );
}

function SignIn({ config }: { config: DemoConfig }): ReactNode {
  const { instance } = useMsal();
  const request = {
    scopes: config.loginScopes,
    extraScopesToConsent: config.scopes,
    extraQueryParameters: config.extraQueryParameters,
  };
  return (
    <section>
      <button id="sign-in-popup" onClick={() => void instance.loginPopup(request).catch(() => {})}>
        Sign in (popup)
      </button>
      <button id="sign-in-redirect" onClick={() => void instance.loginRedirect(request)}>
        Sign in (redirect)
      </button>
      {config.testUsers.length > 0 && (
        <p>Test users: {config.testUsers.map((u) => `${u.username} / ${u.password}`).join(', ')}</p>
      )}
    </section>
  );
}

function Account(): ReactNode {
  const account = useAccount();
  const { instance } = useMsal();
  return (
    <section>
      <h2>Account</h2>
      <p id="account">{account?.username}</p>
      <button id="sign-out" onClick={() => void instance.logout()}>
        Sign out
      </button>
    </section>
  );
}

function Token({ config }: { config: DemoConfig }): ReactNode {
  // Falls back to a popup only when the provider says the user must act.
  const { status, response, error } = useAccessToken(
    { scopes: config.scopes },
    { interactionType: 'popup' },
  );
  return (
    <section>
      <h2>Access token</h2>
      <p id="token-status">{status}</p>
      {response && <p>Scopes granted: {response.scopes.join(' ')}</p>}
      {error && <p role="alert">{error.errorMessage}</p>}
    </section>
  );
}

function Api({ config }: { config: DemoConfig }): ReactNode {
  const authFetch = useAuthFetch({ [`${config.apiUrl}/`]: config.scopes });
  const [answer, setAnswer] = useState('');
  if (config.apiUrl === '') return null;
  const call = () =>
    authFetch(`${config.apiUrl}/profile`).then(
      async (response) => setAnswer(`${response.status} ${await response.text()}`),
      (error: unknown) => setAnswer(String(error)),
    );
  return (
    <section>
      <h2>API</h2>
      <button id="call-profile" onClick={() => void call()}>
        Call API (GET /profile)
      </button>
      <pre id="answer">{answer}</pre>
    </section>
  );
}

function App({ app, config }: { app: UserAgentApplication; config: DemoConfig }): ReactNode {
  return (
    <MsalProvider instance={app}>
      <Header config={config} />
      <UnauthenticatedTemplate>
        <SignIn config={config} />
      </UnauthenticatedTemplate>
      <AuthenticatedTemplate>
        <Account />
        <Token config={config} />
        <Api config={config} />
      </AuthenticatedTemplate>
    </MsalProvider>
  );
}

async function main(): Promise<void> {
  const config = (await fetch('/config.json').then((r) => r.json())) as DemoConfig;
  const app = new UserAgentApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      redirectUri: `${location.origin}/`,
      postLogoutRedirectUri: `${location.origin}/`,
    },
    cache: { cacheLocation: config.cacheLocation },
  });
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <App app={app} config={config} />
    </StrictMode>,
  );
}

// The same page is the redirect URI: inside one of the library's popups or hidden iframes it
// only hands the authorization response back and stops.
if (completeAuthorizationCallback() === 'none') void main();
