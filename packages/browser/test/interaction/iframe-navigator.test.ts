import { describe, expect, it } from 'vitest';
import { isAuthError } from '../../src/errors/auth-error.js';
import { MONITOR_WINDOW_TIMEOUT, USER_CANCELLED } from '../../src/errors/error-codes.js';
import { createIframeNavigator } from '../../src/interaction/iframe-navigator.js';
import { createResponseMessage } from '../../src/interaction/response-message.js';
import { broadcast, FakeWindow, ManualTimers, RecordingLogger, tick, track } from './fakes.js';

const ORIGIN = 'https://app.example';
const REDIRECT_URI = `${ORIGIN}/callback`;
const AUTHORIZE = new URL('https://idp.example/authorize?prompt=none');
const STATE = 'iframe-state';
const CALLBACK = `${REDIRECT_URI}?code=c&state=${STATE}`;

function setup() {
  const win = new FakeWindow(`${ORIGIN}/app`);
  const timers = new ManualTimers();
  const navigator = createIframeNavigator(win.asWindow(), {
    timers,
    logger: new RecordingLogger(),
  });
  return { win, timers, navigator };
}

function codeOf(error: unknown): string | undefined {
  return isAuthError(error) ? error.errorCode : undefined;
}

describe('createIframeNavigator', () => {
  it('loads the URL in a hidden, unfocusable iframe and resolves with the response; removes it', async () => {
    const { win, timers, navigator } = setup();
    const promise = navigator.navigate(AUTHORIZE, {
      state: STATE,
      redirectUri: REDIRECT_URI,
      timeoutMs: 10_000,
    });

    const [iframe] = win.document.iframes();
    expect(iframe).toBeDefined();
    if (iframe === undefined) return;
    expect(iframe.src).toBe(AUTHORIZE.href);
    expect(iframe.name).toMatch(/^tessera\.v1\.iframe\.[0-9a-f]{16}$/);
    expect(iframe.getAttribute('aria-hidden')).toBe('true');
    expect(iframe.getAttribute('tabindex')).toBe('-1');
    expect(iframe.style).toMatchObject({ display: 'none', width: '0', height: '0' });

    win.receive(createResponseMessage(STATE, CALLBACK), ORIGIN, iframe.contentWindow);
    expect((await promise).href).toBe(CALLBACK);
    expect(win.document.iframes()).toHaveLength(0);
    expect(win.messageListeners).toBe(0);
    expect(timers.pending).toBe(0);
  });

  it('accepts the response over BroadcastChannel too', async () => {
    const { win, navigator } = setup();
    const promise = navigator.navigate(AUTHORIZE, {
      state: STATE,
      redirectUri: REDIRECT_URI,
      timeoutMs: 10_000,
    });
    broadcast(`tessera.v1.response.${STATE}`, createResponseMessage(STATE, CALLBACK));
    expect((await promise).href).toBe(CALLBACK);
    expect(win.document.iframes()).toHaveLength(0);
  });

  it('ignores messages from other windows', async () => {
    const { win, timers, navigator } = setup();
    const result = track(
      navigator.navigate(AUTHORIZE, { state: STATE, redirectUri: REDIRECT_URI, timeoutMs: 10_000 }),
    );
    win.receive(createResponseMessage(STATE, CALLBACK), ORIGIN, { someoneElse: true });
    await tick();
    expect(result.state).toBe('pending');
    timers.advance(10_000);
    await tick();
    expect(codeOf(result.error)).toBe(MONITOR_WINDOW_TIMEOUT);
  });

  it('times out with monitor_window_timeout and removes the iframe', async () => {
    const { win, timers, navigator } = setup();
    const result = track(
      navigator.navigate(AUTHORIZE, { state: STATE, redirectUri: REDIRECT_URI, timeoutMs: 10_000 }),
    );
    timers.advance(9_999);
    await tick();
    expect(result.state).toBe('pending');
    expect(win.document.iframes()).toHaveLength(1);
    timers.advance(1);
    await tick();
    expect(codeOf(result.error)).toBe(MONITOR_WINDOW_TIMEOUT);
    expect(win.document.iframes()).toHaveLength(0);
    expect(win.messageListeners).toBe(0);
  });

  it('on abort (error path) rejects and removes the iframe', async () => {
    const { win, timers, navigator } = setup();
    const controller = new AbortController();
    const promise = navigator.navigate(AUTHORIZE, {
      state: STATE,
      redirectUri: REDIRECT_URI,
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    expect(win.document.iframes()).toHaveLength(1);
    controller.abort();
    expect(codeOf(await promise.catch((e: unknown) => e))).toBe(USER_CANCELLED);
    expect(win.document.iframes()).toHaveLength(0);
    expect(timers.pending).toBe(0);
  });

  it('when the frame cannot be attached, rejects and leaves nothing behind', async () => {
    const { win, timers, navigator } = setup();
    win.document.body.appendChild = () => {
      throw new Error('no DOM');
    };
    const error = await navigator
      .navigate(AUTHORIZE, { state: STATE, redirectUri: REDIRECT_URI, timeoutMs: 10_000 })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('no DOM');
    expect(win.messageListeners).toBe(0);
    expect(timers.pending).toBe(0);
  });

  it('does not create a frame when already aborted', async () => {
    const { win, navigator } = setup();
    const promise = navigator.navigate(AUTHORIZE, {
      state: STATE,
      redirectUri: REDIRECT_URI,
      timeoutMs: 10_000,
      signal: AbortSignal.abort(),
    });
    expect(codeOf(await promise.catch((e: unknown) => e))).toBe(USER_CANCELLED);
    expect(win.document.iframes()).toHaveLength(0);
  });
});
