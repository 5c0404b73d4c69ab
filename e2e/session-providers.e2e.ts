// A provider that is down at page load, and an account signed in at another authority, in real
// Chromium against the dev IdP.
import { describe, expect, it, onTestFinished } from 'vitest';
import type * as DevIdpModule from '@tessera/dev-idp';
import { startFaultProxy } from './harness/fault-proxy.js';
import { openApp, startCoreEnv } from './core/support.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session: unreachable and other providers', () => {
  it('provider unreachable at load: the page starts signed in at once, renewal fails typed and retryable, and recovers without a reload', async () => {
    const proxy = await startFaultProxy();
    onTestFinished(() => proxy.close());
    const env = await startCoreEnv({
      idp: (app) => ({
        autoLogin: { username: 'alice', consent: 'all' },
        issuer: proxy.url,
        ttl: { accessToken: 2 },
        clients: [
          {
            clientId: 'tessera-e2e',
            redirectUris: [`${app.url}/`],
            postLogoutRedirectUris: [`${app.url}/`],
            refreshTokens: true,
          },
        ],
      }),
      tessera: { tokenRenewalOffsetSeconds: 0, networkTimeout: 2000, loadFrameTimeout: 2000 },
    });
    const idpUrl = `http://127.0.0.1:${env.idp.port}`;
    proxy.target = idpUrl;
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();

    // The provider goes away (nothing listens where the proxy forwards).
    proxy.target = 'http://127.0.0.1:9';
    await sleep(2300);
    const started = Date.now();
    await openApp(env);
    // Starting needs no provider: signed in from storage, immediately.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await env.page.evaluate(() => window.t.accountAtStart)).toBe('alice');
    const offline = await env.page.evaluate(() => window.t.silent());
    expect(offline.error?.errorCode).toBe('network_error');
    expect(offline.error?.retryable).toBe(true);
    expect(offline.error?.seedCheck).toBe(false);
    expect(Date.now() - started).toBeLessThan(15_000);

    // The provider is back: the same page renews, no reload.
    proxy.target = idpUrl;
    const back = await env.page.evaluate(() => window.t.silent());
    expect(back.error).toBeUndefined();
    expect(back.response?.fromCache).toBe(false);
  });

  it('an account signed in at another authority sends its refresh token only to that issuer', async () => {
    const env = await startCoreEnv({
      idp: (app) => ({
        autoLogin: { username: 'alice', consent: 'all' },
        ttl: { accessToken: 2 },
        clients: [
          {
            clientId: 'tessera-e2e',
            redirectUris: [`${app.url}/`],
            postLogoutRedirectUris: [`${app.url}/`],
            refreshTokens: true,
          },
        ],
      }),
      tessera: { tokenRenewalOffsetSeconds: 0 },
    });
    // A second provider, named per request.
    const specifier: string = '@tessera/dev-idp';
    const { startDevIdp } = (await import(/* @vite-ignore */ specifier)) as typeof DevIdpModule;
    const other = await startDevIdp({
      port: 0,
      host: '127.0.0.1',
      autoLogin: { username: 'bob', consent: 'all' },
      ttl: { accessToken: 2 },
      clients: [
        {
          clientId: 'tessera-e2e',
          redirectUris: [`${env.app.url}/`],
          postLogoutRedirectUris: [`${env.app.url}/`],
          refreshTokens: true,
        },
      ],
    });
    onTestFinished(() => other.close());
    await openApp(env);
    const signedIn = await env.page.evaluate(
      (authority) => window.t.popupNow({ scopes: ['api://demo/read'], authority }),
      other.issuer,
    );
    expect(signedIn.error).toBeUndefined();
    expect(signedIn.response?.username).toBe('bob');
    const before = env.idp.stats().tokenRequests;
    await sleep(2300);
    const renewed = await env.page.evaluate(() => window.t.silent());
    expect(renewed.error).toBeUndefined();
    expect(renewed.response?.fromCache).toBe(false);
    expect(other.stats().tokenRequestsByGrant['refresh_token']).toBe(1);
    // The configured authority never saw it.
    expect(env.idp.stats().tokenRequests).toBe(before);
  });
});

describe('session: sign-out revokes the refresh token (RFC 7009)', () => {
  it('with revokeTokensOnLogout, the refresh token is dead at the provider after sign-out', async () => {
    const env = await startCoreEnv({
      idp: { autoLogin: { username: 'alice', consent: 'all' } },
      tessera: { revokeTokensOnLogout: true },
    });
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
    const refreshToken = await env.page.evaluate(() => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('tessera.v1.account.'));
      const record = JSON.parse(sessionStorage.getItem(key ?? '') ?? '{}') as {
        refreshToken?: string;
      };
      return record.refreshToken ?? '';
    });
    expect(refreshToken).not.toBe('');
    const refreshAtProvider = () =>
      fetch(`${env.idp.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: env.clientId,
        }),
      });
    // The app signs out (a popup sign-out: the page stays to be asked).
    await env.page.evaluate(() => window.t.app.logoutPopup());
    expect(await env.page.evaluate(() => window.t.account())).toBeNull();
    const after = await refreshAtProvider();
    expect(after.status).toBe(400);
    expect(((await after.json()) as { error?: string }).error).toBe('invalid_grant');
  });
});

describe('session: sign-out reach', () => {
  it.each([
    [true, null],
    [false, 'alice'],
  ])(
    'logoutAllTabs %s: after a sign-out in tab A, tab B (sessionStorage) is signed in as %s',
    async (logoutAllTabs, expected) => {
      const env = await startCoreEnv({
        idp: { autoLogin: { username: 'alice', consent: 'all' } },
        tessera: { logoutAllTabs },
      });
      await openApp(env);
      expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
      const copy = await env.page.evaluate(() => JSON.stringify({ ...sessionStorage }));
      const other = await env.context.newPage();
      await other.addInitScript((items: string) => {
        for (const [k, v] of Object.entries(JSON.parse(items) as Record<string, string>)) {
          sessionStorage.setItem(k, v);
        }
      }, copy);
      await other.goto(`${env.app.url}/`);
      await other.locator('body[data-state=ready]').waitFor();
      expect(await other.evaluate(() => window.t.account())).toBe('alice');
      await env.page.evaluate(() => window.t.app.logoutPopup());
      await sleep(500);
      expect(await other.evaluate(() => window.t.account())).toBe(expected);
    },
  );
});
