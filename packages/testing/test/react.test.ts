// @vitest-environment happy-dom
// A small React app on @tessera/react over the fake client, as an app's own test would render
// it: MsalProvider takes the fake as `instance`, and the hooks re-render on the fake's events
// and snapshots (sign-in, token, failure, sign-out).
import { InteractionRequiredAuthError } from '@tessera/browser';
import {
  AuthenticatedTemplate,
  MsalProvider,
  UnauthenticatedTemplate,
  useAccessToken,
  useAccount,
  useMsal,
} from '@tessera/react';
import { act, createElement as h, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClient, type FakeClient } from '../src/fake.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const SCOPES = ['api://orders/read'];

function Orders() {
  const account = useAccount();
  const { token, status, error } = useAccessToken({ scopes: SCOPES });
  return h(
    'p',
    { id: 'orders' },
    `${account?.name ?? '?'}: ${status} ${token ?? error?.errorCode ?? ''}`,
  );
}

function SignInButton() {
  const { instance, inProgress } = useMsal();
  return h(
    'button',
    { id: 'sign-in', onClick: () => void instance.loginPopup({ scopes: SCOPES }) },
    `Sign in (${inProgress})`,
  );
}

function SignOutButton() {
  const { instance } = useMsal();
  return h('button', { id: 'sign-out', onClick: () => void instance.logout() }, 'Sign out');
}

function App({ client }: { client: FakeClient }) {
  return h(
    StrictMode,
    null,
    h(
      MsalProvider,
      { instance: client },
      h(AuthenticatedTemplate, null, h(Orders), h(SignOutButton)),
      h(UnauthenticatedTemplate, null, h(SignInButton)),
    ),
  );
}

let container: HTMLElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

/** Renders, or runs `fn`, inside act() and lets the promises it started settle. */
async function step(fn: () => void): Promise<void> {
  await act(async () => {
    fn();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

const text = (selector: string) => container.querySelector(selector)?.textContent ?? null;
const click = (selector: string) =>
  container
    .querySelector<HTMLButtonElement>(selector)
    ?.dispatchEvent(new MouseEvent('click', { bubbles: true }));

describe('@tessera/react over the fake client', () => {
  it('renders the signed-in account and its token, from the fake', async () => {
    const client = createFakeClient({ account: { username: 'alice@example.com', name: 'Alice' } });
    await step(() => root.render(h(App, { client })));
    expect(text('#orders')).toBe('Alice: success fake-access-token-1');
    // StrictMode mounts twice; the hook still asked once for the same token.
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(1);
    expect(client.callsOf('acquireTokenSilent')[0]?.request).toMatchObject({ scopes: SCOPES });
  });

  it('re-renders through sign-in by popup and sign-out', async () => {
    const client = createFakeClient({ signInAs: { username: 'bob@example.com', name: 'Bob' } });
    await step(() => root.render(h(App, { client })));
    expect(text('#sign-in')).toBe('Sign in (none)');
    expect(text('#orders')).toBeNull();

    await step(() => click('#sign-in'));
    expect(client.callsOf('loginPopup')).toHaveLength(1);
    expect(text('#orders')).toBe('Bob: success fake-access-token-1');

    await step(() => click('#sign-out'));
    expect(client.callsOf('logout')).toHaveLength(1);
    expect(text('#orders')).toBeNull();
    expect(text('#sign-in')).toBe('Sign in (none)');
  });

  it('shows the error a failed silent call gives', async () => {
    const client = createFakeClient({ account: { username: 'alice', name: 'Alice' } });
    client.failNext(
      'acquireTokenSilent',
      new InteractionRequiredAuthError('consent_required', 'Consent is needed for orders.'),
    );
    await step(() => root.render(h(App, { client })));
    expect(text('#orders')).toBe('Alice: error consent_required');
  });
});
