// Where the library may send the user: start pages and redirect URIs of requests, a stored
// start page tampered with during the round trip, `//evil` and `javascript:` URLs, and callback
// URLs for which no transaction exists. HOSTILE_DEFECTS=1 also runs the cases skipped as
// library defects.
import { describe, expect, it } from 'vitest';
import type { AuthenticationParameters } from '../../packages/browser/src/index.js';
import {
  assertInvariants,
  load,
  popup,
  redirectFlow,
  signIn,
  snapshot,
  waitForRedirectOutcome,
} from './invariants.js';
import { raw } from './provider.js';
import { countCheck, hostileCase, SESSION_SCOPES, useHostileSuite } from './support.js';

const suite = useHostileSuite('redirects');

/** A request whose own URL is refused when the call starts: nothing leaves the page. */
async function refusedRequest(
  start: 'redirect' | 'popup',
  request: AuthenticationParameters,
  code: 'invalid_redirect_uri' | 'invalid_authority',
): Promise<void> {
  const c = await suite.open();
  const session = await signIn(c);
  const before = await snapshot(c);
  const pages = c.context.pages().length;
  const outcome = start === 'redirect' ? await redirectFlow(c, request) : await popup(c, request);
  expect(c.context.pages(), 'no popup was left open').toHaveLength(pages);
  expect(new URL(c.page.url()).origin).toBe(suite.app.url);
  await assertInvariants(before, outcome, {
    error: { code, name: 'ClientConfigurationError' },
    requests: {},
    session,
  });
}

describe("a request's own URLs", () => {
  hostileCase('redirectStartPage on another origin', () =>
    refusedRequest(
      'redirect',
      { redirectStartPage: 'https://evil.test/landing' },
      'invalid_redirect_uri',
    ),
  );
  hostileCase('redirectStartPage //evil (scheme-relative)', () =>
    refusedRequest(
      'redirect',
      { redirectStartPage: '//evil.test/landing' },
      'invalid_redirect_uri',
    ),
  );
  hostileCase('redirectStartPage javascript:', () =>
    refusedRequest(
      'redirect',
      { redirectStartPage: 'javascript:window.__pwned=1' },
      'invalid_redirect_uri',
    ),
  );
  hostileCase('redirectUri on another origin', () =>
    refusedRequest('popup', { redirectUri: 'https://evil.test/callback' }, 'invalid_redirect_uri'),
  );
  hostileCase('redirectUri javascript:', () =>
    refusedRequest('popup', { redirectUri: 'javascript:window.__pwned=1' }, 'invalid_redirect_uri'),
  );
  hostileCase('an http authority on a public host', () =>
    refusedRequest('popup', { authority: 'http://idp.evil.test' }, 'invalid_authority'),
  );
  hostileCase('an authority with credentials', () =>
    refusedRequest('redirect', { authority: 'https://user:pw@idp.evil.test' }, 'invalid_authority'),
  );

  for (const [label, target] of [
    ['javascript:', 'javascript:window.__pwned=1'],
    ['on another origin', 'https://evil.test/signed-out'],
  ] as const) {
    hostileCase(
      `postLogoutRedirectUri ${label}: refused, and the user stays signed in`,
      async () => {
        const c = await suite.open();
        const session = await signIn(c);
        const before = await snapshot(c);
        const outcome = await c.page.evaluate(
          (uri) => window.hostile.logout({ postLogoutRedirectUri: uri }),
          target,
        );
        expect(new URL(c.page.url()).origin).toBe(suite.app.url);
        await assertInvariants(before, outcome, {
          error: { code: 'invalid_redirect_uri', name: 'ClientConfigurationError' },
          requests: {},
          session,
        });
      },
    );
  }
});

describe('the stored start page, tampered with during the round trip', () => {
  /**
   * A redirect flow whose stored start page is rewritten to `startPage` just before the page
   * leaves for the provider, which then answers access_denied (so nothing may be cached). The
   * app must finish where the response landed, never at the stored page.
   */
  async function tamperedStartPage(startPage: string, code: string, name: string) {
    const c = await suite.open({ navigationHook: true });
    const session = await signIn(c);
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({
        error: 'access_denied',
        state: ctx.query.get('state') ?? '',
        iss: ctx.issuer,
      });
    await c.page.evaluate((page) => {
      window.hostile.beforeLeave = () => {
        for (const key of Object.keys(sessionStorage)) {
          if (!key.startsWith('tessera.v1.txn.hostile-e2e|') || key.includes('bystander')) continue;
          const entry = JSON.parse(sessionStorage.getItem(key)!) as {
            data: { startPage?: string };
          };
          entry.data.startPage = page;
          sessionStorage.setItem(key, JSON.stringify(entry));
        }
      };
    }, startPage);
    const before = await snapshot(c);
    const navigations: string[] = [];
    c.page.on('framenavigated', (frame) => {
      if (frame === c.page.mainFrame()) navigations.push(frame.url());
    });
    const outcome = await redirectFlow(c);
    expect(
      navigations.filter(
        (url) => !url.startsWith(suite.app.url) && !url.startsWith(suite.provider.url),
      ),
    ).toEqual([]);
    expect(new URL(c.page.url()).origin).toBe(suite.app.url);
    await assertInvariants(before, outcome, {
      error: { code, name: name as 'ServerError' },
      requests: { authorize: 1 },
      session,
    });
  }

  hostileCase('to another origin: never navigated to', () =>
    tamperedStartPage('https://evil.test/phish', 'access_denied', 'ServerError'),
  );
  hostileCase('to javascript:: never run', () =>
    tamperedStartPage('javascript:window.__pwned=1', 'access_denied', 'ServerError'),
  );
  hostileCase('to //evil (not absolute): ignored, the real outcome reported', () =>
    tamperedStartPage('//evil.test/phish', 'access_denied', 'ServerError'),
  );
});

describe('callback URLs without a transaction', () => {
  hostileCase(
    'a response when nothing is pending: a no-op, and the code leaves the URL',
    async () => {
      const c = await suite.open();
      const session = await signIn(c);
      const code = suite.provider.secret('code-forged-no-transaction-0123');
      const before = await snapshot(c);
      const outcome = await load(
        c,
        `${suite.app.url}/?code=${code}&state=forged-state&iss=${encodeURIComponent(suite.provider.url)}`,
      );
      await assertInvariants(before, outcome, { error: null, requests: {}, session });
    },
  );

  hostileCase(
    'a forged link while a redirect is pending: refused, the genuine one kept',
    async () => {
      const c = await suite.open();
      const session = await signIn(c);
      // The provider keeps the user on its page: the genuine redirect is pending.
      suite.provider.script.authorize = () =>
        raw('<!doctype html><link rel=icon href="data:,"><title>provider</title>', 'text/html');
      const before = await snapshot(c);
      await c.page.evaluate((scopes) => void window.hostile.redirect({ scopes }), SESSION_SCOPES);
      await c.page.waitForURL((url) => url.pathname.endsWith('/authorize'));
      const code = suite.provider.secret('code-forged-link-0123456789');
      await c.page.goto(`${suite.app.url}/?code=${code}&state=attacker-state`);
      const outcome = await waitForRedirectOutcome(c);
      await assertInvariants(before, outcome, {
        error: { code: 'state_mismatch', name: 'ClientAuthError' },
        requests: { authorize: 1 },
        transaction: 'kept',
        session,
      });
    },
  );
});

// Not a rejection (signing out is the point), so outside the count: the provider's end-session
// endpoint, when it is not a usable URL, is never navigated to.
it("control: a javascript: end_session_endpoint is never opened; sign-out ends on the app's page", async () => {
  const c = await suite.open();
  await signIn(c);
  // The provider's document, re-read (the remembered one is dropped first).
  await c.page.evaluate(() => {
    for (const key of Object.keys(sessionStorage)) {
      if (key.startsWith('tessera.v1.metadata.')) sessionStorage.removeItem(key);
    }
  });
  await c.page.reload();
  await c.ready();
  suite.provider.script.discovery = (doc) => ({
    ...doc,
    end_session_endpoint: 'javascript:window.__pwned=1',
  });
  // The sign-out reloads the page it is on: wait for that load, not for a URL it already has.
  const reloaded = c.page.waitForEvent('load');
  await c.page.evaluate(() => void window.hostile.logout());
  await reloaded;
  expect(c.page.url()).toBe(`${suite.app.url}/`);
  await c.ready();
  expect(await c.page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(await c.page.evaluate(() => window.hostile.accounts())).toEqual([]);
});

countCheck();
