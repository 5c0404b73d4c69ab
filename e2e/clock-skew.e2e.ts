// A browser whose clock is 10 minutes off the provider's, either way: sign-in and renewal work,
// and no access token is used after its real lifetime. The page's clock is shifted by an init
// script (Date.now and new Date()), as a wrong device clock would be; the library's clock seam
// is not used. The dev IdP runs on the real clock. Ahead, a 2-minute ID token looks expired
// without the learned offset; behind, its `iat` looks 10 minutes in the future (refused beyond
// the 5-minute tolerance: OIDC Core 3.1.3.7 step 10).
import { describe, expect, it } from 'vitest';
import type { DevIdpOptions } from './harness/fixtures.js';
import { openApp, startCoreEnv } from './core/support.js';

const TEN_MINUTES = 10 * 60 * 1000;

function shortLivedIdp(app: { url: string }): DevIdpOptions {
  return {
    autoLogin: { username: 'alice', consent: 'all' },
    // Short ID tokens (as some providers issue) make a device clock 10 minutes ahead fail the
    // `exp` check, and 2 s access tokens force renewals.
    ttl: { accessToken: 2, idToken: 120 },
    clients: [
      {
        clientId: 'tessera-e2e',
        redirectUris: [`${app.url}/`],
        postLogoutRedirectUris: [`${app.url}/`],
        refreshTokens: true,
      },
    ],
  };
}

/** Waits out the 2 s access token lifetime, in real time. */
const pastExpiry = (ms = 2300) => new Promise((resolve) => setTimeout(resolve, ms));

describe('clock skew: the browser clock 10 minutes off the provider', () => {
  it.each([
    ['ahead', TEN_MINUTES],
    ['behind', -TEN_MINUTES],
  ])(
    '%s: signs in with a popup, renews by refresh token, never uses an expired token',
    async (_label, shift) => {
      const env = await startCoreEnv({
        idp: shortLivedIdp,
        tessera: { tokenRenewalOffsetSeconds: 0 },
      });
      // Every page of the context (the app, the popup, its callback) sees the shifted clock.
      await env.context.addInitScript((ms: number) => {
        const RealDate = Date;
        function ShiftedDate(this: unknown, ...args: unknown[]): unknown {
          if (new.target === undefined) return new RealDate(RealDate.now() + ms).toString();
          return args.length === 0
            ? new RealDate(RealDate.now() + ms)
            : new RealDate(...(args as [number]));
        }
        ShiftedDate.prototype = RealDate.prototype;
        ShiftedDate.now = () => RealDate.now() + ms;
        ShiftedDate.parse = RealDate.parse;
        ShiftedDate.UTC = RealDate.UTC;
        globalThis.Date = ShiftedDate as unknown as DateConstructor;
      }, shift);
      await openApp(env);
      const pageTimes = await env.page.evaluate(() => [Date.now(), new Date().getTime()]);
      for (const time of pageTimes) expect(Math.abs(time - Date.now() - shift)).toBeLessThan(5000);

      const signIn = await env.page.evaluate(() => window.t.popupNow());
      expect(signIn.error).toBeUndefined();
      expect(signIn.response?.username).toBe('alice');
      // The provider's clock, learned from the sign-in's ID token, is remembered with the tokens.
      const learned = await env.page.evaluate(
        (issuer) => Number(sessionStorage.getItem(`tessera.v1.clock.${issuer}`)),
        env.idp.issuer,
      );
      expect(Math.abs(learned + shift)).toBeLessThan(5000);

      // Renewal by refresh token once the access token really expired.
      await pastExpiry();
      const renewed = await env.page.evaluate(() => window.t.silent());
      expect(renewed.error).toBeUndefined();
      expect(renewed.response?.fromCache).toBe(false);
      expect(renewed.response?.accessToken).not.toBe(signIn.response?.accessToken);
      // Its expiry is 2 s from receipt on the page's clock, whatever that clock says.
      const expiresIn = await env.page.evaluate(
        (expiresOn) => new Date(expiresOn).getTime() - Date.now(),
        renewed.response?.expiresOn ?? '',
      );
      expect(expiresIn).toBeGreaterThan(0);
      expect(expiresIn).toBeLessThanOrEqual(2000);
      const cached = await env.page.evaluate(() => window.t.silent());
      expect(cached.response?.fromCache).toBe(true);
      expect(cached.response?.accessToken).toBe(renewed.response?.accessToken);

      // Right after its real 2 s lifetime, the token is not used: the next call goes to the provider.
      await pastExpiry();
      const again = await env.page.evaluate(() => window.t.silent());
      expect(again.error).toBeUndefined();
      expect(again.response?.fromCache).toBe(false);
      expect(again.response?.accessToken).not.toBe(renewed.response?.accessToken);
      expect(env.idp.stats().tokenRequestsByGrant).toEqual({
        authorization_code: 1,
        refresh_token: 2,
      });
    },
  );
});
