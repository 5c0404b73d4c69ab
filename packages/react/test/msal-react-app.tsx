// An app written for @azure/msal-react and @azure/msal-browser: only the two import lines below
// changed (from '@azure/msal-react' and '@azure/msal-browser'). Typechecked by this folder's
// tsconfig and rendered by hooks.test.ts.
import {
  AuthenticatedTemplate,
  MsalProvider,
  UnauthenticatedTemplate,
  useAccount,
  useIsAuthenticated,
  useMsal,
  useMsalAuthentication,
  withMsal,
  type WithMsalProps,
} from '../src/index.js';
import { InteractionStatus, InteractionType } from '../src/index.js';
import type { MsalReactClient } from '../src/index.js';
import { Component, useEffect, useState, type ReactNode } from 'react';

const loginRequest = { scopes: ['User.Read'] };

function Profile(): ReactNode {
  const { instance, accounts, inProgress } = useMsal();
  const account = useAccount(accounts[0] || {});
  const [token, setToken] = useState<string | null>(null);

  useEffect(() => {
    if (inProgress === InteractionStatus.None && account) {
      instance
        .acquireTokenSilent({ ...loginRequest, account })
        .then((response) => setToken(response.accessToken))
        .catch(() => setToken(null));
    }
  }, [inProgress, account, instance]);

  return (
    <p>
      {account?.name ?? ''} {token === null ? '' : `token:${token}`}
    </p>
  );
}

function SignInButton(): ReactNode {
  const { instance } = useMsal();
  const isAuthenticated = useIsAuthenticated();
  return isAuthenticated ? null : (
    <button onClick={() => void instance.loginPopup(loginRequest)}>Sign in</button>
  );
}

function Auto(): ReactNode {
  const { result, error } = useMsalAuthentication(InteractionType.Silent, loginRequest);
  return <span>{error ? `error:${error.errorCode}` : result ? 'auto:ok' : 'auto:…'}</span>;
}

class LegacyGreeting extends Component<WithMsalProps> {
  override render(): ReactNode {
    const accounts = this.props.msalContext.accounts;
    return <span>accounts:{accounts.length}</span>;
  }
}
const Greeting = withMsal(LegacyGreeting);

export function App({ instance }: { instance: MsalReactClient }): ReactNode {
  return (
    <MsalProvider instance={instance}>
      <AuthenticatedTemplate>
        <Profile />
        <Auto />
      </AuthenticatedTemplate>
      <UnauthenticatedTemplate>
        <p>Please sign in.</p>
      </UnauthenticatedTemplate>
      <SignInButton />
      <Greeting />
    </MsalProvider>
  );
}
