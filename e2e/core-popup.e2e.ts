// The seed's popup pattern in real Chromium against the dev IdP, and the popup/iframe failure paths.
import { describe, expect, it } from 'vitest';
import {
  jwtPayload,
  lastOutcome,
  openApp,
  requestsDuring,
  signInWithPopup,
  startCoreEnv,
} from './core/support.js';

describe('core: popup pattern', () => {
  it('silent fails with interaction_required, the popup signs in, the next silent call is served from the cache', async () => {
    const env = await startCoreEnv();
    await openApp(env);

    const outcome = await signInWithPopup(env, '#seed-popup');
    const seedSilent = await env.page.evaluate(() => window.t.seedSilent);
    expect(seedSilent?.ok).toBe(false);
    expect(seedSilent?.error?.errorCode).toBe('no_account');
    expect(seedSilent?.error?.seedCheck).toBe(true);

    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.username).toBe('alice');
    expect(outcome.response?.scopes).toEqual(['api://demo/read']);
    expect(outcome.response?.fromCache).toBe(false);
    const claims = jwtPayload(outcome.response?.accessToken ?? '');
    expect(claims['aud']).toBe('api://demo');
    expect(env.idp.stats().tokenRequestsByGrant['authorization_code']).toBe(1);

    const { result, urls } = await requestsDuring(env.page, () =>
      env.page.evaluate(() => window.t.silent()),
    );
    expect(result.ok).toBe(true);
    expect(result.response?.fromCache).toBe(true);
    expect(result.response?.accessToken).toBe(outcome.response?.accessToken);
    expect(urls).toEqual([]);
    expect(await env.page.evaluate(() => window.t.account())).toBe('alice');
    const events = await env.page.evaluate(() => window.t.events.map((e) => e.type));
    // After a reload the account is known synchronously, right after the constructor.
    expect(await env.page.evaluate(() => window.t.accountAtStart)).toBeNull();
    await env.page.reload();
    await env.page.locator('body[data-state=ready]').waitFor();
    expect(await env.page.evaluate(() => window.t.accountAtStart)).toBe('alice');
    expect(events).toContain('msal:acquireTokenFailure');
    expect(events).toContain('msal:acquireTokenSuccess');
  });

  it('succeeds when the login page sends Cross-Origin-Opener-Policy: same-origin', async () => {
    const env = await startCoreEnv({ idp: { autoLogin: false, coop: true } });
    await openApp(env);
    const coopHeaders: string[] = [];
    env.page.context().on('response', (response) => {
      const value = response.headers()['cross-origin-opener-policy'];
      if (value !== undefined) coopHeaders.push(value);
    });
    const outcome = await signInWithPopup(env, '#popup');
    expect(coopHeaders).toContain('same-origin');
    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.scopes).toEqual(['api://demo/read']);
  });

  it('reports user_cancelled when the user closes the popup', async () => {
    const env = await startCoreEnv();
    await openApp(env);
    const popupEvent = env.page.waitForEvent('popup');
    await env.page.click('#popup');
    const popup = await popupEvent;
    await popup.waitForURL((url) => url.origin === env.idp.url);
    await popup.locator('#username').waitFor();
    // A person reads the form before giving up; the opener confirms the popup is still attached
    // (not severed by COOP) after seeing the provider page for a second.
    await popup.waitForTimeout(1500);
    await popup.close();
    const outcome = await lastOutcome(env.page);
    expect(outcome.error?.errorCode).toBe('user_cancelled');
    expect(outcome.error?.name).toBe('BrowserAuthError');
    expect(outcome.error?.seedCheck).toBe(false);
    // The interaction slot is free again: a new popup can start.
    expect(await env.page.evaluate(() => window.t.account())).toBeNull();
  });

  it('reports popup_window_error when the browser blocks the popup', async () => {
    const env = await startCoreEnv({ launch: { popupBlocker: true } });
    await openApp(env);
    // The page's one user activation goes to another window first (window.open consumes it),
    // so Chromium's real popup blocker refuses the library's window.open.
    const outcome = await env.page.evaluate(() => {
      window.open('about:blank', 'other')?.close();
      return window.t.popupNow();
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.errorCode).toBe('popup_window_error');
    expect(outcome.error?.seedCheck).toBe(false);
  });

  it('times out a hidden iframe whose page never reports back and removes the iframe', async () => {
    const env = await startCoreEnv({
      idp: (app) => ({
        autoLogin: { username: 'alice', consent: 'all' },
        clients: [
          {
            clientId: 'tessera-e2e',
            redirectUris: [`${app.url}/`, `${app.url}/sink.html`],
            postLogoutRedirectUris: [`${app.url}/`],
            refreshTokens: false,
          },
        ],
      }),
      tessera: { loadFrameTimeout: 3000, tokenRenewalOffsetSeconds: 0 },
    });
    await openApp(env);
    const signedIn = await env.page.evaluate(() => window.t.popupNow());
    expect(signedIn.error).toBeUndefined();
    const outcome = await env.page.evaluate(
      (appUrl) =>
        window.t.silent({
          scopes: ['api://demo/read'],
          forceRefresh: true,
          redirectUri: `${appUrl}/sink.html`,
        }),
      env.app.url,
    );
    expect(outcome.error?.errorCode).toBe('monitor_window_timeout');
    expect(outcome.error?.seedCheck).toBe(false);
    expect(await env.page.locator('iframe').count()).toBe(0);
  });

  it('a callback page with only the tiny callback entry completes popup and iframe flows', async () => {
    const env = await startCoreEnv({
      idp: (app) => ({
        autoLogin: { username: 'alice', consent: 'all' },
        clients: [
          {
            clientId: 'tessera-e2e',
            redirectUris: [`${app.url}/`, `${app.url}/callback.html`],
            postLogoutRedirectUris: [`${app.url}/`],
            refreshTokens: false,
          },
        ],
      }),
    });
    await openApp(env);
    const callbackScripts: string[] = [];
    env.context.on('request', (request) => {
      if (request.frame().url().includes('/callback.html') && request.resourceType() === 'script') {
        callbackScripts.push(new URL(request.url()).pathname);
      }
    });
    const redirectUri = `${env.app.url}/callback.html`;
    const popup = await env.page.evaluate(
      (uri) => window.t.popupNow({ scopes: ['api://demo/read'], redirectUri: uri }),
      redirectUri,
    );
    expect(popup.error).toBeUndefined();
    const silent = await env.page.evaluate(
      (uri) =>
        window.t.silent({ scopes: ['api://demo/read'], forceRefresh: true, redirectUri: uri }),
      redirectUri,
    );
    expect(silent.error).toBeUndefined();
    expect(silent.response?.fromCache).toBe(false);
    expect(env.idp.stats().tokenRequestsByGrant).toEqual({ authorization_code: 2 });
    // The callback pages loaded the small entry only, never the app bundle.
    expect(callbackScripts).toContain('/callback.js');
    expect(callbackScripts).not.toContain('/app.js');
  });
});
