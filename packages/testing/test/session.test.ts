// startTestIdp + node-side sign-in produce storage entries that a real UserAgentApplication reads
// as a signed-in session: the account at start, a silent token from the cache with no network,
// and a refresh token the real provider accepts.
import { UserAgentApplication, type FetchLike } from '@tessera/browser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  acquireTestTokens,
  sessionEntries,
  startTestIdp,
  testClient,
  type TestIdp,
} from '../src/index.js';
import { FakeWindow } from './support.js';

// A real provider on a shared machine: the first start loads oidc-provider and makes keys.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const APP = 'http://127.0.0.1:5173';
const SCOPES = ['api://demo/read'];

let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp({ clients: [testClient(APP, 'my-spa')] });
});
afterAll(() => idp.close());

/** A page of the app whose storage holds `entries`, and the fetch calls its client makes. */
function openApp(
  entries: readonly { key: string; value: string }[],
  area: 'sessionStorage' | 'localStorage' = 'sessionStorage',
) {
  const win = new FakeWindow(`${APP}/`);
  for (const { key, value } of entries) win[area].setItem(key, value);
  const requests: string[] = [];
  const fetch: FetchLike = (input, init) => {
    requests.push(String(input instanceof Request ? input.url : input));
    return globalThis.fetch(input, init);
  };
  const app = new UserAgentApplication(
    idp.clientConfig({ cacheLocation: area, system: { ports: { window: win.asWindow(), fetch } } }),
  );
  return { app, requests, win };
}

describe('startTestIdp', () => {
  it('runs the dev IdP on loopback with a ready client configuration', async () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(idp.authority).toBe(idp.issuer);
    expect(idp.clientId).toBe('my-spa');
    expect(idp.clientConfig()).toEqual({
      auth: {
        clientId: 'my-spa',
        authority: idp.issuer,
        redirectUri: `${APP}/`,
        postLogoutRedirectUri: `${APP}/`,
      },
      cache: { cacheLocation: 'sessionStorage' },
    });
    // Members of the DevIdp itself pass through.
    const discovery = await fetch(`${idp.url}/.well-known/openid-configuration`);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe(idp.issuer);
    expect(typeof idp.stats().tokenRequests).toBe('number');
  });
});

describe('a session from the dev IdP, read by a real UserAgentApplication', () => {
  it('starts signed in and serves the silent token from the cache with no network call', async () => {
    idp.resetStats();
    const tokens = await acquireTestTokens(idp, { username: 'bob', scopes: SCOPES });
    expect(tokens.idTokenClaims.preferred_username).toBe('bob');
    expect(tokens.grantedScopes).toEqual(SCOPES);
    expect(tokens.refreshToken).toBeTypeOf('string');
    expect(idp.stats().tokenRequestsByGrant['authorization_code']).toBe(1);

    const entries = sessionEntries(tokens);
    expect(entries.map((e) => e.key)).toEqual([
      `tessera.v1.account.my-spa|bob|${idp.issuer}`,
      'tessera.v1.active.my-spa',
    ]);

    const { app, requests } = openApp(entries);
    // Synchronously at construction, as msal 1.x apps ask.
    expect(app.getAccount()?.username).toBe('bob');
    expect(app.getActiveAccount()?.homeAccountId).toBe(`bob|${idp.issuer}`);

    const response = await app.acquireTokenSilent({ scopes: SCOPES });
    expect(response.accessToken).toBe(tokens.accessToken);
    expect(response.fromCache).toBe(true);
    expect(response.idToken).toBe(tokens.idToken);
    expect(app.getSnapshot()).toMatchObject({ status: 'signedIn', account: { username: 'bob' } });
    expect(requests).toEqual([]);
    expect(idp.stats().tokenRequests).toBe(1);
  });

  it('holds a refresh token the provider accepts: a forced renewal refreshes against the authority', async () => {
    const tokens = await acquireTestTokens(idp, { scopes: SCOPES });
    const { app, requests } = openApp(sessionEntries(tokens), 'localStorage');
    idp.resetStats();

    const renewed = await app.acquireTokenSilent({ scopes: SCOPES, forceRefresh: true });

    expect(renewed.fromCache).toBe(false);
    expect(renewed.accessToken).not.toBe(tokens.accessToken);
    expect(renewed.account.username).toBe('alice');
    expect(idp.stats().tokenRequestsByGrant).toEqual({ refresh_token: 1 });
    expect(requests.some((url) => url.startsWith(idp.issuer))).toBe(true);
  });

  it('with active: false, one of several accounts is not chosen by itself', async () => {
    const alice = sessionEntries(await acquireTestTokens(idp, { scopes: SCOPES }), {
      active: false,
    });
    const bob = sessionEntries(await acquireTestTokens(idp, { username: 'bob', scopes: SCOPES }), {
      active: false,
    });
    expect(alice).toHaveLength(1);
    const { app } = openApp([...alice, ...bob]);
    expect(
      app
        .getAllAccounts()
        .map((a) => a.username)
        .sort(),
    ).toEqual(['alice', 'bob']);
    expect(app.getAccount()).toBeNull();
  });

  it('fills in the login and consent forms when automatic mode is off', async () => {
    const manual = await startTestIdp({
      autoLogin: false,
      clients: [testClient(APP, 'my-spa')],
      users: [
        { username: 'carol', password: 'carol-secret', name: 'Carol', email: 'carol@example.test' },
      ],
    });
    try {
      const tokens = await acquireTestTokens(manual, { username: 'carol', scopes: SCOPES });
      expect(tokens.idTokenClaims).toMatchObject({ preferred_username: 'carol', name: 'Carol' });
      expect(tokens.grantedScopes).toEqual(SCOPES);
      await expect(
        acquireTestTokens(manual, { username: 'carol', password: 'wrong', scopes: SCOPES }),
      ).rejects.toThrow('refused the password of "carol"');
    } finally {
      await manual.close();
    }
  });

  it('refuses to hand back another user when automatic mode does not know the one asked for', async () => {
    await expect(acquireTestTokens(idp, { username: 'mallory' })).rejects.toThrow(
      'signed in "alice", not "mallory"',
    );
  });

  it.each([
    ['keycloak', ['api://demo/read']],
    ['entra', ['user.read']],
  ] as const)(
    'works with the %s profile: its authority, discovery and scopes',
    async (profile, scopes) => {
      const other = await startTestIdp({ profile, clients: [testClient(APP, 'my-spa')] });
      try {
        expect(other.authority).not.toBe(other.url);
        const tokens = await acquireTestTokens(other, { scopes });
        expect(tokens.authority).toBe(other.authority);
        const win = new FakeWindow(`${APP}/`);
        for (const { key, value } of sessionEntries(tokens)) win.sessionStorage.setItem(key, value);
        const config = other.clientConfig({ system: { ports: { window: win.asWindow() } } });
        expect(config.auth.protocolMode).toBe(profile === 'entra' ? 'AAD' : undefined);
        const app = new UserAgentApplication(config);
        other.resetStats();
        const response = await app.acquireTokenSilent({ scopes: [...scopes] });
        expect(response).toMatchObject({ accessToken: tokens.accessToken, fromCache: true });
        expect(response.account.username).toBe('alice');
        expect(other.stats().tokenRequests).toBe(0);
      } finally {
        await other.close();
      }
    },
  );

  it('checks what it builds: an ID token for another client gives no entries', async () => {
    const tokens = await acquireTestTokens(idp, {});
    expect(() => sessionEntries({ ...tokens, clientId: 'someone-else' })).toThrow(
      'not for client "someone-else"',
    );
  });
});
