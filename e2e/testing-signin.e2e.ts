// @tessera/testing's signed-in e2e start, in real Chromium: startTestIdp runs the real dev IdP,
// signIn gets real tokens from it in Node and installs them with an init script, and the core
// test page (the seed's code) starts signed in — no request to the login page, the silent token
// from the cache, and a refresh token the dev IdP accepts from the browser.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { signIn, startTestIdp, testClient, type TestIdp } from '@tessera/testing';
import { launchChromium } from './harness/chromium.js';
import { PAGE_ENV_GLOBAL, type PageEnv } from './harness/page-env.js';
import { startStaticServer, type StaticServer } from './harness/static-server.js';

const SCOPES = ['api://demo/read'];

interface World {
  app: StaticServer;
  idp: TestIdp;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every request of every page and frame, in order. */
  requests: string[];
  /** Page errors and console errors, shown when an assertion fails. */
  log: string[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** The core test page on one port, the dev IdP (automatic mode) on another, fresh Chromium. */
async function start(cacheLocation: 'sessionStorage' | 'localStorage'): Promise<World> {
  const app = await startStaticServer({
    root: 'e2e/pages/core',
    bundles: { '/app.js': 'e2e/pages/core/app.ts', '/callback.js': 'e2e/pages/core/callback.ts' },
  });
  cleanups.push(() => app.close());
  const idp = await startTestIdp({ clients: [testClient(app.url, 'signed-in-spa')] });
  cleanups.push(() => idp.close());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const context = await browser.newContext();
  context.setDefaultTimeout(20_000);

  // What the test page reads as pageEnv(): its client, authority and cache location.
  const pageEnv: PageEnv = {
    appUrl: app.url,
    issuer: idp.issuer,
    clientId: idp.clientId,
    redirectUri: idp.redirectUri,
    tessera: { cacheLocation, scopes: SCOPES },
  };
  await context.addInitScript(
    ({ name, value }) => Object.defineProperty(globalThis, name, { value }),
    { name: PAGE_ENV_GLOBAL, value: pageEnv },
  );
  const requests: string[] = [];
  const log: string[] = [];
  context.on('request', (request: Request) => requests.push(request.url()));
  context.on('page', (page) => {
    page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
    page.on('console', (m) => m.type() === 'error' && log.push(`console: ${m.text()}`));
  });
  const page = await context.newPage();
  return { app, idp, browser, context, page, requests, log };
}

async function openApp(world: World): Promise<void> {
  await world.page.goto(`${world.app.url}/`);
  await world.page.locator('body[data-state=ready]').waitFor();
}

const toIdp = (world: World) =>
  world.requests.filter((url) => new URL(url).origin === world.idp.url);

describe('signIn from @tessera/testing', () => {
  it('the app starts signed in: no login page, the silent token from the cache, also after a reload', async () => {
    const world = await start('sessionStorage');
    const session = await signIn(world.context, {
      idp: world.idp,
      origin: world.app.url,
      username: 'bob',
      scopes: SCOPES,
    });
    expect(session.tokens.idTokenClaims.preferred_username).toBe('bob');
    world.idp.resetStats();

    await openApp(world);

    // The seed's synchronous getAccount() right after construction already sees bob.
    expect(await world.page.evaluate(() => window.t.accountAtStart), world.log.join('\n')).toBe(
      'bob',
    );
    const silent = await world.page.evaluate(() => window.t.silent());
    expect(silent.ok, JSON.stringify(silent.error)).toBe(true);
    expect(silent.response).toMatchObject({
      accessToken: session.tokens.accessToken,
      fromCache: true,
      username: 'bob',
      homeAccountId: session.homeAccountId,
    });
    // Nothing went to the provider: no authorization request (no login page), no token request.
    const authorize = new URL(
      (
        (await (await fetch(`${world.idp.issuer}/.well-known/openid-configuration`)).json()) as {
          authorization_endpoint: string;
        }
      ).authorization_endpoint,
    );
    expect(world.requests.filter((url) => url.startsWith(authorize.href))).toEqual([]);
    expect(toIdp(world)).toEqual([]);
    expect(world.idp.stats()).toMatchObject({ authorizationRequests: 0, tokenRequests: 0 });
    // Written into sessionStorage on the app's origin, under the library's keys.
    expect(await world.page.evaluate(() => window.t.cacheKeys().sort())).toEqual(
      session.entries.map((e) => e.key).sort(),
    );

    // A reload keeps the session (the init script writes once; the app's own storage rules).
    await openApp(world);
    expect(await world.page.evaluate(() => window.t.account())).toBe('bob');
    expect((await world.page.evaluate(() => window.t.silent())).response?.fromCache).toBe(true);
    expect(toIdp(world)).toEqual([]);
    expect(world.log).toEqual([]);
  });

  it('localStorage: the session is real — a forced renewal uses its refresh token at the dev IdP, still without the login page', async () => {
    const world = await start('localStorage');
    const session = await signIn(world.context, {
      idp: world.idp,
      origin: world.app.url,
      scopes: SCOPES,
      cacheLocation: 'localStorage',
    });
    world.idp.resetStats();
    await openApp(world);
    expect(await world.page.evaluate(() => window.t.accountAtStart)).toBe('alice');
    expect(
      await world.page.evaluate(() =>
        Object.keys(localStorage).filter((k) => k.startsWith('tessera.v1.')),
      ),
    ).toEqual(expect.arrayContaining(session.entries.map((e) => e.key)));

    const renewed = await world.page.evaluate(() =>
      window.t.silent({ scopes: ['api://demo/read'], forceRefresh: true }),
    );
    expect(renewed.ok, JSON.stringify(renewed.error)).toBe(true);
    expect(renewed.response?.fromCache).toBe(false);
    expect(renewed.response?.accessToken).not.toBe(session.tokens.accessToken);
    expect(world.idp.stats()).toMatchObject({
      authorizationRequests: 0,
      tokenRequestsByGrant: { refresh_token: 1 },
    });
    expect(world.log).toEqual([]);
  });
});
