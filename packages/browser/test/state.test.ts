import { describe, expect, it } from 'vitest';
import { BrowserAuthError } from '../src/errors/auth-error.js';
import { createAuthState, STARTING_SNAPSHOT } from '../src/state.js';
import { UserAgentApplication } from '../src/user-agent-application.js';
import { account, atWrite } from './cache/fixtures.js';
import { sessionContext } from './session/fakes.js';

function setup(ready = true) {
  const { ctx } = sessionContext({});
  let isReady = ready;
  let resolve = () => {};
  const readyPromise = ready ? Promise.resolve() : new Promise<void>((r) => (resolve = r));
  const state = createAuthState(ctx, () => isReady, readyPromise);
  const notified: number[] = [];
  state.subscribe(() => notified.push(notified.length));
  return {
    ctx,
    state,
    notified,
    start: async () => {
      isReady = true;
      resolve();
      await readyPromise;
    },
  };
}

describe('auth state snapshot', () => {
  it('is starting until start-up settles, then signed out', async () => {
    const { state, start, notified } = setup(false);
    expect(state.getSnapshot().status).toBe('starting');
    await start();
    expect(state.getSnapshot()).toMatchObject({ status: 'signedOut', account: null, accounts: [] });
    expect(notified).toHaveLength(1);
  });

  it('follows the cache: a written account signs in, its removal signs out', () => {
    const { ctx, state } = setup();
    const alice = account('alice', { clientId: 'spa' });
    ctx.cache.write(atWrite(alice, 'at', ['api']));
    const signedIn = state.getSnapshot();
    expect(signedIn.status).toBe('signedIn');
    expect(signedIn.account?.homeAccountId).toBe(alice.homeAccountId);
    expect(signedIn.accounts).toHaveLength(1);
    expect(Object.isFrozen(signedIn)).toBe(true);
    ctx.cache.removeAccount(alice.homeAccountId);
    expect(state.getSnapshot()).toMatchObject({ status: 'signedOut', account: null });
  });

  it('is the same object until something changes', () => {
    const { ctx, state, notified } = setup();
    const first = state.getSnapshot();
    expect(state.getSnapshot()).toBe(first);
    // Silent cache hits and unrelated events change nothing.
    ctx.events.emit('msal:acquireTokenStart', 'silent', { scopes: ['api'] });
    ctx.events.emit('msal:handleRedirectStart', 'redirect', null);
    expect(state.getSnapshot()).toBe(first);
    expect(notified).toHaveLength(0);
  });

  it('reports a popup or redirect in progress as a status, and ends it on success or failure', () => {
    const { ctx, state } = setup();
    ctx.events.emit('msal:loginStart', 'popup', {});
    expect(state.getSnapshot()).toMatchObject({
      status: 'interacting',
      interaction: { kind: 'login', type: 'popup' },
    });
    const error = new BrowserAuthError('user_cancelled', 'closed');
    ctx.events.emit('msal:loginFailure', 'popup', null, error);
    expect(state.getSnapshot()).toMatchObject({ status: 'signedOut', interaction: null, error });

    ctx.events.emit('msal:logoutStart', 'redirect', null);
    expect(state.getSnapshot().interaction).toEqual({ kind: 'logout', type: 'redirect' });
    ctx.events.emit('msal:logoutSuccess', 'redirect', null);
    expect(state.getSnapshot()).toMatchObject({ interaction: null, error: null });
  });

  it('keeps the last error of a silent flow until a later success', () => {
    const { ctx, state } = setup();
    const error = new BrowserAuthError('network_error', 'offline');
    ctx.events.emit('msal:acquireTokenFailure', 'silent', null, error);
    expect(state.getSnapshot()).toMatchObject({ status: 'signedOut', error, interaction: null });
    ctx.events.emit('msal:acquireTokenStart', 'silent', { scopes: ['api'] });
    expect(state.getSnapshot().error).toBe(error);
  });

  it('STARTING_SNAPSHOT is a signed-out picture of start-up', () => {
    expect(STARTING_SNAPSHOT).toMatchObject({ status: 'starting', account: null, accounts: [] });
  });
});

describe('UserAgentApplication.getSnapshot / subscribe', () => {
  it('without a window: starting, then signed out; listeners hear the change', async () => {
    const app = new UserAgentApplication({
      auth: {
        clientId: 'spa',
        authority: 'https://idp.example',
        redirectUri: 'https://app.example/',
      },
      system: { ports: { fetch: () => Promise.reject(new Error('no network')) } },
    });
    const seen: string[] = [];
    const unsubscribe = app.subscribe(() => seen.push(app.getSnapshot().status));
    expect(app.getSnapshot().status).toBe('starting');
    await app.handleRedirectPromise();
    await Promise.resolve();
    expect(app.getSnapshot().status).toBe('signedOut');
    expect(seen).toEqual(['signedOut']);
    unsubscribe();
    // A failed silent request is the last error, and a status change nobody hears now.
    await expect(app.acquireTokenSilent({ scopes: ['api'] })).rejects.toThrow();
    expect(app.getSnapshot().error?.errorCode).toBe('no_account');
    expect(seen).toEqual(['signedOut']);
  });
});
