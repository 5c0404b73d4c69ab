import { afterEach, describe, expect, it } from 'vitest';
import {
  completeAuthorizationCallback,
  detectCallbackContext,
} from '../../src/interaction/callback-page.js';
import { setPopupMarker, waitForResponse } from '../../src/interaction/popup-navigator.js';
import { createResponseMessage } from '../../src/interaction/response-message.js';
import { FakeWindow, tick } from './fakes.js';

const ORIGIN = 'https://app.example';
const STATE = 'st-123';
const CALLBACK = `${ORIGIN}/callback?code=the-code&state=${STATE}`;

const listeners: BroadcastChannel[] = [];
afterEach(() => {
  for (const channel of listeners.splice(0)) channel.close();
});

/** Collects what arrives on the response channel of `state`. */
function listen(state = STATE): unknown[] {
  const received: unknown[] = [];
  const channel = new BroadcastChannel(`tessera.v1.response.${state}`);
  channel.onmessage = (event) => received.push(event.data);
  listeners.push(channel);
  return received;
}

function popupPage(href = CALLBACK): { page: FakeWindow; opener: FakeWindow } {
  const page = new FakeWindow(href);
  const opener = new FakeWindow(`${ORIGIN}/app`);
  page.name = 'tessera.v1.popup.abc123';
  page.opener = opener;
  return { page, opener };
}

describe('completeAuthorizationCallback', () => {
  it('in a popup: posts to the opener with its own origin, broadcasts, cleans the URL, closes', async () => {
    const received = listen();
    const { page, opener } = popupPage();

    expect(completeAuthorizationCallback(page.asWindow())).toBe('popup');

    const message = createResponseMessage(STATE, CALLBACK);
    expect(opener.posted).toEqual([{ message, targetOrigin: ORIGIN }]);
    expect(page.history.entries).toEqual([`${ORIGIN}/callback`]);
    await tick(150);
    expect(received).toEqual([message]);
    expect(page.closeCalls).toBe(1);
  });

  it('in our hidden iframe: posts to the parent, broadcasts, never closes', async () => {
    const received = listen();
    const page = new FakeWindow(CALLBACK);
    const parent = new FakeWindow(`${ORIGIN}/app`);
    page.parent = parent;
    page.name = 'tessera.v1.iframe.ff00';

    expect(completeAuthorizationCallback(page.asWindow())).toBe('iframe');

    expect(parent.posted).toEqual([
      { message: createResponseMessage(STATE, CALLBACK), targetOrigin: ORIGIN },
    ]);
    await tick(150);
    expect(received).toHaveLength(1);
    expect(page.closeCalls).toBe(0);
    expect(page.history.entries).toEqual([`${ORIGIN}/callback`]);
  });

  it('after COOP severed the popup (no opener, name reset): recognised by its marker', async () => {
    const received = listen();
    const page = new FakeWindow(CALLBACK);
    // The opener wrote the marker into the shared localStorage before navigating.
    setPopupMarker(page.asWindow(), STATE, Date.now() + 60_000);

    expect(completeAuthorizationCallback(page.asWindow())).toBe('popup');
    await tick(150);
    expect(received).toEqual([createResponseMessage(STATE, CALLBACK)]);
    expect(page.closeCalls).toBe(1);
  });

  it('ignores an expired marker', () => {
    const page = new FakeWindow(CALLBACK);
    setPopupMarker(page.asWindow(), STATE, Date.now() - 1);
    expect(detectCallbackContext(page.asWindow(), STATE)).toBe('none');
  });

  it("top-level redirect: returns 'none' and touches nothing", async () => {
    const received = listen();
    const page = new FakeWindow(CALLBACK);

    expect(completeAuthorizationCallback(page.asWindow())).toBe('none');
    await tick(150);
    expect(received).toEqual([]);
    expect(page.history.entries).toEqual([]);
    expect(page.closeCalls).toBe(0);
  });

  it("a tab merely opened by another page is a top-level redirect ('none')", () => {
    const page = new FakeWindow(CALLBACK);
    const opener = new FakeWindow(`${ORIGIN}/app`);
    page.opener = opener;
    expect(completeAuthorizationCallback(page.asWindow())).toBe('none');
    expect(opener.posted).toEqual([]);
  });

  it("an app embedded in someone's frame completes its own redirect ('none')", () => {
    const page = new FakeWindow(CALLBACK);
    const parent = new FakeWindow('https://portal.example/');
    page.parent = parent;
    expect(completeAuthorizationCallback(page.asWindow())).toBe('none');
    expect(parent.posted).toEqual([]);
  });

  it("returns 'none' when the URL carries no authorization response", () => {
    const { page, opener } = popupPage(`${ORIGIN}/callback?foo=bar`);
    expect(completeAuthorizationCallback(page.asWindow())).toBe('none');
    expect(opener.posted).toEqual([]);
  });

  it('removes a fragment response and keeps the rest of the URL', () => {
    const href = `${ORIGIN}/callback?tab=2#code=c&state=${STATE}`;
    const { page, opener } = popupPage(href);
    expect(completeAuthorizationCallback(page.asWindow())).toBe('popup');
    expect(page.history.entries).toEqual([`${ORIGIN}/callback?tab=2`]);
    expect(opener.posted[0]?.message).toEqual(createResponseMessage(STATE, href));
  });

  it('an error response is handed over like a success', () => {
    const href = `${ORIGIN}/callback?error=login_required&state=${STATE}`;
    const { page, opener } = popupPage(href);
    expect(completeAuthorizationCallback(page.asWindow())).toBe('popup');
    expect(opener.posted[0]?.message).toEqual(createResponseMessage(STATE, href));
  });

  it('end to end: the waiting app accepts what the callback page broadcasts', async () => {
    const app = new FakeWindow(`${ORIGIN}/app`);
    const wait = waitForResponse({
      window: app.asWindow(),
      state: STATE,
      redirectUri: `${ORIGIN}/callback`,
    });
    const page = new FakeWindow(CALLBACK);
    setPopupMarker(page.asWindow(), STATE, Date.now() + 60_000);
    completeAuthorizationCallback(page.asWindow());
    expect((await wait.response).href).toBe(CALLBACK);
  });
});
