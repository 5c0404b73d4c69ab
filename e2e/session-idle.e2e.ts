// Idle sign-out and auto renewal in real Chromium against the dev IdP.
import { describe, expect, it } from 'vitest';
import type { DevIdpOptions } from './harness/fixtures.js';
import { openApp, startCoreEnv } from './core/support.js';

function idp(accessTokenSeconds: number) {
  return (app: { url: string }): DevIdpOptions => ({
    autoLogin: { username: 'alice', consent: 'all' },
    ttl: { accessToken: accessTokenSeconds },
    clients: [
      {
        clientId: 'tessera-e2e',
        redirectUris: [`${app.url}/`],
        postLogoutRedirectUris: [`${app.url}/`],
      },
    ],
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session: idle and auto renewal', () => {
  it('idle sign-out (10 s): the countdown fires, activity in another tab postpones it, sign-out reaches every tab', async () => {
    const env = await startCoreEnv({
      idp: idp(3600),
      tessera: { cacheLocation: 'localStorage', idleTimeout: 10_000, idleWarning: 4_000 },
    });
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
    const other = await env.context.newPage();
    await other.goto(`${env.app.url}/`);
    await other.locator('body[data-state=ready]').waitFor();
    const started = Date.now();
    const eventsOf = (page: typeof other, type: string) =>
      page.evaluate((t) => window.t.events.filter((e) => e.type === t), type);

    // The countdown: a warning at about 6 s of idleness.
    await env.page.waitForFunction(
      () => window.t.events.some((e) => e.type === 'msal:idleWarning'),
      undefined,
      { timeout: 9_000 },
    );
    expect(Date.now() - started).toBeGreaterThan(4_000);
    // Activity in the other tab postpones the sign-out past the first 10 s.
    await other.mouse.click(5, 5);
    await sleep(6_000);
    expect(await env.page.evaluate(() => window.t.account())).toBe('alice');
    expect(await other.evaluate(() => window.t.account())).toBe('alice');
    // No activity now: both tabs are signed out, with one "session ended" each.
    await env.page.waitForFunction(() => window.t.account() === null, undefined, {
      timeout: 12_000,
    });
    await other.waitForFunction(() => window.t.account() === null, undefined, { timeout: 3_000 });
    const reasons = [
      ...(await eventsOf(env.page, 'msal:sessionEnded')),
      ...(await eventsOf(other, 'msal:sessionEnded')),
    ].map((e) => e.reason);
    expect(reasons).toHaveLength(2);
    expect(reasons).toContain('idle');
    expect(
      await env.page.evaluate(() =>
        Object.keys(localStorage).filter((k) => k.startsWith('tessera.v1.account.')),
      ),
    ).toEqual([]);
  }, 60_000);

  it('auto renew: a token is renewed ahead of expiry without a call, and on visibility', async () => {
    const env = await startCoreEnv({
      idp: idp(4),
      tessera: { autoRenew: true, tokenRenewalOffsetSeconds: 300 },
    });
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
    const first = await env.page.evaluate(() => window.t.silent());
    expect(first.response?.fromCache).toBe(true);
    const before = env.idp.stats().tokenRequestsByGrant['refresh_token'] ?? 0;
    // The 4 s token is served for 2 s (half its life); the renewer renews it then, unasked.
    await sleep(3_000);
    expect(env.idp.stats().tokenRequestsByGrant['refresh_token'] ?? 0).toBeGreaterThan(before);
    const next = await env.page.evaluate(() => window.t.silent());
    expect(next.response?.fromCache).toBe(true);
    expect(next.response?.accessToken).not.toBe(first.response?.accessToken);
  });
});
