// @vitest-environment happy-dom
// The hooks follow the core's active account: a real UserAgentApplication (no network) that
// starts with two signed-in accounts, and setActiveAccount switching between them.
import { act, createElement, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { expect, it } from 'vitest';
import { UserAgentApplication } from '@tessera/browser';
import { sessionStorageEntries } from '@tessera/browser/testing';
import { MsalProvider, useAccessToken, useAccount } from '../src/index.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const CLIENT = 'spa';
const AUTHORITY = 'https://idp.example';

function signedIn(sub: string, active: boolean): void {
  const now = Date.now();
  const iat = Math.floor(now / 1000);
  const entries = sessionStorageEntries({
    clientId: CLIENT,
    authority: AUTHORITY,
    idTokenClaims: {
      iss: AUTHORITY,
      sub,
      aud: CLIENT,
      iat,
      exp: iat + 3600,
      preferred_username: sub,
    },
    idToken: `${sub}-id-token`,
    accessToken: `${sub}-access-token`,
    grantedScopes: ['api.read'],
    expiresAt: now + 3_600_000,
    now,
    active,
  });
  for (const { key, value } of entries) localStorage.setItem(key, value);
}

function Who() {
  const account = useAccount();
  const { token } = useAccessToken({ scopes: ['api.read'] });
  return createElement('p', {}, `${account?.username ?? '-'}:${token ?? '-'}`);
}

it('useAccount and useAccessToken follow setActiveAccount', async () => {
  localStorage.clear();
  signedIn('alice', false);
  signedIn('bob', true);
  const app = new UserAgentApplication({
    auth: { clientId: CLIENT, authority: AUTHORITY, redirectUri: `${location.origin}/` },
    cache: { cacheLocation: 'localStorage' },
    system: { ports: { fetch: () => Promise.reject(new Error('no network in this test')) } },
  });
  await app.handleRedirectPromise();
  const container = document.createElement('div');
  const root = createRoot(container);
  await act(async () => {
    await Promise.resolve();
    root.render(
      createElement(
        StrictMode,
        {},
        createElement(MsalProvider, { instance: app }, createElement(Who)),
      ),
    );
  });
  expect(container.textContent).toBe('bob:bob-access-token');

  const alice = app.getAllAccounts().find((a) => a.username === 'alice')!;
  await act(async () => {
    app.setActiveAccount(alice);
    await Promise.resolve();
  });
  expect(container.textContent).toBe('alice:alice-access-token');
  act(() => root.unmount());
});
