// The seed's redirect pattern in real Chromium against the dev IdP, and tampered responses.
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startTamperProxy } from './harness/tamper-proxy.js';
import type { Tamper } from './harness/tamper-proxy.js';
import { consent, fillLogin } from './harness/fixtures.js';
import type { Env } from './harness/fixtures.js';
import { openApp, startCoreEnv } from './core/support.js';
import type { Outcome } from './core/support.js';

/** Clicks the seed's redirect button and signs in through the real forms. */
async function signInByRedirect(env: Env): Promise<void> {
  await env.page.click('#seed-redirect');
  await fillLogin(env.page, 'alice', 'alice-password');
  await consent(env.page, 'all');
}

async function redirectOutcome(page: Page): Promise<Outcome> {
  // Optional chaining: the wait starts while the page may still be on the provider.
  await page.waitForFunction(() => (window.t?.redirectResults.length ?? 0) > 0);
  const results = await page.evaluate(() => window.t.redirectResults);
  expect(results).toHaveLength(1);
  return results[0] as Outcome;
}

/** The core env with the IdP behind a tampering proxy; the proxy's URL is the issuer. */
async function startTamperedEnv(tamper: Tamper): Promise<Env> {
  const proxy = await startTamperProxy();
  onTestFinished(() => proxy.close());
  const env = await startCoreEnv({ idp: { autoLogin: false, issuer: proxy.url } });
  proxy.target = `http://127.0.0.1:${env.idp.port}`;
  proxy.tamper = tamper;
  return env;
}

/** Rewrites the ID token of a token response (once). */
function idTokenTamper(change: (claims: Record<string, unknown>) => void): Tamper {
  let done = false;
  return {
    json: (path, body) => {
      if (done || path !== '/token' || typeof body['id_token'] !== 'string') return undefined;
      done = true;
      const [header, payload, signature] = body['id_token'].split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      change(claims);
      return {
        ...body,
        id_token: [
          header,
          Buffer.from(JSON.stringify(claims)).toString('base64url'),
          signature,
        ].join('.'),
      };
    },
  };
}

/** Rewrites the authorization response the IdP redirects to the app with (once). */
function callbackTamper(change: (url: URL) => void): Tamper {
  let done = false;
  return {
    location: (location) => {
      if (done || !location.searchParams.has('code')) return undefined;
      done = true;
      change(location);
      return location;
    },
  };
}

async function expectNothingCached(page: Page): Promise<void> {
  const keys = await page.evaluate(() => window.t.cacheKeys());
  // Redirect bookkeeping (which request this tab waits for) is not a token.
  expect(keys.filter((key) => !key.startsWith('tessera.v1.redirect.'))).toEqual([]);
  expect(await page.evaluate(() => window.t.account())).toBeNull();
}

describe('core: redirect pattern', () => {
  it('returns to the start page with a clean URL and calls the callbacks, also ones registered after load', async () => {
    const env = await startCoreEnv();
    await openApp(env, '/start.html?from=start');
    let callbackUrl: string | undefined;
    env.page.on('framenavigated', (frame) => {
      if (frame === env.page.mainFrame() && frame.url().includes('code='))
        callbackUrl = frame.url();
    });
    await signInByRedirect(env);

    const outcome = await redirectOutcome(env.page);
    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.username).toBe('alice');
    expect(outcome.response?.scopes).toEqual(['api://demo/read']);
    expect(outcome.response?.accountState).toBe('app-state-1');
    expect(env.page.url()).toBe(`${env.app.url}/start.html?from=start`);
    expect(callbackUrl).toBeDefined();

    // The callbacks registered a second after load get the same result.
    await env.page.waitForFunction(() => (window.t?.lateRedirectResults.length ?? 0) > 0);
    const late = await env.page.evaluate(() => window.t.lateRedirectResults);
    expect(late).toHaveLength(1);
    expect(late[0]?.response?.accessToken).toBe(outcome.response?.accessToken);
    expect(env.idp.stats().tokenRequestsByGrant['authorization_code']).toBe(1);

    // Silent now works from the cache.
    const silent = await env.page.evaluate(() => window.t.silent());
    expect(silent.response?.fromCache).toBe(true);

    // History holds no URL with the code: Back goes to the provider's pages or the start page.
    await env.page.goBack();
    expect(env.page.url()).not.toContain('code=');

    // Replaying the response URL (reload of an old tab, second tab) is a no-op, not an error.
    await env.page.goto(callbackUrl ?? '');
    await env.page.locator('body[data-state=ready]').waitFor();
    await env.page.waitForFunction(() => window.t.lateRedirectResults !== undefined);
    await env.page.waitForTimeout(1200);
    expect(await env.page.evaluate(() => window.t.redirectResults)).toEqual([]);
    expect(await env.page.evaluate(() => window.t.lateRedirectResults)).toEqual([]);
    expect(new URL(env.page.url()).searchParams.has('code')).toBe(false);
    expect(env.idp.stats().tokenRequestsByGrant['authorization_code']).toBe(1);
  });

  it('rejects a response with a wrong state and caches nothing', async () => {
    const env = await startTamperedEnv(
      callbackTamper((url) => url.searchParams.set('state', 'forged-state-value')),
    );
    await openApp(env);
    await signInByRedirect(env);
    const outcome = await redirectOutcome(env.page);
    expect(outcome.error).toMatchObject({
      name: 'ClientAuthError',
      errorCode: 'state_mismatch',
      seedCheck: false,
    });
    await expectNothingCached(env.page);
    expect(env.idp.stats().tokenRequestsByGrant['authorization_code'] ?? 0).toBe(0);
    // A response for no request of ours touches nothing: the genuine request is still pending.
    const pending = await env.page.evaluate(() =>
      sessionStorage.getItem('tessera.v1.redirect.pending.tessera-e2e'),
    );
    expect(pending).not.toBeNull();
    const stillThere = await env.page.evaluate(
      (state) => Object.keys(sessionStorage).some((k) => k.includes('.txn.') && k.endsWith(state)),
      pending ?? '',
    );
    expect(stillThere).toBe(true);
  });

  it('rejects a response with a wrong iss (RFC 9207) and caches nothing', async () => {
    const env = await startTamperedEnv(
      callbackTamper((url) => url.searchParams.set('iss', 'http://127.0.0.1:9/evil')),
    );
    await openApp(env);
    await signInByRedirect(env);
    const outcome = await redirectOutcome(env.page);
    expect(outcome.error).toMatchObject({ name: 'ClientAuthError', errorCode: 'issuer_mismatch' });
    await expectNothingCached(env.page);
    expect(env.idp.stats().tokenRequestsByGrant['authorization_code'] ?? 0).toBe(0);
  });

  it.each([
    ['nonce', 'nonce_mismatch', (c: Record<string, unknown>) => (c['nonce'] = 'forged-nonce')],
    ['aud', 'invalid_id_token', (c: Record<string, unknown>) => (c['aud'] = 'another-client')],
  ])('rejects an ID token with a wrong %s and caches nothing', async (_claim, code, change) => {
    const env = await startTamperedEnv(idTokenTamper(change));
    await openApp(env);
    await signInByRedirect(env);
    const outcome = await redirectOutcome(env.page);
    expect(outcome.error).toMatchObject({
      name: 'ClientAuthError',
      errorCode: code,
      seedCheck: false,
    });
    const events = await env.page.evaluate(() => window.t.events);
    expect(events).toContainEqual({ type: 'msal:acquireTokenFailure', errorCode: code });
    await expectNothingCached(env.page);
  });
});
