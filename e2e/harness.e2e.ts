// Self-test of the e2e harness: static server + esbuild bundles, recording API, Chromium.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_INSTALL_HINT, findChromium, launchChromium } from './harness/chromium.js';
import { startEnv } from './harness/fixtures.js';
import { startStaticServer } from './harness/static-server.js';

const pages = 'e2e/pages/harness';
const bundles = { '/main.js': 'e2e/pages/harness/main.ts' };

describe('e2e harness', () => {
  it('serves pages and esbuild bundles that run in Chromium', async () => {
    const env = await startEnv({ pages, bundles });
    await env.page.goto(`${env.app.url}/`);
    await expect
      .poll(() => env.page.locator('#out').textContent())
      .toBe(`bundled: hello from TypeScript at ${env.app.url}`);

    const paths = env.app.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(expect.arrayContaining(['GET /', 'GET /main.js', 'GET /style.css']));
  });

  it('answers with content types, 404s and path checks', async () => {
    const app = await startStaticServer({
      root: pages,
      bundles,
      headers: (path) => (path === '/' ? { 'X-Test': 'yes' } : {}),
      routes: {
        '/hello': (_req, res) => {
          res.end('route');
        },
      },
    });
    try {
      const get = (path: string): Promise<Response> => fetch(`${app.url}${path}`);
      const index = await get('/');
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(index.headers.get('x-test')).toBe('yes');
      const js = await get('/main.js');
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await js.text()).toContain('sourceMappingURL=data:application/json');
      expect((await get('/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(await (await get('/hello?x=1')).text()).toBe('route');
      // TypeScript sources are not served as files, nor is anything outside the root.
      expect((await get('/main.ts')).status).toBe(404);
      expect((await get('/missing.html')).status).toBe(404);
      expect((await get('/..%2F..%2Fpackage.json')).status).toBe(404);
      expect(app.requests.map((r) => r.path)).toContain('/hello');
      expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await app.close();
    }
  });

  it('records the Authorization header a page sends cross-origin to the API', async () => {
    const env = await startEnv({ pages, bundles, api: true });
    await env.page.goto(`${env.app.url}/`);
    await env.page.locator('#out').filter({ hasText: 'bundled' }).waitFor();
    expect(env.api.url).not.toBe(env.app.url);

    const ok = await env.page.evaluate(() => window.__callApi('/items?id=1', 'token-1'));
    expect(ok).toEqual({ status: 200, wwwAuthenticate: null, body: { ok: true } });

    env.api.rejectOnce('/items', 'Bearer error="invalid_token"');
    const rejected = await env.page.evaluate(() => window.__callApi('/items', 'token-2'));
    expect(rejected.status).toBe(401);
    expect(rejected.wwwAuthenticate).toBe('Bearer error="invalid_token"');
    const again = await env.page.evaluate(() => window.__callApi('/items', 'token-3'));
    expect(again.status).toBe(200);

    const calls = env.api.calls();
    expect(calls.map((c) => [c.method, c.path, c.authorization, c.origin])).toEqual([
      ['GET', '/items', 'Bearer token-1', env.app.url],
      ['GET', '/items', 'Bearer token-2', env.app.url],
      ['GET', '/items', 'Bearer token-3', env.app.url],
    ]);
    expect(calls[0]?.search).toBe('?id=1');
    // The Authorization header made the browser preflight the request.
    const preflight = env.api.requests.find((r) => r.method === 'OPTIONS');
    expect(preflight?.headers['access-control-request-headers']).toBe('authorization');
  });

  it('gives every launch a fresh profile and deletes it on close', async () => {
    const browser = await launchChromium();
    let profile: string;
    try {
      const page = await browser.newPage();
      await page.goto('chrome://version');
      profile = (await page.locator('#profile_path').textContent()) ?? '';
    } finally {
      await browser.close();
    }
    expect(profile).toMatch(/playwright_chromiumdev_profile-/);
    expect(existsSync(profile)).toBe(false);
  });

  it('says how to install Chromium when it is missing', () => {
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      CHROMIUM_INSTALL_HINT,
    );
    expect(() => findChromium({}, '/nonexistent/chromium')).toThrow(
      /Chromium was not found at \/nonexistent\/chromium.*apt-get install -y chromium/,
    );
    expect(findChromium({ CHROMIUM_PATH: '' })).toBe(findChromium({}));
    expect(CHROMIUM_INSTALL_HINT).toContain('apt-get install -y chromium');
    expect(CHROMIUM_INSTALL_HINT).toContain('CHROMIUM_PATH');
  });
});
