import { describe, expect, it } from 'vitest';
import { BrowserAuthError, isAuthError } from '../../src/errors/auth-error.js';
import { MONITOR_WINDOW_TIMEOUT, USER_CANCELLED } from '../../src/errors/error-codes.js';
import { waitForResponse } from '../../src/interaction/popup-navigator.js';
import { createResponseMessage } from '../../src/interaction/response-message.js';
import { broadcast, FakeWindow, tick, track, trackingBroadcastChannel } from './fakes.js';

const ORIGIN = 'https://app.example';
const REDIRECT_URI = `${ORIGIN}/callback`;
const STATE = 'state-abc';
const CALLBACK = `${REDIRECT_URI}?code=the-code&state=${STATE}`;

function setup(extra: { source?: unknown; signal?: AbortSignal } = {}) {
  const win = new FakeWindow(`${ORIGIN}/page`);
  const channels = trackingBroadcastChannel();
  const wait = waitForResponse({
    window: win.asWindow(),
    state: STATE,
    redirectUri: REDIRECT_URI,
    BroadcastChannel: channels.Ctor,
    ...(extra.source === undefined ? {} : { source: extra.source as MessageEventSource }),
    ...(extra.signal === undefined ? {} : { signal: extra.signal }),
  });
  return { win, channels, wait, result: track(wait.response) };
}

describe('waitForResponse', () => {
  it('accepts a matching response posted from its own origin and disposes everything', async () => {
    const { win, channels, wait, result } = setup();
    expect(win.messageListeners).toBe(1);
    expect(channels.instances).toEqual([{ name: `tessera.v1.response.${STATE}`, closed: false }]);

    win.receive(createResponseMessage(STATE, CALLBACK), ORIGIN);
    const url = await wait.response;

    expect(url.href).toBe(CALLBACK);
    expect(result.state).toBe('fulfilled');
    expect(win.messageListeners).toBe(0);
    expect(channels.instances[0]?.closed).toBe(true);
  });

  it('accepts a response carried in the fragment', async () => {
    const { win, wait } = setup();
    const fragment = `${REDIRECT_URI}#code=c&state=${STATE}`;
    win.receive(createResponseMessage(STATE, fragment), ORIGIN);
    expect((await wait.response).href).toBe(fragment);
  });

  it('ignores foreign origins, other states and malformed messages', async () => {
    const { win, wait, result } = setup();
    const good = createResponseMessage(STATE, CALLBACK);
    win.receive(good, 'https://evil.example');
    win.receive(good, 'http://app.example'); // scheme differs: another origin
    win.receive(
      createResponseMessage('other-state', CALLBACK.replace(STATE, 'other-state')),
      ORIGIN,
    );
    win.receive({ ...good, state: 'other-state' }, ORIGIN); // envelope and URL disagree
    win.receive(createResponseMessage(STATE, `${REDIRECT_URI}?code=c&state=other`), ORIGIN);
    win.receive(createResponseMessage(STATE, `${ORIGIN}/elsewhere?code=c&state=${STATE}`), ORIGIN);
    win.receive(
      createResponseMessage(STATE, `https://evil.example/callback?code=c&state=${STATE}`),
      ORIGIN,
    );
    win.receive(createResponseMessage(STATE, REDIRECT_URI), ORIGIN); // no response in the URL
    win.receive(createResponseMessage(STATE, 'not a url'), ORIGIN);
    win.receive({ ...good, v: 2 }, ORIGIN);
    win.receive({ ...good, type: 'something_else' }, ORIGIN);
    win.receive('a string', ORIGIN);
    win.receive(null, ORIGIN);
    await tick();
    expect(result.state).toBe('pending');
    expect(win.messageListeners).toBe(1);

    win.receive(good, ORIGIN);
    expect((await wait.response).href).toBe(CALLBACK);
  });

  it('requires the expected source window when one is given', async () => {
    const source = { popup: true };
    const { win, wait, result } = setup({ source });
    win.receive(createResponseMessage(STATE, CALLBACK), ORIGIN, { other: true });
    await tick();
    expect(result.state).toBe('pending');
    win.receive(createResponseMessage(STATE, CALLBACK), ORIGIN, source);
    expect((await wait.response).href).toBe(CALLBACK);
  });

  it('receives the response over the BroadcastChannel of its state', async () => {
    const { win, channels, wait } = setup();
    broadcast(`tessera.v1.response.other`, createResponseMessage(STATE, CALLBACK));
    broadcast(`tessera.v1.response.${STATE}`, { type: 'junk' });
    broadcast(`tessera.v1.response.${STATE}`, createResponseMessage(STATE, CALLBACK));
    expect((await wait.response).href).toBe(CALLBACK);
    expect(win.messageListeners).toBe(0);
    expect(channels.instances[0]?.closed).toBe(true);
  });

  it('rejects with user_cancelled when aborted, and disposes', async () => {
    const controller = new AbortController();
    const { win, channels, wait } = setup({ signal: controller.signal });
    controller.abort();
    const error: unknown = await wait.response.catch((e: unknown) => e);
    expect(isAuthError(error) && error.errorCode).toBe(USER_CANCELLED);
    expect((error as Error).cause).toBeInstanceOf(DOMException);
    expect(win.messageListeners).toBe(0);
    expect(channels.instances[0]?.closed).toBe(true);
  });

  it('passes a Tessera abort reason through unchanged', async () => {
    const reason = new BrowserAuthError(MONITOR_WINDOW_TIMEOUT, 'caller timeout');
    const { wait } = setup({ signal: AbortSignal.abort(reason) });
    await expect(wait.response).rejects.toBe(reason);
  });

  it('dispose() stops listening; the promise then stays pending', async () => {
    const { win, channels, wait, result } = setup();
    wait.dispose();
    wait.dispose(); // idempotent
    expect(win.messageListeners).toBe(0);
    expect(channels.instances[0]?.closed).toBe(true);
    win.receive(createResponseMessage(STATE, CALLBACK), ORIGIN);
    await tick();
    expect(result.state).toBe('pending');
  });
});
