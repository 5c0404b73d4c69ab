// Rendering on a server: no window, every hook in the tree, the signed-out state in the HTML.
import { UserAgentApplication } from '@tessera/browser';
import { createElement, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  AuthenticatedTemplate,
  MsalProvider,
  UnauthenticatedTemplate,
  useAccessToken,
  useAccessTokenSuspense,
  useAccount,
  useAuthFetch,
  useAuthSnapshot,
  useIsAuthenticated,
  useMsal,
  useMsalAuthentication,
  withMsal,
  type WithMsalProps,
} from '../src/index.js';
import { App } from './msal-react-app.js';

function EveryHook(): ReactNode {
  const { inProgress, accounts } = useMsal();
  const account = useAccount();
  const authenticated = useIsAuthenticated();
  const snapshot = useAuthSnapshot();
  const auth = useMsalAuthentication('redirect', { scopes: ['api'] });
  const token = useAccessToken({ scopes: ['api'] }, { interactionType: 'popup' });
  const authFetch = useAuthFetch({ 'https://api.example/': ['api'] });
  const suspended = useAccessTokenSuspense({ scopes: ['api'] });
  return createElement(
    'p',
    null,
    [
      `status:${snapshot.status}`,
      `inProgress:${inProgress}`,
      `accounts:${accounts.length}`,
      `account:${account?.username ?? 'none'}`,
      `authenticated:${authenticated}`,
      `auth:${auth.result === null && auth.error === null}`,
      `token:${token.status}`,
      `fetch:${typeof authFetch}`,
      `suspense:${suspended === null ? 'none' : 'token'}`,
    ].join(' '),
  );
}

const WithMsal = withMsal((props: WithMsalProps) =>
  createElement('i', null, `hoc:${props.msalContext.inProgress}`),
);

describe('server render', () => {
  it('touches no window and renders the signed-out state with every hook', () => {
    expect(typeof window).toBe('undefined');
    const app = new UserAgentApplication({
      auth: {
        clientId: 'spa',
        authority: 'https://idp.example',
        redirectUri: 'https://app.example/',
      },
    });
    const html = renderToString(
      createElement(
        MsalProvider,
        { instance: app },
        createElement(EveryHook),
        createElement(WithMsal),
        createElement(AuthenticatedTemplate, null, 'secret'),
        createElement(UnauthenticatedTemplate, null, 'Please sign in'),
      ),
    );
    expect(html).toContain(
      'status:signedOut inProgress:none accounts:0 account:none authenticated:false auth:true token:idle fetch:function suspense:none',
    );
    expect(html).toContain('hoc:none');
    expect(html).toContain('Please sign in');
    expect(html).not.toContain('secret');
  });

  it('renders an app written for msal-react (imports changed only)', () => {
    const app = new UserAgentApplication({
      auth: {
        clientId: 'spa',
        authority: 'https://idp.example',
        redirectUri: 'https://app.example/',
      },
    });
    const html = renderToString(createElement(App, { instance: app }));
    expect(html).toContain('Please sign in.');
    expect(html).toContain('Sign in</button>');
    expect(html).toContain('accounts:<!-- -->0');
  });
});
