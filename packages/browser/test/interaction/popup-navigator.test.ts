import { describe, expect, it } from 'vitest';
import { isAuthError } from '../../src/errors/auth-error.js';
import {
  MONITOR_WINDOW_TIMEOUT,
  POPUP_WINDOW_ERROR,
  USER_CANCELLED,
} from '../../src/errors/error-codes.js';
import { openPopup, type OpenPopupOptions } from '../../src/interaction/popup-navigator.js';
import {
  createResponseMessage,
  POPUP_MARKER_PREFIX,
} from '../../src/interaction/response-message.js';
import {
  broadcast,
  FakePopup,
  FakeWindow,
  ManualTimers,
  RecordingLogger,
  tick,
  track,
} from './fakes.js';

const ORIGIN = 'https://app.example';
const REDIRECT_URI = `${ORIGIN}/callback`;
const AUTHORIZE = new URL('https://idp.example/authorize?client_id=x');
const TIMEOUT = 60_000;

function setup(options: Partial<OpenPopupOptions> = {}) {
  const win = new FakeWindow(`${ORIGIN}/app`);
  const popup = new FakePopup();
  win.nextPopup = popup;
  const timers = new ManualTimers();
  const logger = new RecordingLogger();
  const handle = openPopup(win.asWindow(), { timers, logger, ...options });
  return { win, popup, timers, logger, handle };
}

function codeOf(error: unknown): string | undefined {
  return isAuthError(error) ? error.errorCode : undefined;
}

/** Starts a navigation with a fresh state; returns the state and the observed promise. */
function navigate(handle: ReturnType<typeof openPopup>, signal?: AbortSignal) {
  const state = `state-${Math.random().toString(36).slice(2)}`;
  const promise = handle.navigate(AUTHORIZE, {
    state,
    redirectUri: REDIRECT_URI,
    timeoutMs: TIMEOUT,
    signal,
  });
  return { state, promise, result: track(promise) };
}

describe('openPopup', () => {
  it('opens about:blank synchronously, with our name prefix, centred, default 483x600', () => {
    const { win, popup } = setup();
    expect(win.openCalls).toHaveLength(1);
    const call = win.openCalls[0];
    expect(call?.url).toBe('about:blank');
    expect(call?.target).toMatch(/^tessera\.v1\.popup\.[0-9a-f]{16}$/);
    // left = 100 + (1200 - 483) / 2, top = 50 + (800 - 600) / 2
    expect(call?.features).toBe('width=483,height=600,left=459,top=150');
    expect(popup.focusCalls).toBe(1);
  });

  it('uses a given size and name (prefixed)', () => {
    const { win } = setup({ width: 500, height: 400, name: 'mine' });
    expect(win.openCalls[0]?.target).toBe('tessera.v1.popup.mine');
    expect(win.openCalls[0]?.features).toBe('width=500,height=400,left=450,top=250');
  });

  it.each([
    ['returns null (blocked)', null],
    ['throws', 'throw' as const],
  ])('throws popup_window_error synchronously when window.open %s', (_label, next) => {
    const win = new FakeWindow(`${ORIGIN}/app`);
    win.nextPopup = next;
    const timers = new ManualTimers();
    let thrown: unknown;
    try {
      openPopup(win.asWindow(), { timers, logger: new RecordingLogger() });
    } catch (error) {
      thrown = error;
    }
    expect(codeOf(thrown)).toBe(POPUP_WINDOW_ERROR);
  });

  it('treats a popup that is closed right away as blocked', () => {
    const win = new FakeWindow(`${ORIGIN}/app`);
    const popup = new FakePopup();
    popup.closed = true;
    win.nextPopup = popup;
    expect(() =>
      openPopup(win.asWindow(), { timers: new ManualTimers(), logger: new RecordingLogger() }),
    ).toThrow(expect.objectContaining({ errorCode: POPUP_WINDOW_ERROR }) as Error);
  });
});

describe('PopupHandle.navigate', () => {
  it('navigates the popup and resolves with the posted response; cleans up everything', async () => {
    const { win, popup, timers, handle } = setup();
    const { state, promise } = navigate(handle);
    expect(popup.navigations).toEqual([AUTHORIZE.href]);
    expect(win.localStorage.getItem(`${POPUP_MARKER_PREFIX}${state}`)).not.toBeNull();

    popup.crossOrigin = true;
    timers.advance(1_000);
    const callback = `${REDIRECT_URI}?code=c&state=${state}`;
    win.receive(createResponseMessage(state, callback), ORIGIN, popup);

    expect((await promise).href).toBe(callback);
    expect(popup.closeCalls).toBe(1);
    expect(win.messageListeners).toBe(0);
    expect(timers.pending).toBe(0);
    expect(win.localStorage.getItem(`${POPUP_MARKER_PREFIX}${state}`)).toBeNull();
  });

  it('sweeps the expired markers of earlier flows and keeps unexpired and foreign keys', () => {
    const { win, handle } = setup();
    const storage = win.localStorage;
    storage.setItem(`${POPUP_MARKER_PREFIX}old`, String(Date.now() - 1));
    storage.setItem(`${POPUP_MARKER_PREFIX}live`, String(Date.now() + 60_000));
    storage.setItem('someone.else', '0');
    const { state } = navigate(handle);
    expect(storage.keys().sort()).toEqual(
      [`${POPUP_MARKER_PREFIX}live`, `${POPUP_MARKER_PREFIX}${state}`, 'someone.else'].sort(),
    );
  });

  it('ignores a response posted by a window other than the popup', async () => {
    const { win, timers, handle } = setup();
    const { state, result } = navigate(handle);
    win.receive(createResponseMessage(state, `${REDIRECT_URI}?code=c&state=${state}`), ORIGIN, {});
    await tick();
    expect(result.state).toBe('pending');
    timers.advance(TIMEOUT);
    await tick();
    expect(codeOf(result.error)).toBe(MONITOR_WINDOW_TIMEOUT);
  });

  it('closed after being seen on the cross-origin provider page: user_cancelled after a short grace', async () => {
    const { popup, timers, handle } = setup();
    const { result } = navigate(handle);

    popup.crossOrigin = true; // provider page loaded, opener still attached
    timers.advance(1000); // seen there for the confirmation stretch
    popup.closed = true; // the user closes it
    timers.advance(100); // poll notices
    timers.advance(399);
    await tick();
    expect(result.state).toBe('pending'); // a response may still be in flight

    timers.advance(1);
    await tick();
    expect(result.state).toBe('rejected');
    expect(codeOf(result.error)).toBe(USER_CANCELLED);
    expect(timers.now).toBeLessThan(2_000); // far from the 60 s timeout
    expect(timers.pending).toBe(0);
  });

  it('a brief cross-origin blip before closed (Chromium applying COOP) is not a user close', async () => {
    const { popup, timers, handle } = setup();
    const { result } = navigate(handle);
    popup.crossOrigin = true; // Chromium shows the COOP page as cross-origin for a moment ...
    timers.advance(100);
    popup.closed = true; // ... then the opener reads the severed popup as closed
    timers.advance(100);
    timers.advance(5_000);
    await tick();
    expect(result.state).toBe('pending'); // still waiting for the BroadcastChannel response
  });

  it('a response that arrives during the grace still wins', async () => {
    const { win, popup, timers, handle } = setup();
    const { state, promise } = navigate(handle);
    popup.href = `${REDIRECT_URI}?code=c&state=${state}`; // same-origin callback page shown
    timers.advance(100);
    popup.closed = true; // the callback page closed itself after posting
    timers.advance(200);
    win.receive(createResponseMessage(state, popup.href), ORIGIN, popup);
    expect((await promise).href).toBe(popup.href);
  });

  it('closed without ever being seen on the provider (COOP severed it): still resolves over BroadcastChannel', async () => {
    const { popup, timers, logger, handle } = setup();
    const { state, promise, result } = navigate(handle);

    // COOP on the provider's first page: the opener reads closed while the popup lives on.
    timers.advance(100);
    popup.closed = true;
    timers.advance(30_000);
    await tick();
    expect(result.state).toBe('pending');
    expect(logger.at('info').join(' ')).toMatch(/Cross-Origin-Opener-Policy/);

    const callback = `${REDIRECT_URI}?code=c&state=${state}`;
    broadcast(`tessera.v1.response.${state}`, createResponseMessage(state, callback));
    expect((await promise).href).toBe(callback);
    expect(timers.pending).toBe(0);
  });

  it('severed and no response: user_cancelled at the end of the navigate timeout', async () => {
    const { popup, timers, handle } = setup();
    const { result } = navigate(handle);
    timers.advance(100);
    popup.closed = true;
    timers.advance(TIMEOUT - 101);
    await tick();
    expect(result.state).toBe('pending');
    timers.advance(1);
    await tick();
    expect(codeOf(result.error)).toBe(USER_CANCELLED);
  });

  it('severed and no response: user_cancelled after severedGraceMs when given', async () => {
    const { popup, timers, handle } = setup({ severedGraceMs: 5_000 });
    const { result } = navigate(handle);
    timers.advance(200);
    popup.closed = true;
    timers.advance(100);
    timers.advance(4_999);
    await tick();
    expect(result.state).toBe('pending');
    timers.advance(1);
    await tick();
    expect(codeOf(result.error)).toBe(USER_CANCELLED);
    expect(timers.now).toBe(5_300);
  });

  it('times out with monitor_window_timeout and closes the popup', async () => {
    const { win, popup, timers, handle } = setup();
    const { result } = navigate(handle);
    popup.crossOrigin = true;
    timers.advance(TIMEOUT);
    await tick();
    expect(codeOf(result.error)).toBe(MONITOR_WINDOW_TIMEOUT);
    expect(popup.closeCalls).toBe(1);
    expect(win.messageListeners).toBe(0);
    expect(timers.pending).toBe(0);
  });

  it('rejects user_cancelled at once when the popup was closed before navigating', async () => {
    const { popup, handle } = setup();
    popup.closed = true;
    const { promise } = navigate(handle);
    const error = await promise.catch((e: unknown) => e);
    expect(codeOf(error)).toBe(USER_CANCELLED);
    expect(popup.navigations).toEqual([]);
  });

  it('aborting closes the popup and rejects', async () => {
    const { win, popup, timers, handle } = setup();
    const controller = new AbortController();
    const { promise } = navigate(handle, controller.signal);
    controller.abort();
    const error = await promise.catch((e: unknown) => e);
    expect(codeOf(error)).toBe(USER_CANCELLED);
    expect(popup.closeCalls).toBe(1);
    expect(win.messageListeners).toBe(0);
    expect(timers.pending).toBe(0);
  });

  it('a handle navigates once', async () => {
    const { timers, handle } = setup();
    const first = navigate(handle);
    const second = navigate(handle);
    expect(codeOf(await second.promise.catch((e: unknown) => e))).toBe(POPUP_WINDOW_ERROR);
    timers.advance(TIMEOUT);
    await tick();
    expect(codeOf(first.result.error)).toBe(MONITOR_WINDOW_TIMEOUT);
  });

  it('close() is idempotent', () => {
    const { popup, handle } = setup();
    handle.close();
    handle.close();
    expect(popup.closeCalls).toBe(1);
  });
});

describe('PopupHandle.navigateUntilReturn', () => {
  const LOGOUT = new URL('https://idp.example/logout');

  it('resolves once the popup is back on the return URL, and closes it', async () => {
    const { popup, timers, handle } = setup();
    const result = track(
      handle.navigateUntilReturn(LOGOUT, { returnUrl: `${ORIGIN}/signed-out`, timeoutMs: TIMEOUT }),
    );
    expect(popup.navigations).toEqual([LOGOUT.href]);
    popup.crossOrigin = true;
    timers.advance(500);
    await tick();
    expect(result.state).toBe('pending');
    popup.crossOrigin = false;
    popup.href = `${ORIGIN}/signed-out?x=1`;
    timers.advance(100);
    await tick();
    expect(result.state).toBe('fulfilled');
    expect(popup.closeCalls).toBe(1);
    expect(timers.pending).toBe(0);
  });

  it('resolves when the popup reads as closed', async () => {
    const { popup, timers, handle } = setup();
    const result = track(
      handle.navigateUntilReturn(LOGOUT, { returnUrl: `${ORIGIN}/`, timeoutMs: TIMEOUT }),
    );
    popup.closed = true;
    timers.advance(100);
    await tick();
    expect(result.state).toBe('fulfilled');
  });

  it('times out with monitor_window_timeout', async () => {
    const { popup, timers, handle } = setup();
    const result = track(
      handle.navigateUntilReturn(LOGOUT, { returnUrl: `${ORIGIN}/`, timeoutMs: 1_000 }),
    );
    popup.crossOrigin = true;
    timers.advance(1_000);
    await tick();
    expect(codeOf(result.error)).toBe(MONITOR_WINDOW_TIMEOUT);
    expect(popup.closeCalls).toBe(1);
  });
});
