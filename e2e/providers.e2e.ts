// The same code against every provider profile of the dev IdP (Entra ID, Auth0, Keycloak,
// Google quirks reproduced offline), in real Chromium: the seed's two snippets unchanged, Entra's
// scope casing, named tenants and claims challenges, several accounts, and offline_access sent
// only where the provider lists it.
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Page } from 'playwright-core';
import { startApi } from '../examples/api/src/server.js';
import type { Env } from './harness/fixtures.js';
import { lastOutcome, openApp, requestsDuring, startCoreEnv } from './core/support.js';

type Profile = 'entra' | 'auth0' | 'keycloak' | 'google';

/** Options the page reads before its scripts run: values known only once the servers listen. */
async function pageOptions(env: Env, options: Record<string, unknown>): Promise<void> {
  await env.page.context().addInitScript((value) => {
    (globalThis as Record<string, unknown>)['__E2E_TESSERA__'] = value;
  }, options);
}

function profileEnv(profile: Profile, extra: Record<string, unknown> = {}) {
  return startCoreEnv({
    idp: { profile, autoLogin: { username: 'alice', consent: 'all' } },
    tessera: extra,
  });
}

/** The documented configuration of each profile: authority, scopes and extra parameters. */
function documented(profile: Profile, env: Env): Record<string, unknown> {
  const idp = env.idp;
  switch (profile) {
    case 'entra':
      // The seed's own request, with Entra's lower-case spelling of the Graph scope.
      return { authority: idp.authority, protocolMode: 'AAD', scopes: ['user.read'] };
    case 'auth0':
      return {
        authority: idp.authority,
        scopes: ['api://demo/read'],
        extraQueryParameters: { audience: 'api://demo' },
      };
    case 'keycloak':
      return { authority: idp.authority, scopes: ['api://demo/read'] };
    case 'google':
      return { authority: idp.authority, scopes: ['openid', 'email'] };
  }
}

/** Clicks one of the seed's buttons and waits for its outcome. */
async function seedPopup(page: Page) {
  await page.click('#seed-popup');
  return lastOutcome(page);
}

describe.each<Profile>(['entra', 'auth0', 'keycloak', 'google'])('profile %s', (profile) => {
  it("the seed's two snippets, unchanged, sign in and get a token; the next call is a cache hit", async () => {
    const env = await profileEnv(profile);
    await pageOptions(env, documented(profile, env));
    await openApp(env);

    // Popup snippet: silent fails with interaction_required (nobody signed in), popup succeeds.
    const popup = await seedPopup(env.page);
    expect(popup.error).toBeUndefined();
    expect(popup.response?.username).toBe('alice');
    expect(await env.page.evaluate(() => window.t.seedSilent?.error?.seedCheck)).toBe(true);
    env.idp.resetStats();
    const again = await env.page.evaluate(() => window.t.silent());
    expect(again.response?.fromCache).toBe(true);
    expect(env.idp.stats().tokenRequests).toBe(0);

    // Redirect snippet, from a fresh tab state: silent fails, the redirect returns with a token.
    await env.page.evaluate(() => sessionStorage.clear());
    await openApp(env);
    await env.page.click('#seed-redirect');
    await env.page.waitForFunction(() => window.t?.redirectResults?.length === 1, undefined, {
      timeout: 20_000,
    });
    const [redirected] = await env.page.evaluate(() => window.t.redirectResults);
    expect(redirected?.error).toBeUndefined();
    expect(redirected?.response?.username).toBe('alice');
  });
});

describe('profile entra', () => {
  it('user.read twice: the second call is served from the cache although Entra answered User.Read', async () => {
    const env = await profileEnv('entra');
    await pageOptions(env, documented('entra', env));
    await openApp(env);
    const first = await env.page.evaluate(() => window.t.popupNow({ scopes: ['user.read'] }));
    expect(first.error).toBeUndefined();
    expect(first.response?.scopes).toContain('User.Read');
    env.idp.resetStats();
    const second = await env.page.evaluate(() => window.t.silent({ scopes: ['user.read'] }));
    expect(second.response?.fromCache).toBe(true);
    expect(second.response?.accessToken).toBe(first.response?.accessToken);
    expect(env.idp.stats().tokenRequests).toBe(0);
  });

  it('signs in at a tenant named by domain, at consumers and at a B2C policy path', async () => {
    const env = await profileEnv('entra');
    const idp = env.idp;
    const named = idp.entraAuthority('contoso.onmicrosoft.com');
    await pageOptions(env, {
      authority: named,
      knownAuthorities: [new URL(named).host],
      scopes: ['user.read'],
    });
    await openApp(env);
    const tenantIssuer = `${env.idp.url}/${idp.entraTenantId('contoso.onmicrosoft.com')}/v2.0`;

    const atNamed = await env.page.evaluate(() => window.t.popupNow());
    expect(atNamed.error).toBeUndefined();
    expect(atNamed.response?.homeAccountId).toContain(tenantIssuer);

    const atConsumers = await env.page.evaluate(
      (authority) => window.t.popupNow({ scopes: ['user.read'], authority, prompt: 'login' }),
      idp.entraAuthority('consumers'),
    );
    expect(atConsumers.error).toBeUndefined();
    expect(atConsumers.response?.homeAccountId).toContain(
      `${env.idp.url}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`,
    );

    const atB2c = await env.page.evaluate(
      (authority) => window.t.popupNow({ scopes: ['user.read'], authority, prompt: 'login' }),
      idp.b2cAuthority(),
    );
    expect(atB2c.error).toBeUndefined();
    expect(atB2c.response?.homeAccountId).toContain(`${tenantIssuer}/`);
  });

  it("an API's claims challenge is met by a refresh grant carrying claims, without an iframe", async () => {
    const env = await profileEnv('entra');
    const idp = env.idp;
    const api = await startApi({
      port: 0,
      issuer: `${env.idp.url}/${idp.entraTenantId()}/v2.0`,
      audience: 'api://demo',
      allowedOrigins: [env.app.url],
    });
    onTestFinished(() => api.close());
    await pageOptions(env, {
      authority: idp.authority,
      protocolMode: 'AAD',
      scopes: ['api://demo/read'],
      protectedResourceMap: { [api.url]: ['api://demo/read'] },
    });
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
    env.idp.resetStats();

    const { result, urls } = await requestsDuring(env.page, () =>
      env.page.evaluate((url) => window.t.fetchWithToken(url), `${api.url}/step-up`),
    );

    expect(result.status).toBe(200);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ acrs: ['c1'] });
    const stats = idp.stats();
    expect(stats.tokenRequestsWithClaims).toBe(1);
    expect(stats.tokenRequestsByGrant['refresh_token']).toBe(1);
    expect(stats.authorizationRequests).toBe(0);
    expect(urls.filter((u) => u.includes('/authorize'))).toEqual([]);
  });
});

describe('profile keycloak', () => {
  it("refresh_expires_in: the snapshot shows the session's end, and a refresh token past it is not sent", async () => {
    const env = await startCoreEnv({
      idp: {
        profile: 'keycloak',
        autoLogin: { username: 'alice', consent: 'all' },
        ttl: { accessToken: 2, refreshToken: 4 },
      },
      tessera: { tokenRenewalOffsetSeconds: 0 },
    });
    await pageOptions(env, documented('keycloak', env));
    await openApp(env);
    const before = Date.now();
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();
    const ends = await env.page.evaluate(
      () => window.t.app.getSnapshot().sessionExpiresOn?.getTime() ?? null,
    );
    expect(ends).toBeGreaterThan(before + 2_500);
    expect(ends).toBeLessThanOrEqual(Date.now() + 4_000);

    await new Promise((resolve) => setTimeout(resolve, 4_500));
    env.idp.resetStats();
    // The access token and the refresh token have both expired; the provider's session has not.
    const renewed = await env.page.evaluate(() => window.t.silent());
    expect(renewed.error).toBeUndefined();
    expect(renewed.response?.fromCache).toBe(false);
    const stats = env.idp.stats();
    expect(stats.tokenRequestsByGrant['refresh_token'] ?? 0).toBe(0);
    expect(stats.authorizationRequests).toBe(1);
  });
});

describe('several accounts', () => {
  it('a second sign-in becomes the active account; each account keeps its own tokens', async () => {
    const env = await startCoreEnv({ idp: { autoLogin: { username: 'alice', consent: 'all' } } });
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).response?.username).toBe('alice');
    env.idp.setAutoLogin({ username: 'bob', consent: 'all' });
    const bob = await env.page.evaluate(() =>
      window.t.popupNow({ scopes: ['api://demo/read'], prompt: 'login' }),
    );
    expect(bob.response?.username).toBe('bob');

    expect(await env.page.evaluate(() => window.t.accounts().sort())).toEqual(['alice', 'bob']);
    expect(await env.page.evaluate(() => window.t.account())).toBe('bob');
    // The seed's snippet, no account named: served for the active account, from the cache.
    const seed = await seedPopup(env.page);
    expect(seed.response).toMatchObject({ username: 'bob', fromCache: true });
    const alice = await env.page.evaluate(() => window.t.silentFor('alice'));
    expect(alice.response?.username).toBe('alice');
    expect(alice.response?.accessToken).not.toBe(seed.response?.accessToken);

    // Switching the active account; it survives a reload.
    await env.page.evaluate(() => window.t.setActive('alice'));
    await openApp(env);
    expect(await env.page.evaluate(() => window.t.account())).toBe('alice');
    expect((await env.page.evaluate(() => window.t.silent())).response?.username).toBe('alice');
  });
});

describe('offline_access', () => {
  it('is not sent to a provider that does not list it (Google): the sign-in succeeds', async () => {
    const env = await profileEnv('google');
    await pageOptions(env, documented('google', env));
    await openApp(env);
    const { result, urls } = await requestsDuring(env.page, () =>
      env.page.evaluate(() => window.t.popupNow()),
    );
    expect(result.error).toBeUndefined();
    const authorize = urls.map((u) => new URL(u)).filter((u) => u.searchParams.has('scope'));
    expect(authorize.length).toBeGreaterThan(0);
    for (const url of authorize) {
      expect(url.searchParams.get('scope')?.split(' ')).not.toContain('offline_access');
    }
  });
});
