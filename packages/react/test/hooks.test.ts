// @vitest-environment happy-dom
// The hooks against a fake client, in StrictMode, failing on any act() warning.
import { createElement, StrictMode, Suspense, type ReactNode } from 'react';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import {
  AuthenticatedTemplate,
  MsalProvider,
  UnauthenticatedTemplate,
  useAccessToken,
  useAccessTokenSuspense,
  useAccount,
  useAuthFetch,
  useIsAuthenticated,
  useMsal,
  useMsalAuthentication,
  type AccessTokenOptions,
} from '../src/index.js';
import {
  alice,
  FakeClient,
  inProgressError,
  interactionRequired,
  LIFETIME_MS,
  signedIn,
  tokenFor,
} from './fakes.js';
import type { AuthResponse } from '@tessera/browser';
import { App } from './msal-react-app.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let container: HTMLElement;
let consoleError: MockInstance<typeof console.error>;

beforeEach(() => {
  consoleError = vi.spyOn(console, 'error');
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  // A state update outside act() means a test saw a half-rendered tree: fail on it.
  const warnings = consoleError.mock.calls.filter((args: unknown[]) =>
    String(args[0]).includes('act('),
  );
  consoleError.mockRestore();
  expect(warnings).toEqual([]);
});

/** Runs `fn` inside act() and lets the promise callbacks it started settle. */
async function change(fn: () => void): Promise<void> {
  await act(async () => {
    fn();
    await Promise.resolve();
  });
}

/** Moves the fake clock (firing due timers) inside act() and lets the calls they start settle. */
async function advance(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

/** Renews a minute before expiry: the hooks' margin (renewal.ts), inside the core's 300 s offset. */
const RENEW_AT = LIFETIME_MS - 60_000;

/** A client whose silent calls answer t1, t2, ... (each valid for an hour from its answer). */
function countingClient(): FakeClient {
  const client = new FakeClient(signedIn);
  let n = 0;
  client.silent = (request) => Promise.resolve(tokenFor(request.scopes ?? [], `t${++n}`));
  return client;
}

async function render(client: FakeClient, ...children: ReactNode[]): Promise<void> {
  await change(() => {
    root.render(
      createElement(
        StrictMode,
        null,
        createElement(MsalProvider, { instance: client }, ...children),
      ),
    );
  });
}

const text = () => container.textContent ?? '';

function Status(): ReactNode {
  const { inProgress, accounts } = useMsal();
  const account = useAccount();
  const authenticated = useIsAuthenticated();
  return `${inProgress}|${accounts.length}|${account?.name ?? '-'}|${authenticated};`;
}

function Token({
  scopes = ['api'],
  ...options
}: AccessTokenOptions & { scopes?: string[] }): ReactNode {
  const { token, status, error } = useAccessToken({ scopes }, options);
  return `[${status}:${token ?? error?.errorCode ?? '-'}]`;
}

describe('useMsal, useAccount, useIsAuthenticated and the templates', () => {
  it('follow the core snapshot: startup, sign-in, interaction', async () => {
    const client = new FakeClient({ status: 'starting' });
    await render(
      client,
      createElement(Status),
      createElement(AuthenticatedTemplate, null, 'IN'),
      createElement(UnauthenticatedTemplate, null, 'OUT'),
    );
    expect(text()).toBe('startup|0|-|false;');
    await change(() => client.setSnapshot({ status: 'signedOut' }));
    expect(text()).toBe('none|0|-|false;OUT');
    await change(() =>
      client.setSnapshot({ status: 'interacting', interaction: { kind: 'login', type: 'popup' } }),
    );
    expect(text()).toBe('login|0|-|false;');
    await change(() => client.setSnapshot({ ...signedIn, interaction: null }));
    expect(text()).toBe('none|1|Alice|true;IN');
  });

  it('unsubscribes from the core on unmount', async () => {
    const client = new FakeClient();
    await render(client, createElement(Status));
    expect(client.listenerCount).toBeGreaterThan(0);
    act(() => root.unmount());
    expect(client.listenerCount).toBe(0);
    root = createRoot(container);
  });
});

describe('useAccessToken', () => {
  it('five components asking for the same token in StrictMode make one call', async () => {
    const client = new FakeClient(signedIn);
    await render(client, ...[1, 2, 3, 4, 5].map((key) => createElement(Token, { key })));
    expect(text()).toBe('[success:at-api]'.repeat(5));
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(1);
  });

  it('is idle while signed out and asks once someone signs in', async () => {
    const client = new FakeClient();
    await render(client, createElement(Token));
    expect(text()).toBe('[idle:-]');
    expect(client.calls).toEqual([]);
    await change(() => client.setSnapshot(signedIn));
    expect(text()).toBe('[success:at-api]');
  });

  it('waits while an interaction is in progress: a status, not an error', async () => {
    const client = new FakeClient({
      ...signedIn,
      status: 'interacting',
      interaction: { kind: 'acquireToken', type: 'popup' },
    });
    await render(client, createElement(Token));
    expect(text()).toBe('[loading:-]');
    expect(client.calls).toEqual([]);
    await change(() => client.setSnapshot({ status: 'signedIn', interaction: null }));
    expect(text()).toBe('[success:at-api]');
  });

  it('returns an interaction-required error without a popup unless asked', async () => {
    const client = new FakeClient(signedIn);
    client.silent = () => Promise.reject(interactionRequired());
    await render(client, createElement(Token));
    expect(text()).toBe('[error:interaction_required]');
    expect(client.callsOf('acquireTokenPopup')).toEqual([]);
  });

  it('falls back to a popup when asked, on interaction-required only', async () => {
    const client = new FakeClient(signedIn);
    client.silent = () => Promise.reject(interactionRequired());
    await render(client, createElement(Token, { interactionType: 'popup' }));
    expect(text()).toBe('[success:popup-token]');
    expect(client.callsOf('acquireTokenPopup')).toHaveLength(1);
  });

  it('does not open a popup for a network error, even when asked', async () => {
    const client = new FakeClient(signedIn);
    const { BrowserAuthError } = await import('@tessera/browser');
    client.silent = () => Promise.reject(new BrowserAuthError('network_error', 'offline'));
    await render(client, createElement(Token, { interactionType: 'popup' }));
    expect(text()).toBe('[error:network_error]');
    expect(client.callsOf('acquireTokenPopup')).toEqual([]);
  });

  it('treats interaction_in_progress from the fallback as waiting, then asks again', async () => {
    const client = new FakeClient(signedIn);
    client.silent = () => Promise.reject(interactionRequired());
    client.popup = () => Promise.reject(inProgressError());
    await render(client, createElement(Token, { interactionType: 'popup' }));
    expect(text()).toBe('[loading:-]');
    client.silent = (request) => Promise.resolve(tokenFor(request.scopes ?? []));
    await change(() =>
      client.setSnapshot({ status: 'interacting', interaction: { kind: 'login', type: 'popup' } }),
    );
    await change(() => client.setSnapshot({ status: 'signedIn', interaction: null }));
    expect(text()).toBe('[success:at-api]');
  });
});

describe('useAccessToken keeps the token fresh', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks again a minute before expiresOn and shows the new token, staying success meanwhile', async () => {
    const client = countingClient();
    await render(client, createElement(Token));
    expect(text()).toBe('[success:t1]');
    let answer: (response: AuthResponse) => void = () => undefined;
    client.silent = () => new Promise((resolve) => (answer = resolve));
    await advance(RENEW_AT - 1);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(1);
    await advance(1);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
    expect(client.callsOf('acquireTokenSilent')[1]?.request).toEqual({ scopes: ['api'] });
    // The renewal is under way: the token still valid for a minute is still shown.
    expect(text()).toBe('[success:t1]');
    await change(() => answer(tokenFor(['api'], 't2')));
    expect(text()).toBe('[success:t2]');
    // And the next renewal is scheduled from the new token's expiry.
    client.silent = (request) => Promise.resolve(tokenFor(request.scopes ?? [], 't3'));
    await advance(RENEW_AT);
    expect(text()).toBe('[success:t3]');
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(3);
  });

  it('five components in StrictMode make one call per renewal', async () => {
    const client = countingClient();
    await render(client, ...[1, 2, 3, 4, 5].map((key) => createElement(Token, { key })));
    expect(text()).toBe('[success:t1]'.repeat(5));
    expect(vi.getTimerCount()).toBe(5); // one pending renewal per component, none doubled
    let answer: (response: AuthResponse) => void = () => undefined;
    client.silent = () => new Promise((resolve) => (answer = resolve)); // on the network
    await advance(RENEW_AT);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
    await change(() => answer(tokenFor(['api'], 't2')));
    expect(text()).toBe('[success:t2]'.repeat(5));
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(5);
  });

  it('leaves no timer after unmount, and asks nothing more', async () => {
    const client = countingClient();
    await render(client, createElement(Token));
    expect(vi.getTimerCount()).toBe(1); // StrictMode's second effect run cleared the first one's
    act(() => root.unmount());
    root = createRoot(container);
    expect(vi.getTimerCount()).toBe(0);
    await advance(2 * LIFETIME_MS);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(1);
  });

  it('cancels the renewal of a request it no longer shows', async () => {
    const client = countingClient();
    await render(client, createElement(Token, { scopes: ['a'] }));
    await advance(10 * 60_000);
    await render(client, createElement(Token, { scopes: ['b'] }));
    expect(text()).toBe('[success:t2]');
    expect(vi.getTimerCount()).toBe(1);
    await advance(RENEW_AT - 10 * 60_000); // when a's token would have been renewed
    expect(client.calls.map((c) => c.request?.scopes)).toEqual([['a'], ['b']]);
    await advance(10 * 60_000);
    expect(client.calls.map((c) => c.request?.scopes)).toEqual([['a'], ['b'], ['b']]);
    expect(text()).toBe('[success:t3]');
  });

  it('a failed renewal keeps the valid token and tries again at expiry; only then the error', async () => {
    const client = countingClient();
    await render(client, createElement(Token));
    const { BrowserAuthError } = await import('@tessera/browser');
    client.silent = () => Promise.reject(new BrowserAuthError('network_error', 'offline'));
    await advance(RENEW_AT);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
    expect(text()).toBe('[success:t1]');
    await advance(60_000 - 1);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
    await advance(1);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(3);
    expect(text()).toBe('[error:network_error]');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a renewal never opens a popup, even when the first request may: no user gesture', async () => {
    const client = countingClient();
    await render(client, createElement(Token, { interactionType: 'popup' }));
    expect(text()).toBe('[success:t1]');
    client.silent = () => Promise.reject(interactionRequired());
    await advance(RENEW_AT);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
    expect(client.callsOf('acquireTokenPopup')).toHaveLength(0);
    expect(text()).toBe('[success:t1]');
  });

  it('a renewal that brings back the same token waits until it expires, without a loop', async () => {
    const client = countingClient();
    await render(client, createElement(Token));
    const first = tokenFor(['api'], 't1'); // same expiry as the token shown
    first.expiresOn = new Date(Date.now() + LIFETIME_MS);
    client.silent = () => Promise.resolve(first);
    await advance(RENEW_AT);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
    await advance(60_000 - 1);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
    client.silent = (request) => Promise.resolve(tokenFor(request.scopes ?? [], 't2'));
    await advance(1);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(3);
    expect(text()).toBe('[success:t2]');
  });

  it('asks at once when the page becomes visible after the renewal fell due', async () => {
    const client = countingClient();
    await render(client, createElement(Token));
    // The machine slept: the clock moved, the timer did not fire.
    vi.setSystemTime(Date.now() + 2 * LIFETIME_MS);
    await change(() => document.dispatchEvent(new Event('visibilitychange')));
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
    expect(text()).toBe('[success:t2]');
    expect(vi.getTimerCount()).toBe(1);
  });

  it('a visible page before the renewal is due asks nothing', async () => {
    const client = countingClient();
    await render(client, createElement(Token));
    await change(() => document.dispatchEvent(new Event('visibilitychange')));
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(1);
  });
});

describe('useMsalAuthentication', () => {
  function Auth({ type }: { type: 'popup' | 'redirect' | 'silent' }): ReactNode {
    const { result, error } = useMsalAuthentication(type, { scopes: ['api'] });
    return `${result?.accessToken ?? '-'}|${error?.errorCode ?? '-'}`;
  }

  it('signs in once in StrictMode, then acquires a token once', async () => {
    const client = new FakeClient();
    await render(client, createElement(Auth, { type: 'popup' }));
    expect(client.callsOf('loginPopup')).toHaveLength(1);
    await change(() => client.setSnapshot(signedIn));
    expect(client.callsOf('loginPopup')).toHaveLength(1);
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(1);
    expect(text()).toBe('at-api|-');
  });

  it('starts nothing while the core is starting or an interaction is under way', async () => {
    const client = new FakeClient({ status: 'starting' });
    await render(client, createElement(Auth, { type: 'redirect' }));
    await change(() =>
      client.setSnapshot({ status: 'interacting', interaction: { kind: 'login', type: 'popup' } }),
    );
    expect(client.calls).toEqual([]);
  });

  it('reports a failed sign-in instead of starting another one', async () => {
    const client = new FakeClient({ status: 'signedOut', error: interactionRequired() });
    await render(client, createElement(Auth, { type: 'redirect' }));
    expect(client.calls).toEqual([]);
    expect(text()).toBe('-|interaction_required');
  });
});

describe('useAuthFetch', () => {
  it('attaches the token to mapped URLs only, with a stable function', async () => {
    const client = new FakeClient(signedIn);
    const sent: Request[] = [];
    const fetch = (input: string | URL | Request, init?: RequestInit) => {
      sent.push(new Request(input, init));
      return Promise.resolve(new Response('ok'));
    };
    const seen: unknown[] = [];
    function Caller(): ReactNode {
      seen.push(useAuthFetch({ 'https://api.example/': ['api'] }, { fetch }));
      return null;
    }
    await render(client, createElement(Caller));
    await change(() => client.setSnapshot({ accounts: [alice] }));
    expect(new Set(seen).size).toBe(1);
    const authFetch = seen[0] as typeof globalThis.fetch;
    await authFetch('https://api.example/orders');
    await authFetch('https://other.example/');
    expect(sent.map((r) => r.headers.get('authorization'))).toEqual(['Bearer at-api', null]);
  });
});

describe('an app written for msal-react', () => {
  it('runs with only its imports changed', async () => {
    const client = new FakeClient(signedIn);
    await render(client, createElement(App, { instance: client }));
    expect(text()).toContain('Alice token:at-User.Read');
    expect(text()).toContain('auto:ok');
    expect(text()).toContain('accounts:1');
  });
});

describe('useAccessTokenSuspense', () => {
  function SuspenseToken(): ReactNode {
    const response = useAccessTokenSuspense({ scopes: ['api'] });
    return `<${response?.accessToken ?? 'signed out'}>`;
  }
  const tree = (n: number) =>
    createElement(
      Suspense,
      { fallback: 'waiting' },
      ...Array.from({ length: n }, (_, key) => createElement(SuspenseToken, { key })),
    );

  it('suspends until the token is there; five readers, one call', async () => {
    const client = new FakeClient(signedIn);
    let answer: (response: AuthResponse) => void = () => undefined;
    client.silent = () => new Promise((resolve) => (answer = resolve));
    await render(client, tree(5));
    expect(text()).toBe('waiting');
    const expiresOn = new Date(Date.now() + 3_600_000);
    await change(() => answer({ ...tokenFor(['api']), expiresOn }));
    expect(text()).toBe('<at-api>'.repeat(5));
    expect(client.callsOf('acquireTokenSilent')).toHaveLength(1);
  });

  it('returns null while signed out, without a request', async () => {
    const client = new FakeClient();
    await render(client, tree(1));
    expect(text()).toBe('<signed out>');
    expect(client.calls).toEqual([]);
  });

  describe('keeps the token fresh', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('renews before expiry and re-renders every reader, with one call and no suspending', async () => {
      const client = countingClient();
      await render(client, tree(3));
      expect(text()).toBe('<t1>'.repeat(3));
      let answer: (response: AuthResponse) => void = () => undefined;
      client.silent = () => new Promise((resolve) => (answer = resolve));
      await advance(RENEW_AT);
      expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
      expect(text()).toBe('<t1>'.repeat(3)); // no fallback while renewing
      await change(() => answer(tokenFor(['api'], 't2')));
      expect(text()).toBe('<t2>'.repeat(3));
      client.silent = (request) => Promise.resolve(tokenFor(request.scopes ?? [], 't3'));
      await advance(RENEW_AT);
      expect(text()).toBe('<t3>'.repeat(3));
      expect(client.callsOf('acquireTokenSilent')).toHaveLength(3);
    });

    it('leaves no timer after unmount', async () => {
      const client = countingClient();
      await render(client, tree(2));
      expect(vi.getTimerCount()).toBe(2);
      act(() => root.unmount());
      root = createRoot(container);
      expect(vi.getTimerCount()).toBe(0);
      await advance(2 * LIFETIME_MS);
      expect(client.callsOf('acquireTokenSilent')).toHaveLength(1);
    });

    it('never serves an expired cached token: a reader mounted later suspends and gets a new one', async () => {
      const client = countingClient();
      await render(client, tree(1));
      expect(text()).toBe('<t1>');
      act(() => root.unmount()); // nobody left to renew it
      root = createRoot(container);
      await advance(LIFETIME_MS - 1);
      await render(client, tree(1));
      expect(text()).toBe('<t1>'); // still valid: served from the shared cache, no call
      expect(client.callsOf('acquireTokenSilent')).toHaveLength(1);
      act(() => root.unmount());
      root = createRoot(container);
      await advance(1);
      let answer: (response: AuthResponse) => void = () => undefined;
      client.silent = () => new Promise((resolve) => (answer = resolve));
      await render(client, tree(1));
      expect(text()).toBe('waiting');
      expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
      await change(() => answer(tokenFor(['api'], 't2')));
      expect(text()).toBe('<t2>');
    });

    it('a failed renewal keeps the token until it expires, then suspends and asks again', async () => {
      const client = countingClient();
      await render(client, tree(1));
      const { BrowserAuthError } = await import('@tessera/browser');
      client.silent = () => Promise.reject(new BrowserAuthError('network_error', 'offline'));
      await advance(RENEW_AT);
      expect(client.callsOf('acquireTokenSilent')).toHaveLength(2);
      expect(text()).toBe('<t1>');
      let answer: (response: AuthResponse) => void = () => undefined;
      client.silent = () => new Promise((resolve) => (answer = resolve));
      await advance(60_000);
      expect(text()).toBe('waiting');
      expect(client.callsOf('acquireTokenSilent')).toHaveLength(3);
      await change(() => answer(tokenFor(['api'], 't2')));
      expect(text()).toBe('<t2>');
    });
  });
});
