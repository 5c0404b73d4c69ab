import { describe, expect, it } from 'vitest';
import { ClientAuthError, isAuthError } from '../../src/errors/auth-error.js';
import { UNEXPECTED_ERROR, USER_CANCELLED } from '../../src/errors/error-codes.js';
import {
  createRedirectNavigator,
  DefaultNavigationClient,
} from '../../src/interaction/redirect-navigator.js';
import type { NavigationClient } from '../../src/interaction/types.js';
import { FakeWindow, tick, track } from './fakes.js';

const AUTHORIZE = new URL('https://idp.example/authorize?x=1');
const OPTIONS = { state: 's', redirectUri: 'https://app.example/cb', timeoutMs: 1_000 };

function client(result: boolean | Error, calls: unknown[]): NavigationClient {
  const go = (url: string, options: { noHistory: boolean }): Promise<boolean> => {
    calls.push({ url, options });
    return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
  };
  return { navigateInternal: go, navigateExternal: go };
}

describe('createRedirectNavigator', () => {
  it('assigns the location by default and never resolves', async () => {
    const win = new FakeWindow('https://app.example/');
    const result = track(createRedirectNavigator(win.asWindow()).navigate(AUTHORIZE, OPTIONS));
    await tick();
    expect(win.assigned).toEqual([AUTHORIZE.href]);
    expect(result.state).toBe('pending');
  });

  it('goes through the navigation client when one is given', async () => {
    const calls: unknown[] = [];
    const win = new FakeWindow('https://app.example/');
    const navigator = createRedirectNavigator(win.asWindow(), client(true, calls));
    const result = track(navigator.navigate(AUTHORIZE, OPTIONS));
    await tick();
    expect(calls).toEqual([{ url: AUTHORIZE.href, options: { noHistory: false } }]);
    expect(win.assigned).toEqual([]);
    expect(result.state).toBe('pending');
  });

  it('rejects with user_cancelled when the client declines to navigate', async () => {
    const navigator = createRedirectNavigator(new FakeWindow().asWindow(), client(false, []));
    const error = await navigator.navigate(AUTHORIZE, OPTIONS).catch((e: unknown) => e);
    expect(isAuthError(error) && error.errorCode).toBe(USER_CANCELLED);
  });

  it('wraps a failing client as unexpected_error and passes Tessera errors through', async () => {
    const cause = new Error('router exploded');
    const wrapped = await createRedirectNavigator(new FakeWindow().asWindow(), client(cause, []))
      .navigate(AUTHORIZE, OPTIONS)
      .catch((e: unknown) => e);
    expect(isAuthError(wrapped) && wrapped.errorCode).toBe(UNEXPECTED_ERROR);
    expect((wrapped as Error).cause).toBe(cause);

    const own = new ClientAuthError('x', 'y');
    const passed = await createRedirectNavigator(new FakeWindow().asWindow(), client(own, []))
      .navigate(AUTHORIZE, OPTIONS)
      .catch((e: unknown) => e);
    expect(passed).toBe(own);
  });
});

describe('DefaultNavigationClient', () => {
  it('assigns, or replaces with noHistory, for internal and external navigation', async () => {
    const win = new FakeWindow('https://app.example/');
    const nav = new DefaultNavigationClient(win.asWindow());
    expect(await nav.navigateExternal('https://idp.example/a', { noHistory: false })).toBe(true);
    expect(await nav.navigateInternal('https://app.example/b', { noHistory: false })).toBe(true);
    expect(await nav.navigateInternal('https://app.example/c', { noHistory: true })).toBe(true);
    expect(await nav.navigateExternal('https://idp.example/d', { noHistory: true })).toBe(true);
    expect(win.assigned).toEqual(['https://idp.example/a', 'https://app.example/b']);
    expect(win.replaced).toEqual(['https://app.example/c', 'https://idp.example/d']);
  });
});
