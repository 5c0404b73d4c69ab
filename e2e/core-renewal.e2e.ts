// Renewal in real Chromium against the dev IdP: refresh token, hidden iframe, the
// interaction_required end state, partial consent and single-flight under load.
import { describe, expect, it } from 'vitest';
import { consent, fillLogin } from './harness/fixtures.js';
import type { DevIdpOptions } from './harness/fixtures.js';
import { jwtPayload, lastOutcome, openApp, startCoreEnv } from './core/support.js';

const AUTO = { username: 'alice', consent: 'all' } as const;

function shortLivedIdp(refreshTokens: boolean): (app: { url: string }) => DevIdpOptions {
  return (app) => ({
    autoLogin: AUTO,
    ttl: { accessToken: 2 },
    clients: [
      {
        clientId: 'tessera-e2e',
        redirectUris: [`${app.url}/`],
        postLogoutRedirectUris: [`${app.url}/`],
        refreshTokens,
      },
    ],
  });
}

/** Waits until the 2 s access token has expired (the provider's clock decides validity). */
const pastExpiry = (ms = 2600) => new Promise((resolve) => setTimeout(resolve, ms));

describe('core: renewal', () => {
  it('renews an expired access token with the refresh token', async () => {
    const env = await startCoreEnv({
      idp: shortLivedIdp(true),
      tessera: { tokenRenewalOffsetSeconds: 0 },
    });
    await openApp(env);
    const first = await env.page.evaluate(() => window.t.popupNow());
    expect(first.error).toBeUndefined();
    await pastExpiry();
    const renewed = await env.page.evaluate(() => window.t.silent());
    expect(renewed.error).toBeUndefined();
    expect(renewed.response?.fromCache).toBe(false);
    expect(renewed.response?.accessToken).not.toBe(first.response?.accessToken);
    expect(jwtPayload(renewed.response?.accessToken ?? '')['scope']).toContain('api://demo/read');
    expect(env.idp.stats().tokenRequestsByGrant).toEqual({
      authorization_code: 1,
      refresh_token: 1,
    });
  });

  it('renews through the hidden iframe when the client gets no refresh tokens', async () => {
    const env = await startCoreEnv({
      idp: shortLivedIdp(false),
      tessera: { tokenRenewalOffsetSeconds: 0 },
    });
    await openApp(env);
    const first = await env.page.evaluate(() => window.t.popupNow());
    expect(first.error).toBeUndefined();
    await pastExpiry();
    const renewed = await env.page.evaluate(() => window.t.silent());
    expect(renewed.error).toBeUndefined();
    expect(renewed.response?.fromCache).toBe(false);
    expect(renewed.response?.accessToken).not.toBe(first.response?.accessToken);
    expect(env.idp.stats().tokenRequestsByGrant).toEqual({ authorization_code: 2 });
    expect(await env.page.locator('iframe').count()).toBe(0);
  });

  it('fails with interaction_required once the provider session is gone, and the popup fallback recovers', async () => {
    const env = await startCoreEnv({
      idp: shortLivedIdp(false),
      tessera: { tokenRenewalOffsetSeconds: 0 },
    });
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
    await env.idp.endSessions();
    env.idp.setAutoLogin(false);
    await pastExpiry();

    // The seed's pattern: silent fails, the error passes the seed's check, the popup signs in.
    const popupEvent = env.page.waitForEvent('popup');
    await env.page.click('#seed-popup');
    const popup = await popupEvent;
    await fillLogin(popup, 'alice', 'alice-password');
    await consent(popup, 'all');
    const outcome = await lastOutcome(env.page);
    const silentError = await env.page.evaluate(() => window.t.seedSilent?.error);
    expect(silentError?.name).toBe('InteractionRequiredAuthError');
    expect(silentError?.errorCode).toBe('login_required');
    expect(silentError?.seedCheck).toBe(true);
    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.username).toBe('alice');
    // One "session ended" signal with its reason, however many calls failed.
    const ended = await env.page.evaluate(() =>
      window.t.events.filter((e) => e.type === 'msal:sessionEnded'),
    );
    expect(ended).toEqual([
      { type: 'msal:sessionEnded', errorCode: undefined, reason: 'provider_session_ended' },
    ]);
  });

  it('partial consent: the response lists only the granted scope, and the other scope is not served from it', async () => {
    const env = await startCoreEnv({
      tessera: { scopes: ['api://demo/read', 'api://demo/write'] },
    });
    await openApp(env);
    const popupEvent = env.page.waitForEvent('popup');
    await env.page.click('#popup');
    const popup = await popupEvent;
    await fillLogin(popup, 'alice', 'alice-password');
    await consent(popup, ['api://demo/read']);
    const outcome = await lastOutcome(env.page);
    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.scopes).toEqual(['api://demo/read']);

    const write = await env.page.evaluate(() => window.t.silent({ scopes: ['api://demo/write'] }));
    // Whatever the provider answers, the read-only token is never handed out for "write".
    expect(write.response?.fromCache ?? false).toBe(false);
    expect(write.response?.accessToken).not.toBe(outcome.response?.accessToken);
    if (write.response !== undefined) {
      const granted = String(jwtPayload(write.response.accessToken)['scope']).split(' ');
      expect(write.response.scopes.every((s) => granted.includes(s))).toBe(true);
    }
    const read = await env.page.evaluate(() => window.t.silent({ scopes: ['api://demo/read'] }));
    expect(read.response?.fromCache).toBe(true);
  });

  it('50 concurrent silent calls with an expired token make exactly one token request', async () => {
    const env = await startCoreEnv({
      idp: shortLivedIdp(true),
      tessera: { tokenRenewalOffsetSeconds: 0 },
    });
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
    await pastExpiry();
    env.idp.resetStats();
    const outcomes = await env.page.evaluate(() =>
      Promise.all(Array.from({ length: 50 }, () => window.t.silent())),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(new Set(outcomes.map((o) => o.response?.accessToken)).size).toBe(1);
    expect(env.idp.stats().tokenRequests).toBe(1);
    expect(env.idp.stats().authorizationRequests).toBe(0);
  });

  it('cross-site (localhost app, 127.0.0.1 IdP): refresh tokens renew, and the iframe path ends cleanly', async () => {
    const withRefresh = await startCoreEnv({
      idp: shortLivedIdp(true),
      tessera: { tokenRenewalOffsetSeconds: 0 },
      appHost: 'localhost',
    });
    expect(new URL(withRefresh.app.url).hostname).toBe('localhost');
    await openApp(withRefresh);
    expect((await withRefresh.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
    await pastExpiry();
    const renewed = await withRefresh.page.evaluate(() => window.t.silent());
    expect(renewed.error).toBeUndefined();
    expect(renewed.response?.fromCache).toBe(false);
    await withRefresh.close();

    const iframeOnly = await startCoreEnv({
      idp: shortLivedIdp(false),
      tessera: { tokenRenewalOffsetSeconds: 0 },
      appHost: 'localhost',
    });
    await openApp(iframeOnly);
    expect((await iframeOnly.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
    await pastExpiry();
    const viaIframe = await iframeOnly.page.evaluate(() => window.t.silent());
    // Whether the browser sends the provider's cookies to a cross-site frame is its policy; either
    // way the result is a token or a clean interaction_required, never a timeout.
    if (viaIframe.ok) {
      expect(viaIframe.response?.fromCache).toBe(false);
    } else {
      expect(viaIframe.error?.name).toBe('InteractionRequiredAuthError');
      expect(viaIframe.error?.seedCheck).toBe(true);
    }
    expect(await iframeOnly.page.locator('iframe').count()).toBe(0);
  });
});
