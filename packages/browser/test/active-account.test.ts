// Several accounts: the active account is what calls without `account` serve; an interactive
// sign-in makes its account active; `.default` and client-id requests hit the cache.
import { describe, expect, it } from 'vitest';
import { createStore } from '../src/cache/storage.js';
import { createTokenCache } from '../src/cache/token-cache.js';
import { isAuthError } from '../src/errors/auth-error.js';
import type { AnyAuthEvent } from '../src/events.js';
import { storeTokenResult } from '../src/flows/complete.js';
import { silentLogger } from '../src/logger.js';
import type { TokenResult } from '../src/protocol/types.js';
import { UserAgentApplication } from '../src/user-agent-application.js';
import { account, atWrite, HOUR, T0 } from './cache/fixtures.js';
import { FakeWindow } from './interaction/fakes.js';
import { sessionContext } from './session/fakes.js';

const CLIENT = 'spa';
const codeOf = (error: unknown) => (isAuthError(error) ? error.errorCode : String(error));

/** A page whose localStorage already holds alice's and bob's sessions (signed in earlier). */
function pageWithTwoAccounts() {
  const win = new FakeWindow('https://app.example/');
  const alice = account('alice', { clientId: CLIENT, issuer: 'https://idp.example' });
  const bob = account('bob', { clientId: CLIENT, issuer: 'https://idp.example' });
  const clock = { now: () => T0 };
  const cache = createTokenCache(
    createStore('localStorage', win as unknown as Window, silentLogger),
    {
      clientId: CLIENT,
      clock,
      logger: silentLogger,
    },
  );
  cache.write({ ...atWrite(alice, 'alice-at', ['api.read']), idToken: 'alice-id-token' });
  cache.write({ ...atWrite(bob, 'bob-at', ['api.read']), idToken: 'bob-id-token' });
  const open = () =>
    new UserAgentApplication({
      auth: { clientId: CLIENT, authority: 'https://idp.example' },
      cache: { cacheLocation: 'localStorage' },
      system: {
        ports: {
          window: win as unknown as Window,
          clock,
          fetch: () => Promise.reject(new Error('no network in this test')),
        },
      },
    });
  return { win, alice, bob, open };
}

describe('the active account', () => {
  it('with several accounts and none active, calls without account fail with no_account', async () => {
    const { open } = pageWithTwoAccounts();
    const app = open();
    expect(app.getAllAccounts()).toHaveLength(2);
    expect(app.getAccount()).toBeNull();
    expect(app.getActiveAccount()).toBeNull();
    expect(await app.acquireTokenSilent({ scopes: ['api.read'] }).catch(codeOf)).toBe('no_account');
  });

  it('serves calls without account once set; the other account is served when named', async () => {
    const { open, alice, bob } = pageWithTwoAccounts();
    const app = open();
    const events: AnyAuthEvent[] = [];
    app.addEventCallback((e) => events.push(e));
    const bobView = app.getAllAccounts().find((a) => a.homeAccountId === bob.homeAccountId)!;

    app.setActiveAccount(bobView);

    expect(app.getActiveAccount()?.homeAccountId).toBe(bob.homeAccountId);
    expect(app.getAccount()?.homeAccountId).toBe(bob.homeAccountId);
    expect(app.getSnapshot().account?.homeAccountId).toBe(bob.homeAccountId);
    expect((await app.acquireTokenSilent({ scopes: ['api.read'] })).accessToken).toBe('bob-at');
    const aliceView = app.getAllAccounts().find((a) => a.homeAccountId === alice.homeAccountId)!;
    expect(
      (await app.acquireTokenSilent({ scopes: ['api.read'], account: aliceView })).accessToken,
    ).toBe('alice-at');
    expect(
      events.filter((e) => e.eventType === 'msal:activeAccountChanged').map((e) => e.payload),
    ).toEqual([bobView]);
  });

  it('survives a reload, and clearing it goes back to no_account', async () => {
    const { open, bob } = pageWithTwoAccounts();
    const first = open();
    first.setActiveAccount(
      first.getAllAccounts().find((a) => a.homeAccountId === bob.homeAccountId)!,
    );

    const reloaded = open();
    expect(reloaded.getActiveAccount()?.homeAccountId).toBe(bob.homeAccountId);
    reloaded.setActiveAccount(null);
    expect(reloaded.getActiveAccount()).toBeNull();
    expect(await reloaded.acquireTokenSilent({ scopes: ['api.read'] }).catch(codeOf)).toBe(
      'no_account',
    );
  });

  it('ignores an account that is not signed in here', () => {
    const { open } = pageWithTwoAccounts();
    const app = open();
    const stranger = { ...app.getAllAccounts()[0]!, homeAccountId: 'nobody|https://idp.example' };
    app.setActiveAccount(stranger);
    expect(app.getActiveAccount()).toBeNull();
  });
});

describe('which account a new token response makes active', () => {
  function result(sub: string): TokenResult {
    return {
      accessToken: `${sub}-at`,
      tokenType: 'Bearer',
      expiresAt: Date.now() + HOUR,
      grantedScopes: ['api.read'],
      refreshToken: `${sub}-rt`,
      refreshTokenExpiresAt: undefined,
      idToken: `${sub}-id`,
      idTokenClaims: { iss: 'https://idp.example', sub, aud: 'spa', exp: 0, iat: 0 },
      issuer: 'https://idp.example',
    };
  }
  const request = {
    resource: undefined,
    correlationId: 'c',
    userState: '',
    authority: 'https://idp.example',
  };

  it('an interactive sign-in activates its account; a silent renewal of a known one does not', () => {
    const { ctx } = sessionContext({});
    storeTokenResult(ctx, result('alice'), { ...request, interaction: 'popup' });
    const alice = ctx.cache.getActiveAccountId();
    expect(alice).toMatch(/^alice\|/);
    storeTokenResult(ctx, result('bob'), { ...request, interaction: 'redirect' });
    const bob = ctx.cache.getActiveAccountId();
    expect(bob).toMatch(/^bob\|/);

    // alice renewed by the hidden iframe, then by her refresh token: bob stays active.
    storeTokenResult(ctx, result('alice'), { ...request, interaction: 'silent' });
    storeTokenResult(ctx, result('alice'), request, ctx.cache.getAccount(alice!));
    expect(ctx.cache.getActiveAccountId()).toBe(bob);
  });

  it('signing the active account out clears it', () => {
    const { ctx } = sessionContext({});
    storeTokenResult(ctx, result('alice'), { ...request, interaction: 'popup' });
    const id = ctx.cache.getActiveAccountId()!;
    ctx.cache.removeAccount(id);
    expect(ctx.cache.getActiveAccountId()).toBeUndefined();
    storeTokenResult(ctx, result('bob'), { ...request, interaction: 'silent' });
    expect(ctx.cache.getActiveAccountId()).toMatch(/^bob\|/);
  });

  it('records a requested .default scope with the granted permissions', () => {
    const { ctx } = sessionContext({});
    storeTokenResult(
      ctx,
      { ...result('alice'), grantedScopes: ['https://graph.microsoft.com/User.Read'] },
      { ...request, requestedScopes: ['openid', 'https://graph.microsoft.com/.default'] },
    );
    const id = ctx.cache.getActiveAccountId()!;
    const query = (scopes: string[]) =>
      ctx.cache.findAccessToken({
        homeAccountId: id,
        scopes,
        resource: [],
        now: Date.now(),
        renewalOffsetMs: 0,
      });
    expect(query(['https://graph.microsoft.com/.default'])?.secret).toBe('alice-at');
    expect(query(['https://graph.microsoft.com/user.read'])?.secret).toBe('alice-at');
    expect(query(['api://other/.default'])).toBeUndefined();
  });
});

describe('a request for the client id (msal 1.x: the ID token)', () => {
  it('is served from the cache by the ID token while it is valid', async () => {
    const { open, bob } = pageWithTwoAccounts();
    const app = open();
    const bobView = app.getAllAccounts().find((a) => a.homeAccountId === bob.homeAccountId)!;
    const response = await app.acquireTokenSilent({ scopes: [CLIENT], account: bobView });
    expect(response).toMatchObject({
      accessToken: 'bob-id-token',
      idToken: 'bob-id-token',
      tokenType: 'id_token',
      fromCache: true,
    });
    expect(response.expiresOn.getTime()).toBe(T0 + 3600_000);
  });
});
