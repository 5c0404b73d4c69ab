// diagnose(app) in real Chromium against the real dev IdP: four broken setups, each finding
// naming the fix, and a correct one with nothing to fix. One browser and one IdP for the file;
// the app is served twice — on 127.0.0.1 (same site as the IdP) and on localhost (cross-site).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../packages/browser/src/diagnose/index.js';
import type { PageConfig } from './pages/diagnose/app.js';
import { startFaultProxy, type FaultProxy } from './harness/fault-proxy.js';
import { startEnv, type Env } from './harness/fixtures.js';
import { startStaticServer, type StaticServer } from './harness/static-server.js';

const PAGES = 'e2e/pages/diagnose';
const BUNDLES = {
  '/app.js': 'e2e/pages/diagnose/app.ts',
  '/callback.js': 'e2e/pages/diagnose/callback.ts',
};
const CLIENT_ID = 'tessera-e2e';
/** The page's own checks, in the order diagnose runs them. */
const ALL_PASSED = [
  'discovery',
  'issuer',
  'discovery_cors',
  'code_flow',
  'pkce_s256',
  'refresh_tokens',
  'token_endpoint_cors',
  'client',
  'callback_page',
  'redirect_uri_registered',
  'iframe_session',
];

let env: Env;
/** The same app on `localhost`: cross-site to the IdP on 127.0.0.1. */
let crossSite: StaticServer;
let proxy: FaultProxy;

beforeAll(async () => {
  crossSite = await startStaticServer({ root: PAGES, bundles: BUNDLES, urlHost: 'localhost' });
  env = await startEnv({
    pages: PAGES,
    bundles: BUNDLES,
    clientId: CLIENT_ID,
    idp: (app) => ({
      autoLogin: { username: 'alice', consent: 'all' },
      // Only the callback pages are registered; the apps' origins are allowed by CORS through them.
      clients: [
        {
          clientId: CLIENT_ID,
          redirectUris: [`${app.url}/callback.html`, `${crossSite.url}/callback.html`],
          refreshTokens: true,
        },
      ],
    }),
  });
  proxy = await startFaultProxy(env.idp.url);
});

afterAll(async () => {
  await env?.close();
  await crossSite?.close();
  await proxy?.close();
});

async function open(origin: string): Promise<void> {
  await env.page.goto(`${origin}/`);
  await env.page.locator('body[data-state=ready]').waitFor();
}

function config(origin: string, overrides: Partial<PageConfig> = {}): PageConfig {
  return {
    authority: env.idp.issuer,
    clientId: CLIENT_ID,
    redirectUri: `${origin}/callback.html`,
    ...overrides,
  };
}

function diagnoseIn(pageConfig: PageConfig, timeoutMs?: number): Promise<Diagnosis> {
  return env.page.evaluate(
    ([c, t]) => window.d.diagnose(c, t === undefined ? {} : { timeoutMs: t }),
    [pageConfig, timeoutMs] as const,
  );
}

const ids = (diagnosis: Diagnosis) => diagnosis.findings.map((f) => `${f.severity} ${f.id}`);

describe('diagnose(app) in Chromium against the dev IdP', () => {
  it('(a) a redirect URI not registered: the hidden-iframe probe never comes back, the finding says to register it', async () => {
    await open(env.app.url);
    // The page itself exists and is framable; only the provider does not know it.
    const redirectUri = `${env.app.url}/`;
    const started = Date.now();
    const result = await diagnoseIn(config(env.app.url, { redirectUri }), 3000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(ids(result)).toEqual(['error redirect_uri_not_registered']);
    const [finding] = result.findings;
    expect(finding!.message).toContain(`auth.redirectUri "${redirectUri}"`);
    expect(finding!.message).toContain('within 3000 ms');
    expect(finding!.fix).toContain(`Register "${redirectUri}" exactly`);
    expect(finding!.fix).toContain('npx tessera-doctor');
    expect(result.passed).toContain('callback_page');
    expect(result.passed).not.toContain('redirect_uri_registered');
    // The probe's iframe is gone.
    expect(await env.page.locator('iframe').count()).toBe(0);
  });

  it('(b) discovery without CORS (a proxy strips Access-Control-Allow-Origin): discovery_cors_blocked, told apart from unreachable', async () => {
    const discovery = '/.well-known/openid-configuration';
    const document = await (await fetch(`${env.idp.url}${discovery}`)).text();
    // The real document, answered without any CORS header.
    proxy.inject(
      { path: discovery },
      ...Array.from({ length: 4 }, () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: document,
      })),
    );
    await open(env.app.url);
    const result = await diagnoseIn(config(env.app.url, { authority: proxy.url }));
    expect(ids(result)).toEqual(['error discovery_cors_blocked']);
    const [finding] = result.findings;
    expect(finding!.message).toContain(`${proxy.url}${discovery}`);
    expect(finding!.message).toContain(`Access-Control-Allow-Origin: ${env.app.url}`);
    expect(finding!.fix).toContain(`Allow the origin ${env.app.url} at the provider`);
    expect(finding!.fix).toContain(`--origin ${env.app.url}`);
    // One CORS request (not retried), then the no-cors request that found the provider there.
    expect(proxy.count(discovery)).toBe(2);
    expect(result.passed).toEqual(['callback_page']);
  });

  it('(c) issuer mismatch (authority on localhost, issuer on 127.0.0.1): issuer_mismatch naming the issuer to set', async () => {
    await open(env.app.url);
    const authority = env.idp.issuer.replace('127.0.0.1', 'localhost');
    const result = await diagnoseIn(config(env.app.url, { authority }));
    expect(ids(result)).toEqual(['error issuer_mismatch']);
    const [finding] = result.findings;
    expect(finding!.message).toContain(`auth.authority is "${authority}"`);
    expect(finding!.message).toContain(
      `issuer (from ${authority}/.well-known/openid-configuration) is "${env.idp.issuer}"`,
    );
    expect(finding!.fix).toContain(`Set auth.authority to "${env.idp.issuer}" exactly`);
    // The document itself was read (CORS fine) and is sound.
    expect(result.passed).toEqual(['discovery', 'callback_page']);
  });

  it('(d) cross-site (app on localhost, IdP on 127.0.0.1) with alice signed in: third_party_cookies_blocked, advising refresh tokens', async () => {
    await open(crossSite.url);
    const pageConfig = config(crossSite.url);
    expect(await env.page.evaluate((c) => window.d.signIn(c), pageConfig)).toBe('alice');
    const result = await diagnoseIn(pageConfig);
    expect(ids(result)).toEqual(['warning third_party_cookies_blocked']);
    const [finding] = result.findings;
    expect(finding!.message).toContain('"alice" is signed in here');
    expect(finding!.message).toContain('login_required');
    expect(finding!.message).toContain(`the app (${crossSite.url})`);
    expect(finding!.message).toContain(`the provider (${env.idp.url})`);
    expect(finding!.fix).toContain('refresh tokens');
    // The redirect URI is fine: the answer came back to it.
    expect(result.passed).toEqual(ALL_PASSED.filter((id) => id !== 'iframe_session'));
  });

  it('a correct setup (same site, alice signed in): nothing to fix, every check passed, nothing stored or redeemed', async () => {
    await open(env.app.url);
    const pageConfig = config(env.app.url);
    expect(await env.page.evaluate((c) => window.d.signIn(c), pageConfig)).toBe('alice');
    const storedBefore = await env.page.evaluate(() => window.d.storedKeys());
    const before = env.idp.stats();
    const result = await diagnoseIn(pageConfig);
    expect(result.findings).toEqual([]);
    expect(result.passed).toEqual(ALL_PASSED);
    expect(result.notes).toEqual([]);
    const after = env.idp.stats();
    // One prompt=none authorization (the probe), one token request (the client probe's invalid
    // code): the probe's code was dropped, never exchanged.
    expect(after.authorizationRequests - before.authorizationRequests).toBe(1);
    expect(after.tokenRequests - before.tokenRequests).toBe(1);
    expect(await env.page.evaluate(() => window.d.storedKeys())).toEqual(storedBefore);
    expect(await env.page.locator('iframe').count()).toBe(0);
  });
});
