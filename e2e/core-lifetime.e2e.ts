// Token lifetimes and cold starts in real Chromium against the dev IdP: how many requests the
// provider sees, counted at the provider and in the browser.
import { describe, expect, it } from 'vitest';
import type { DevIdpOptions } from './harness/fixtures.js';
import { openApp, requestsDuring, startCoreEnv } from './core/support.js';

function idp(accessTokenSeconds: number): (app: { url: string }) => DevIdpOptions {
  return (app) => ({
    autoLogin: { username: 'alice', consent: 'all' },
    ttl: { accessToken: accessTokenSeconds },
    clients: [
      {
        clientId: 'tessera-e2e',
        redirectUris: [`${app.url}/`],
        postLogoutRedirectUris: [`${app.url}/`],
        refreshTokens: true,
      },
    ],
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('core: token lifetimes and cold start', () => {
  it('a cold start with an expired access token and a refresh token makes exactly one request', async () => {
    const env = await startCoreEnv({ idp: idp(2), tessera: { tokenRenewalOffsetSeconds: 0 } });
    await openApp(env);
    const first = await env.page.evaluate(() => window.t.popupNow());
    expect(first.error).toBeUndefined();
    await sleep(2600);
    // A new page load: the library starts from storage alone (sessionStorage survives reload).
    const { result, urls } = await requestsDuring(env.page, async () => {
      await openApp(env);
      return env.page.evaluate(() => window.t.silent());
    });
    expect(result.error).toBeUndefined();
    expect(result.response?.fromCache).toBe(false);
    const toProvider = urls.filter((url) => url.startsWith(env.idp.url));
    // Discovery was remembered with the tokens: only the refresh-token grant goes out.
    expect(toProvider).toEqual([expect.stringMatching(/\/token$/)]);
    expect(env.idp.stats().tokenRequestsByGrant['refresh_token']).toBe(1);
  });

  it('with 60 s access tokens, 30 silent calls within 15 s make at most one token request', async () => {
    // The default renewal offset (300 s) is longer than the token lives: it is capped at half
    // the lifetime, so the token is served for its first 30 s instead of never.
    const env = await startCoreEnv({ idp: idp(60) });
    await openApp(env);
    const first = await env.page.evaluate(() => window.t.popupNow());
    expect(first.error).toBeUndefined();
    const before = env.idp.stats().tokenRequests;
    const outcomes = [];
    for (let i = 0; i < 30; i += 1) {
      outcomes.push(await env.page.evaluate(() => window.t.silent()));
      await sleep(500);
    }
    expect(outcomes.every((o) => o.error === undefined)).toBe(true);
    expect(env.idp.stats().tokenRequests - before).toBeLessThanOrEqual(1);
    expect(outcomes.filter((o) => o.response?.fromCache === true).length).toBeGreaterThanOrEqual(
      29,
    );
  });
});
