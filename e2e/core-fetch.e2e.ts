// createAuthFetch in real Chromium: the token goes to the protected API and nowhere else,
// asserted on what each server received.
import { describe, expect, it, onTestFinished } from 'vitest';
import { startRecordingApi } from './harness/api-server.js';
import { jwtPayload, openApp, startCoreEnv } from './core/support.js';

describe('core: createAuthFetch', () => {
  it('attaches the bearer token to the protected API only', async () => {
    // The env's API is protected; a second API on another port is not.
    const other = await startRecordingApi({ allowOrigin: 'http://127.0.0.1' });
    onTestFinished(() => other.close());
    const env = await startCoreEnv({
      idp: { autoLogin: { username: 'alice', consent: 'all' } },
      api: true,
      tessera: {},
    });
    const apiUrl = env.api.url;
    await env.context.addInitScript(
      ({ api }) => {
        const target = globalThis as unknown as {
          __E2E_ENV__: { tessera: Record<string, unknown> };
        };
        target.__E2E_ENV__.tessera['protectedResourceMap'] = {
          [`${api}/`]: ['api://demo/read'],
          'https://api.example.com': ['api://demo/read'],
        };
      },
      { api: apiUrl },
    );
    // A look-alike host, answered inside the browser so the test sees what it would have received.
    const evilHeaders: (string | undefined)[] = [];
    await env.context.route(
      (url) => url.hostname.endsWith('.evil.test') || url.hostname === 'evil.test',
      async (route) => {
        evilHeaders.push(route.request().headers()['authorization']);
        await route.fulfill({
          status: 200,
          headers: { 'access-control-allow-origin': '*' },
          body: 'ok',
        });
      },
    );
    await openApp(env);
    expect((await env.page.evaluate(() => window.t.popupNow())).error).toBeUndefined();

    const protectedCall = await env.page.evaluate(
      (url) => window.t.fetchWithToken(url),
      `${apiUrl}/profile`,
    );
    expect(protectedCall.status).toBe(200);
    const received = env.api.calls().find((r) => r.path === '/profile');
    expect(received?.authorization).toMatch(/^Bearer /);
    const claims = jwtPayload(received?.authorization?.slice('Bearer '.length) ?? '');
    expect(claims['aud']).toBe('api://demo');
    expect(claims['scope']).toContain('api://demo/read');

    // A simple GET reaches the server even though its CORS does not admit this page.
    await env.page.evaluate((url) => window.t.fetchWithToken(url), `${other.url}/profile`);
    expect(other.calls()).toHaveLength(1);
    expect(other.calls()[0]?.authorization).toBeUndefined();

    const lookAlike = await env.page.evaluate(() =>
      window.t.fetchWithToken('https://api.example.com.evil.test/profile'),
    );
    expect(lookAlike.status).toBe(200);
    expect(evilHeaders).toEqual([undefined]);

    // user@host tricks: the URL parser sees the real host; browsers refuse credentials in fetch URLs.
    const trick1 = await env.page.evaluate(() =>
      window.t.fetchWithToken('https://api.example.com@evil.test/profile'),
    );
    const port = new URL(other.url).port;
    const trick2 = await env.page.evaluate(
      (url) => window.t.fetchWithToken(url),
      `${apiUrl.replace('http://', 'http://x:y@')}/profile`,
    );
    expect(trick1.status).toBe(-1);
    expect(trick2.status).toBe(-1);
    expect(evilHeaders).toEqual([undefined]);
    expect(other.calls()).toHaveLength(1);
    expect(env.api.calls().filter((r) => r.path === '/profile')).toHaveLength(1);
    expect(port).not.toBe(new URL(apiUrl).port);
  });
});
