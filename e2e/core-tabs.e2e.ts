// Two tabs sharing localStorage renew one refresh token: Web Locks serialise the renewal, the
// second tab re-reads the cache after the lock, and rotation never loses the session.
import { describe, expect, it } from 'vitest';
import { openApp, startCoreEnv } from './core/support.js';

describe('core: two tabs', () => {
  it('concurrent renewals in two tabs make one token request, and both tabs get the new token', async () => {
    const env = await startCoreEnv({
      idp: (app) => ({
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
      }),
      tessera: { tokenRenewalOffsetSeconds: 0, cacheLocation: 'localStorage' },
    });
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();

    const second = await env.context.newPage();
    await second.goto(`${env.app.url}/`);
    await second.locator('body[data-state=ready]').waitFor();
    // The second tab knows the account at once, from the shared cache.
    expect(await second.evaluate(() => window.t.accountAtStart)).toBe('alice');

    await new Promise((resolve) => setTimeout(resolve, 2600)); // the 2 s access token expires
    env.idp.resetStats();
    const burst = () => Promise.all(Array.from({ length: 25 }, () => window.t.silent()));
    const [a, b] = await Promise.all([env.page.evaluate(burst), second.evaluate(burst)]);
    const all = [...a, ...b];
    expect(all.filter((o) => !o.ok).map((o) => o.error)).toEqual([]);
    expect(new Set(all.map((o) => o.response?.accessToken)).size).toBe(1);
    expect(env.idp.stats().tokenRequestsByGrant).toEqual({ refresh_token: 1 });

    // The rotated refresh token is the one both tabs now hold: a later renewal still works.
    await new Promise((resolve) => setTimeout(resolve, 2600));
    const later = await second.evaluate(() => window.t.silent());
    expect(later.error).toBeUndefined();
    expect(later.response?.fromCache).toBe(false);
    expect(env.idp.stats().tokenRequestsByGrant).toEqual({ refresh_token: 2 });
  });
});
