// Forged messages while a popup sign-in waits for its response: postMessage from another origin,
// from the right origin but the wrong window or state, malformed envelopes, and forged
// BroadcastChannel messages. Each carries a code the provider would really exchange, so if the
// library took it, the token endpoint would see it. None may be taken; the user then closes the
// popup, and the flow ends as a cancelled one.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { assertInvariants, signIn, snapshot } from './invariants.js';
import type { Session, Snapshot } from './invariants.js';
import { raw } from './provider.js';
import type { ProviderRequest } from './provider.js';
import { countCheck, hostileCase, sleep, useHostileSuite } from './support.js';
import type { Case, Outcome } from './support.js';

const suite = useHostileSuite('messaging');

const MESSAGE_TYPE = 'tessera:authorization_response';

interface Waiting {
  c: Case;
  popup: Page;
  /** The authorization request the popup made (its state, the code the provider holds for it). */
  request: ProviderRequest;
  state: string;
  /** A callback URL that would complete this very request. */
  goodUrl: string;
  before: Snapshot;
  session: Session | undefined;
  /** When the popup showed the provider's page. */
  shownAt: number;
}

/** Starts a popup sign-in and leaves the popup on the provider's page, waiting. */
async function waitingPopup(options: { session?: boolean } = {}): Promise<Waiting> {
  const c = await suite.open();
  const session = options.session === true ? await signIn(c) : undefined;
  suite.provider.script.authorize = () =>
    raw(
      '<!doctype html><link rel=icon href="data:,"><title>provider</title><p>Sign in…</p>',
      'text/html',
    );
  const before = await snapshot(c);
  const opened = c.context.waitForEvent('page');
  await c.page.evaluate(() => {
    const w = window as unknown as { last?: Outcome };
    void window.hostile.popup().then((outcome) => (w.last = outcome));
  });
  const popup = await opened;
  await popup.waitForURL((url) => url.pathname.endsWith('/authorize'));
  const shownAt = Date.now();
  const request = suite.provider.authorizeRequests(before.seq).at(-1)!;
  const state = request.query.get('state') ?? '';
  const goodUrl = `${suite.app.url}/callback.html?${new URLSearchParams({
    code: request.code ?? '',
    state,
    iss: suite.provider.url,
  }).toString()}`;
  return { c, popup, request, state, goodUrl, before, session, shownAt };
}

const envelope = (state: string, url: string) => ({ type: MESSAGE_TYPE, v: 1, state, url });

/** Moves the popup to a page of the app's own origin (no library there). */
async function popupToAppOrigin(w: Waiting): Promise<void> {
  await w.popup.goto(`${suite.app.url}/blank.html`);
}

/**
 * After the forgery: nothing may have happened; then the user closes the popup (after it was
 * seen on a page long enough to count as attached) and the six invariants are checked.
 */
async function userGivesUp(w: Waiting): Promise<void> {
  // Time for the library to (wrongly) act, and for the popup to count as attached: the library
  // takes a close as the user's only after seeing the popup on a page for a second.
  await sleep(Math.max(300, 1200 - (Date.now() - w.shownAt)));
  expect(await w.c.page.evaluate(() => (window as unknown as { last?: Outcome }).last)).toBe(
    undefined,
  );
  await w.popup.close();
  await w.c.page.waitForFunction(
    () => (window as unknown as { last?: Outcome }).last !== undefined,
  );
  const outcome = await w.c.page.evaluate(() => (window as unknown as { last: Outcome }).last);
  await assertInvariants(w.before, outcome, {
    error: { code: 'user_cancelled', name: 'BrowserAuthError' },
    requests: { authorize: 1 },
    ...(w.session !== undefined && { session: w.session }),
  });
}

describe('postMessage', () => {
  hostileCase('a perfect envelope from another origin (the provider page) is ignored', async () => {
    const w = await waitingPopup({ session: true });
    await w.popup.evaluate(
      (message) => (window.opener as Window).postMessage(message, '*'),
      envelope(w.state, w.goodUrl),
    );
    await userGivesUp(w);
  });

  hostileCase(
    'a perfect envelope from the right origin but another window is ignored',
    async () => {
      const w = await waitingPopup();
      await w.c.page.evaluate(async () => {
        const frame = document.createElement('iframe');
        frame.src = '/blank.html';
        frame.name = 'same-origin-other-window';
        const loaded = new Promise((resolve) => frame.addEventListener('load', resolve));
        document.body.append(frame);
        await loaded;
      });
      const frame = w.c.page.frame('same-origin-other-window')!;
      await frame.evaluate(
        (message) => window.parent.postMessage(message, location.origin),
        envelope(w.state, w.goodUrl),
      );
      await userGivesUp(w);
    },
  );

  hostileCase("the right window and origin, another request's state: ignored", async () => {
    const w = await waitingPopup();
    await popupToAppOrigin(w);
    const other = w.goodUrl.replace(w.state, 'bystander-own');
    await w.popup.evaluate(
      (message) => (window.opener as Window).postMessage(message, location.origin),
      envelope('bystander-own', other),
    );
    await userGivesUp(w);
  });

  hostileCase(
    'an envelope whose URL carries another state than the envelope: ignored',
    async () => {
      const w = await waitingPopup({ session: true });
      await popupToAppOrigin(w);
      await w.popup.evaluate(
        (message) => (window.opener as Window).postMessage(message, location.origin),
        envelope(w.state, w.goodUrl.replace(w.state, 'forged-state')),
      );
      await userGivesUp(w);
    },
  );

  hostileCase(
    'an envelope whose URL is not the redirect URI (other path, other origin)',
    async () => {
      const w = await waitingPopup();
      await popupToAppOrigin(w);
      const query = new URL(w.goodUrl).search;
      await w.popup.evaluate(
        (messages) => {
          for (const message of messages)
            (window.opener as Window).postMessage(message, location.origin);
        },
        [
          envelope(w.state, `${suite.app.url}/blank.html${query}`),
          envelope(w.state, `http://evil.test/callback.html${query}`),
          envelope(w.state, `javascript:alert(1)//${query}`),
        ],
      );
      await userGivesUp(w);
    },
  );

  hostileCase('malformed envelopes: ignored, nothing throws', async () => {
    const w = await waitingPopup();
    await popupToAppOrigin(w);
    await w.popup.evaluate(
      ({ state, url, type }) => {
        const post = (message: unknown) =>
          (window.opener as Window).postMessage(message, location.origin);
        for (const message of [
          null,
          'tessera:authorization_response',
          42,
          [type, 1, state, url],
          { type: 'tessera:other', v: 1, state, url },
          { type, v: 2, state, url },
          { type, v: '1', state, url },
          { type, v: 1, state },
          { type, v: 1, state, url: 12345 },
          { type, v: 1, state, url: 'not a url' },
          { type, v: 1, state: [state], url },
          JSON.parse(`{"__proto__":${JSON.stringify({ type, v: 1, state, url })}}`) as unknown,
        ]) {
          post(message);
        }
      },
      { state: w.state, url: w.goodUrl, type: MESSAGE_TYPE },
    );
    await userGivesUp(w);
    expect(w.c.console.filter((line) => line.startsWith('pageerror'))).toEqual([]);
  });
});

describe('BroadcastChannel', () => {
  hostileCase('forged responses and cache notices on the channels: ignored', async () => {
    const w = await waitingPopup({ session: true });
    const query = new URL(w.goodUrl).search;
    await w.c.page.evaluate(
      ({ state, url, query, type, homeAccountId }) => {
        const response = new BroadcastChannel(`tessera.v1.response.${state}`);
        for (const message of [
          { type, v: 1, state, url: `${location.origin}/blank.html${query}` },
          { type, v: 1, state, url: url.replace(state, 'forged-state') },
          { type, v: 1, state: 'forged-state', url },
          { type, v: 2, state, url },
          null,
        ]) {
          response.postMessage(message);
        }
        response.close();
        const cache = new BroadcastChannel('tessera.v1.cache');
        for (const notice of [
          { type: 'account_removed' },
          { type: 'account_removed', homeAccountId: 42 },
          { type: 'account_removed', homeAccountId: `${homeAccountId}x` },
          { type: 'tokens_changed', homeAccountId: '' },
          { type: 'cleared ' },
          'cleared',
          null,
        ]) {
          cache.postMessage(notice);
        }
        cache.close();
      },
      {
        state: w.state,
        url: w.goodUrl,
        query,
        type: MESSAGE_TYPE,
        homeAccountId: w.session!.homeAccountId,
      },
    );
    await userGivesUp(w);
    const events = await w.c.page.evaluate(() => window.hostile.events.map((e) => e.type));
    expect(events).not.toContain('msal:accountRemoved');
    expect(events).not.toContain('msal:sessionEnded');
  });
});

// Not a forgery, so outside the count: the same request completed through the real callback
// page succeeds, so the codes the forged messages carried were live.
it('control: the very URL the forgeries carried completes the sign-in through the callback page', async () => {
  const w = await waitingPopup();
  await w.popup.goto(w.goodUrl);
  await w.c.page.waitForFunction(
    () => (window as unknown as { last?: Outcome }).last !== undefined,
  );
  const outcome = await w.c.page.evaluate(() => (window as unknown as { last: Outcome }).last);
  expect(outcome.kind).toBe('response');
});

countCheck();
