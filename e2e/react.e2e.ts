// @tessera/react in real Chromium against the dev IdP, in StrictMode: sign in by redirect, the
// protected component renders the account, five components asking for the same API token cause
// one token request, the API call carries it, sign out.
import { expect, it } from 'vitest';
import { startEnv } from './harness/fixtures.js';

it('react: sign in, one token request for five components, API call with the token, sign out', async () => {
  const env = await startEnv({
    // Access tokens of 4 s are served for 2 s: then the five components need a new one.
    idp: { autoLogin: { username: 'alice', consent: 'all' }, ttl: { accessToken: 4 } },
    pages: 'e2e/pages/react',
    bundles: { '/app.js': 'e2e/pages/react/app.ts' },
    api: true,
  });
  const { page } = env;
  await page.goto(env.redirectUri);
  await page.click('#sign-in');
  await page.waitForURL((url) => url.origin === env.app.url);
  await expect.poll(() => page.textContent('#account')).toBe('alice');
  expect(env.idp.stats().tokenRequestsByGrant).toEqual({ authorization_code: 1 });
  await page.waitForTimeout(2_500);
  await page.click('#show-tokens');
  await page.locator('.token[data-status=success]').nth(4).waitFor();
  // Five components, StrictMode's double mount: one refresh for all of them.
  expect(env.idp.stats().tokenRequestsByGrant).toEqual({ authorization_code: 1, refresh_token: 1 });
  await page.click('#call-api');
  await expect.poll(() => page.textContent('#api')).toBe('200');

  const received = env.api.calls().filter((call) => call.path === '/profile');
  expect(received).toHaveLength(1);
  expect(received[0]?.authorization).toMatch(/^Bearer /);

  await page.click('#sign-out');
  await page.locator('#sign-in').waitFor();
  expect(await page.locator('#account').count()).toBe(0);
});
