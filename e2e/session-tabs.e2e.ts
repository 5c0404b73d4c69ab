// Sessions across tabs, duplicated tabs and frozen tabs, in real Chromium against the dev IdP
// with refresh-token rotation and reuse detection on (a replayed refresh token revokes the grant).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DevIdpOptions } from './harness/fixtures.js';
import { openApp, startCoreEnv } from './core/support.js';

function idp(app: { url: string }): DevIdpOptions {
  return {
    autoLogin: { username: 'alice', consent: 'all' },
    ttl: { accessToken: 2 },
    rotateRefreshTokens: true,
    clients: [
      {
        clientId: 'tessera-e2e',
        redirectUris: [`${app.url}/`],
        postLogoutRedirectUris: [`${app.url}/`],
      },
    ],
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A silent call timed inside the page. */
function timedSilent(page: Page) {
  return page.evaluate(async () => {
    const start = performance.now();
    const outcome = await window.t.silent();
    return { outcome, ms: performance.now() - start };
  });
}

describe('sessions across tabs', () => {
  it('3 tabs × 20 rounds needing a new token at the same instant: one token request per round, none refused', async () => {
    const env = await startCoreEnv({
      idp,
      tessera: { tokenRenewalOffsetSeconds: 0, cacheLocation: 'localStorage' },
    });
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
    const tabs = [env.page];
    for (let i = 0; i < 2; i += 1) {
      const tab = await env.context.newPage();
      await tab.goto(`${env.app.url}/`);
      await tab.locator('body[data-state=ready]').waitFor();
      tabs.push(tab);
    }
    const waits: number[] = [];
    const perRound: number[] = [];
    for (let round = 0; round < 20; round += 1) {
      await sleep(2100); // the 2 s access token has expired everywhere
      const before = env.idp.stats().tokenRequests;
      const results = await Promise.all(tabs.map(timedSilent));
      perRound.push(env.idp.stats().tokenRequests - before);
      for (const { outcome, ms } of results) {
        expect(outcome.error).toBeUndefined();
        waits.push(ms);
      }
      expect(new Set(results.map((r) => r.outcome.response?.accessToken)).size).toBe(1);
    }
    expect(perRound).toEqual(Array.from({ length: 20 }, () => 1));
    expect(env.idp.stats().tokenRequestsByGrant['refresh_token']).toBe(20);
    waits.sort((a, b) => a - b);
    console.log(
      `3 tabs × 20 rounds: wait median ${waits[Math.floor(waits.length / 2)]?.toFixed(1)} ms, max ${waits.at(-1)?.toFixed(1)} ms`,
    );
  }, 120_000);

  it('a duplicated tab renewing 35 s after the first tab rotated the refresh token never replays it', async () => {
    const env = await startCoreEnv({ idp, tessera: { tokenRenewalOffsetSeconds: 0 } });
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
    // Duplicating a tab copies its sessionStorage: the copy holds the same refresh token.
    const copy = await env.page.evaluate(() => JSON.stringify({ ...sessionStorage }));
    const duplicate = await env.context.newPage();
    await duplicate.addInitScript((items: string) => {
      const entries = JSON.parse(items) as Record<string, string>;
      for (const [key, value] of Object.entries(entries)) sessionStorage.setItem(key, value);
    }, copy);
    await duplicate.goto(`${env.app.url}/`);
    await duplicate.locator('body[data-state=ready]').waitFor();
    expect(await duplicate.evaluate(() => window.t.accountAtStart)).toBe('alice');

    await sleep(2100);
    const rotated = await env.page.evaluate(() => window.t.silent());
    expect(rotated.error).toBeUndefined();
    expect(env.idp.stats().tokenRequestsByGrant['refresh_token']).toBe(1);

    await sleep(35_000);
    const late = await duplicate.evaluate(() => window.t.silent());
    // The copy's refresh token was spent: no refresh grant goes out for it; the provider's
    // session renews the tab through the iframe instead.
    expect(env.idp.stats().tokenRequestsByGrant['refresh_token']).toBe(1);
    expect(late.error).toBeUndefined();
    // The grant is alive: the first tab's rotated refresh token still works.
    const again = await env.page.evaluate(() => window.t.silent());
    expect(again.error).toBeUndefined();
    expect(again.response?.fromCache).toBe(false);
    expect(env.idp.stats().tokenRequestsByGrant['refresh_token']).toBe(2);
  }, 90_000);

  it('a tab frozen past the token lifetime gets a fresh token on its first call after resuming', async () => {
    const env = await startCoreEnv({ idp, tessera: { tokenRenewalOffsetSeconds: 0 } });
    await openApp(env);
    const first = await env.page.evaluate(() => window.t.popupNow());
    expect(first.error).toBeUndefined();
    const cdp = await env.context.newCDPSession(env.page);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    await sleep(3000);
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    const resumed = await env.page.evaluate(() => window.t.silent());
    expect(resumed.error).toBeUndefined();
    expect(resumed.response?.fromCache).toBe(false);
    expect(resumed.response?.accessToken).not.toBe(first.response?.accessToken);
    expect(Date.parse(resumed.response?.expiresOn ?? '')).toBeGreaterThan(Date.now());
  });
});
