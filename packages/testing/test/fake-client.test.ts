// The fake client: deterministic tokens, errors on demand, recorded calls, and the events and
// snapshots of the real client — checked against a real UserAgentApplication where the two can
// run the same flow offline (a session at start, cached silent calls, sign-out).
import {
  BrowserAuthError,
  InteractionRequiredAuthError,
  ServerError,
  UserAgentApplication,
  type AnyAuthEvent,
  type AuthSnapshot,
} from '@tessera/browser';
import { sessionStorageEntries } from '@tessera/browser/testing';
import { describe, expect, it } from 'vitest';
import {
  asApplication,
  createFakeAccount,
  createFakeClient,
  type FakeClient,
  type TesseraClient,
} from '../src/fake.js';
import { FakeWindow } from './support.js';

const SCOPES = ['api://demo/read'];

/** Records every event and every snapshot the client publishes. */
function watch(client: TesseraClient) {
  const events: AnyAuthEvent[] = [];
  const snapshots: AuthSnapshot[] = [];
  client.addEventCallback((event) => events.push(event));
  client.subscribe(() => snapshots.push(client.getSnapshot()));
  return {
    events,
    snapshots,
    /** `eventType/interactionType` of each event. */
    names: () => events.map((e) => `${e.eventType}/${e.interactionType}`),
    statuses: () => snapshots.map((s) => s.status),
  };
}

const codeOf = (error: unknown) => (error as { errorCode?: string }).errorCode;

describe('tokens', () => {
  it('are deterministic, cached per account and scope set, and new when forced', async () => {
    const client = createFakeClient({ account: { username: 'alice@example.com' } });

    const first = await client.acquireTokenSilent({ scopes: SCOPES });
    const again = await client.acquireTokenSilent({ scopes: ['API://demo/READ', 'openid'] });
    const other = await client.acquireTokenSilent({ scopes: ['api://demo/write'] });
    const forced = await client.acquireTokenSilent({ scopes: SCOPES, forceRefresh: true });

    expect([first, again, other, forced].map((r) => [r.accessToken, r.fromCache])).toEqual([
      ['fake-access-token-1', false],
      ['fake-access-token-1', true],
      ['fake-access-token-2', false],
      ['fake-access-token-3', false],
    ]);
    expect(first).toMatchObject({
      tokenType: 'Bearer',
      scopes: SCOPES,
      account: {
        username: 'alice@example.com',
        homeAccountId: 'alice@example.com|https://idp.example',
      },
    });
    // The ID token is an unsigned JWT of the account's claims, for apps that decode it.
    const payload = first.idToken.split('.')[1] ?? '';
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      preferred_username: 'alice@example.com',
      aud: 'fake-client-id',
    });
  });

  it('come from the tokens option and expire on the given clock', async () => {
    let now = 1_000_000;
    const client = createFakeClient({
      account: { username: 'alice' },
      tokens: ({ scopes, sequence }) => `${scopes.join(',')}#${sequence}`,
      tokenLifetimeSeconds: 60,
      now: () => now,
    });
    expect((await client.acquireTokenSilent({ scopes: SCOPES })).accessToken).toBe(
      'api://demo/read#1',
    );
    now += 59_000;
    expect((await client.acquireTokenSilent({ scopes: SCOPES })).fromCache).toBe(true);
    now += 1_000;
    const renewed = await client.acquireTokenSilent({ scopes: SCOPES });
    expect(renewed.accessToken).toBe('api://demo/read#2');
    expect(renewed.expiresOn.getTime()).toBe(now + 60_000);
  });
});

describe('errors', () => {
  it('failNext rejects the next call with the real error class, once, with the failure event', async () => {
    const client = createFakeClient({ account: { username: 'alice' } });
    const seen = watch(client);
    const error = new InteractionRequiredAuthError('login_required', 'The session ended.');
    client.failNext('acquireTokenSilent', error);

    const failed = await client.acquireTokenSilent({ scopes: SCOPES }).catch((e: unknown) => e);

    expect(failed).toBe(error);
    expect(failed).toBeInstanceOf(InteractionRequiredAuthError);
    // The seed's check works on it.
    expect(
      (failed as InteractionRequiredAuthError).errorMessage.indexOf('interaction_required'),
    ).not.toBe(-1);
    expect(seen.names()).toEqual([
      'msal:acquireTokenStart/silent',
      'msal:acquireTokenFailure/silent',
    ]);
    expect(seen.events[1]?.error).toBe(error);
    expect(client.getSnapshot().error).toBe(error);

    await expect(client.acquireTokenSilent({ scopes: SCOPES })).resolves.toMatchObject({
      accessToken: 'fake-access-token-1',
    });
    expect(client.getSnapshot().error).toBeNull();
    expect(client.callsOf('acquireTokenSilent').map((c) => c.request)).toEqual([
      { scopes: SCOPES },
      { scopes: SCOPES },
    ]);
  });

  it('errors and setError fail every call until cleared', async () => {
    const outage = new ServerError({ error: 'temporarily_unavailable', status: 503 });
    const client = createFakeClient({
      account: { username: 'alice' },
      errors: { acquireTokenSilent: outage },
    });
    await expect(client.acquireTokenSilent({ scopes: SCOPES })).rejects.toBe(outage);
    await expect(client.acquireTokenSilent({ scopes: SCOPES })).rejects.toBe(outage);
    client.setError('acquireTokenSilent', null);
    await expect(client.acquireTokenSilent({ scopes: SCOPES })).resolves.toBeDefined();

    const cancelled = new BrowserAuthError('user_cancelled', 'The user closed the popup.');
    client.setError('loginPopup', cancelled);
    await expect(client.loginPopup()).rejects.toBe(cancelled);
    expect(client.getSnapshot()).toMatchObject({
      status: 'signedIn',
      interaction: null,
      error: cancelled,
    });
  });

  it('signed out, a silent call fails with no_account as the real client does', async () => {
    const client = createFakeClient();
    const error = await client.acquireTokenSilent({ scopes: SCOPES }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteractionRequiredAuthError);
    expect(codeOf(error)).toBe('no_account');
  });
});

describe('sign-in and sign-out, as the wrappers see them', () => {
  it('loginPopup: signedOut → interacting → signedIn, with the real event order', async () => {
    const client = createFakeClient({ signInAs: { username: 'bob', name: 'Bob' } });
    const seen = watch(client);
    expect(client.getSnapshot()).toMatchObject({
      status: 'signedOut',
      account: null,
      accounts: [],
    });

    const pending = client.loginPopup({ scopes: SCOPES });
    expect(client.getSnapshot()).toMatchObject({
      status: 'interacting',
      interaction: { kind: 'login', type: 'popup' },
    });
    const response = await pending;

    expect(response).toMatchObject({
      accessToken: 'fake-access-token-1',
      account: { username: 'bob' },
    });
    expect(seen.names()).toEqual([
      'msal:loginStart/popup',
      'msal:activeAccountChanged/none',
      'msal:accountAdded/none',
      'msal:loginSuccess/popup',
    ]);
    expect(seen.statuses()).toEqual(['interacting', 'interacting', 'signedIn']);
    expect(client.getSnapshot()).toMatchObject({
      status: 'signedIn',
      account: { name: 'Bob' },
      error: null,
    });
    expect(client.getActiveAccount()?.username).toBe('bob');
    expect((await client.acquireTokenSilent({ scopes: SCOPES })).fromCache).toBe(true);
  });

  it('a second popup while one is open fails with interaction_in_progress', async () => {
    const client = createFakeClient();
    const first = client.loginPopup();
    const second = client.acquireTokenPopup({ scopes: SCOPES }).catch(codeOf);
    expect(await second).toBe('interaction_in_progress');
    await expect(first).resolves.toBeDefined();
  });

  it('redirect: interacting until completeRedirect, then handleRedirectPromise and the callbacks get the response', async () => {
    const client = createFakeClient();
    const early: string[] = [];
    client.handleRedirectCallbacks(
      (r) => early.push(r.account.username),
      (e) => early.push(e.errorCode),
    );
    const seen = watch(client);

    await client.loginRedirect({ scopes: SCOPES, state: 'back-to-cart' });
    expect(client.getSnapshot().status).toBe('interacting');
    expect(await client.handleRedirectPromise()).toBeNull();

    const response = client.completeRedirect();

    expect(response?.accountState).toBe('back-to-cart');
    expect(await client.handleRedirectPromise()).toBe(response);
    expect(early).toEqual(['alice@example.com']);
    const late = await new Promise<string>((resolve) =>
      client.handleRedirectCallback((error, r) =>
        resolve(error?.errorCode ?? r?.accessToken ?? ''),
      ),
    );
    expect(late).toBe('fake-access-token-1');
    expect(seen.names()).toEqual([
      'msal:loginStart/redirect',
      'msal:activeAccountChanged/none',
      'msal:accountAdded/none',
      'msal:loginSuccess/redirect',
      'msal:handleRedirectEnd/redirect',
    ]);
    expect(client.getSnapshot().status).toBe('signedIn');
  });

  it('a redirect that comes back with an error rejects handleRedirectPromise', async () => {
    const client = createFakeClient();
    await client.acquireTokenRedirect({ scopes: SCOPES, state: 's1' });
    const denied = new InteractionRequiredAuthError('consent_required', 'The user declined.');
    const errors: string[] = [];
    client.handleRedirectCallbacks(
      () => errors.push('token'),
      (e, state) => errors.push(`${e.errorCode}@${state}`),
    );
    expect(client.completeRedirect({ error: denied })).toBeNull();
    await expect(client.handleRedirectPromise()).rejects.toBe(denied);
    expect(errors).toEqual(['consent_required@s1']);
    expect(client.getSnapshot()).toMatchObject({ status: 'signedOut', error: denied });
    expect(() => client.completeRedirect()).toThrow(
      'no loginRedirect or acquireTokenRedirect is pending',
    );
  });

  it('several accounts: the active one is served, others when named, none when cleared', async () => {
    const bob = createFakeAccount({ username: 'bob' });
    const client = createFakeClient({ account: { username: 'alice' }, otherAccounts: [bob] });
    const seen = watch(client);
    expect(client.getAllAccounts().map((a) => a.username)).toEqual(['alice', 'bob']);
    expect(client.getAccount()?.username).toBe('alice');
    expect((await client.acquireTokenSilent({ scopes: SCOPES, account: bob })).account).toBe(bob);

    client.setActiveAccount(bob);
    expect(client.getSnapshot().account).toBe(bob);
    client.setActiveAccount(null);
    expect(client.getAccount()).toBeNull();
    expect(
      codeOf(await client.acquireTokenSilent({ scopes: SCOPES }).catch((e: unknown) => e)),
    ).toBe('no_account');
    expect(
      seen.events.filter((e) => e.eventType === 'msal:activeAccountChanged').map((e) => e.payload),
    ).toEqual([bob, null]);
    expect(client.callsOf('setActiveAccount').map((c) => c.request)).toEqual([bob, null]);
  });

  it('signIn and endSession play what happens in another tab', () => {
    const client = createFakeClient();
    const seen = watch(client);
    const account = client.signIn({ username: 'carol' });
    expect(client.getSnapshot()).toMatchObject({ status: 'signedIn', account });
    client.endSession();
    expect(client.getSnapshot().status).toBe('signedOut');
    expect(seen.names()).toEqual([
      'msal:activeAccountChanged/none',
      'msal:accountAdded/none',
      'msal:accountRemoved/none',
      'msal:logoutSuccess/none',
      'msal:activeAccountChanged/none',
      'msal:sessionEnded/none',
    ]);
    expect(seen.events.at(-1)?.payload).toEqual({ reason: 'signed_out_in_another_tab', account });
  });

  it('on() delivers one event type and stops when unsubscribed', async () => {
    const client = createFakeClient({ account: { username: 'alice' } });
    const tokens: string[] = [];
    const off = client.on('msal:acquireTokenSuccess', (event) =>
      tokens.push(event.payload.accessToken),
    );
    await client.acquireTokenSilent({ scopes: SCOPES });
    off();
    await client.acquireTokenSilent({ scopes: SCOPES, forceRefresh: true });
    expect(tokens).toEqual(['fake-access-token-1']);
  });

  it('getConfiguration resolves the configuration as the real client does', () => {
    const client = createFakeClient({
      configuration: {
        auth: {
          clientId: 'spa',
          authority: 'https://login.example.com/tenant/',
          redirectUri: 'https://app.example/',
        },
      },
    });
    expect(client.getConfiguration()).toMatchObject({
      clientId: 'spa',
      authority: 'https://login.example.com/tenant/',
      cacheLocation: 'sessionStorage',
      tokenRenewalOffsetSeconds: 300,
    });
    expect(asApplication(client)).toBe(client);
  });
});

describe('parity with a real UserAgentApplication', () => {
  const ISSUER = 'https://idp.example';

  /** A real client whose page already holds alice's session (built by @tessera/browser/testing). */
  function realSignedIn(): UserAgentApplication {
    const win = new FakeWindow('https://app.example/');
    const now = Date.now();
    const entries = sessionStorageEntries({
      clientId: 'fake-client-id',
      authority: ISSUER,
      idTokenClaims: {
        iss: ISSUER,
        sub: 'alice',
        aud: 'fake-client-id',
        iat: 0,
        exp: 0,
        preferred_username: 'alice',
      },
      idToken: 'id-token',
      accessToken: 'at',
      grantedScopes: SCOPES,
      expiresAt: now + 3_600_000,
      now,
    });
    for (const { key, value } of entries) win.sessionStorage.setItem(key, value);
    return new UserAgentApplication({
      auth: { clientId: 'fake-client-id', authority: ISSUER, redirectUri: 'https://app.example/' },
      system: {
        ports: {
          window: win.asWindow(),
          // No provider: sign-out goes on locally, as the real client does when it is unreachable.
          fetch: () => Promise.reject(new TypeError('offline')),
        },
      },
    });
  }

  async function scenario(client: TesseraClient) {
    await client.handleRedirectPromise();
    const seen = watch(client);
    const start = client.getSnapshot();
    await client.acquireTokenSilent({ scopes: SCOPES });
    const cached = await client.acquireTokenSilent({ scopes: SCOPES });
    await client.logout();
    return {
      start: { status: start.status, username: start.account?.username },
      fromCache: cached.fromCache,
      events: seen.names(),
      end: client.getSnapshot().status,
      account: client.getAccount(),
    };
  }

  it('the same events and states for a signed-in start, silent calls from the cache and sign-out', async () => {
    const fake: FakeClient = createFakeClient({ account: { username: 'alice', sub: 'alice' } });
    // The fake's first call makes the token the real client already holds.
    await fake.acquireTokenSilent({ scopes: SCOPES });
    fake.clearCalls();
    const real = await scenario(realSignedIn());
    expect(real.events).toContain('msal:logoutSuccess/redirect');
    expect(await scenario(fake)).toEqual(real);
  });
});
