// Test page for @tessera/react: StrictMode, sign-in by redirect, a protected component showing
// the account, five components asking for the same API token, an API call through useAuthFetch,
// sign-out. Written with createElement so the harness's plain esbuild bundle needs no JSX set-up.
import { createElement as h, StrictMode, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { UserAgentApplication } from '@tessera/browser';
import {
  AuthenticatedTemplate,
  MsalProvider,
  UnauthenticatedTemplate,
  useAccessToken,
  useAccount,
  useAuthFetch,
  useMsal,
} from '@tessera/react';
import { pageEnv } from '../../harness/page-env.js';

const env = pageEnv();
const API_SCOPE = 'api://demo/read';
const app = new UserAgentApplication({
  auth: {
    clientId: env.clientId ?? '',
    authority: env.issuer ?? '',
    redirectUri: env.redirectUri ?? '',
    postLogoutRedirectUri: env.redirectUri ?? '',
  },
  cache: { cacheLocation: 'sessionStorage' },
});

function SignIn(): ReactNode {
  const { instance } = useMsal();
  return h(
    'button',
    {
      id: 'sign-in',
      onClick: () => void instance.loginRedirect({ extraScopesToConsent: [API_SCOPE] }),
    },
    'Sign in',
  );
}

function Profile(): ReactNode {
  const account = useAccount();
  const { instance } = useMsal();
  return h(
    'section',
    null,
    h('p', { id: 'account' }, account?.username ?? ''),
    h('button', { id: 'sign-out', onClick: () => void instance.logout() }, 'Sign out'),
  );
}

function ApiToken({ n }: { n: number }): ReactNode {
  const { status, error } = useAccessToken({ scopes: [API_SCOPE] });
  return h(
    'li',
    { className: 'token', 'data-status': status },
    `${n}: ${status} ${error?.errorCode ?? ''}`,
  );
}

function ApiCall(): ReactNode {
  const authFetch = useAuthFetch({ [`${env.apiUrl ?? ''}/`]: [API_SCOPE] });
  const [result, setResult] = useState('');
  const call = () =>
    authFetch(`${env.apiUrl ?? ''}/profile`).then(
      (response) => setResult(String(response.status)),
      (error: unknown) => setResult(`error ${String(error)}`),
    );
  return h(
    'section',
    null,
    h('button', { id: 'call-api', onClick: () => void call() }, 'Call the API'),
    h('p', { id: 'api' }, result),
  );
}

/** Mounts the five token components on demand, once the sign-in's token is no longer served. */
function Tokens(): ReactNode {
  const [shown, setShown] = useState(false);
  return shown
    ? h('ul', null, ...[1, 2, 3, 4, 5].map((n) => h(ApiToken, { key: n, n })))
    : h('button', { id: 'show-tokens', onClick: () => setShown(true) }, 'Show tokens');
}

function Root(): ReactNode {
  return h(
    MsalProvider,
    { instance: app },
    h(UnauthenticatedTemplate, null, h(SignIn)),
    h(AuthenticatedTemplate, null, h(Profile), h(Tokens), h(ApiCall)),
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(h(StrictMode, null, h(Root)));
