// Which URLs `createAuthFetch` gives a token to: look-alike hosts, userinfo, scheme downgrade,
// other ports, subdomains, regex metacharacters, dot-segments and encoded slashes, the
// provider's own endpoints, resource A's token and resource B, and an API that redirects
// elsewhere. The look-alike hosts are answered inside the browser (request routing), which
// records exactly what would have been sent. The forged input is the URL; the designed answer
// is a request sent untouched, so these cases end in no error (invariant 6's no-op).
// HOSTILE_DEFECTS=1 also runs the cases skipped as library defects.
import type { Route } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ProtectedResourceMapInput } from '../../packages/browser/src/index.js';
import { startRecordingApi } from '../harness/api-server.js';
import { assertInvariants, authFetch, signIn, silent, snapshot } from './invariants.js';
import type { Session } from './invariants.js';
import { countCheck, hostileCase, SESSION_SCOPES, useHostileSuite } from './support.js';
import type { Case } from './support.js';

const suite = useHostileSuite('url-matching');

const API = 'https://api.example.test';

interface Captured {
  url: string;
  method: string;
  authorization: string | undefined;
}

/** Answers every `*.test` host inside the browser (CORS open) and records what it received. */
async function captureTestHosts(c: Case): Promise<Captured[]> {
  const captured: Captured[] = [];
  await c.context.route(
    (url) => url.hostname.endsWith('.test'),
    async (route: Route) => {
      const request = route.request();
      captured.push({
        url: request.url(),
        method: request.method(),
        authorization: request.headers()['authorization'],
      });
      await route.fulfill({
        status: request.method() === 'OPTIONS' ? 204 : 200,
        headers: {
          'access-control-allow-origin': '*',
          'access-control-allow-headers': 'authorization',
          'content-type': 'text/plain',
        },
        body: 'ok',
      });
    },
  );
  return captured;
}

/**
 * Signs in (a token for `SESSION_SCOPES`), then fetches each URL through `createAuthFetch` with
 * `map`: none may carry a token, or reach anywhere with it.
 */
async function urlCase(map: ProtectedResourceMapInput, urls: readonly string[]): Promise<void> {
  const c = await suite.open();
  const session = await signIn(c);
  const captured = await captureTestHosts(c);
  const before = await snapshot(c);
  for (const url of urls) {
    const result = await authFetch(c, url, map);
    // 200 from the routed host, or the browser's own refusal (credentials in the URL).
    if (result.status === -1) expect(result.error?.name, url).toBe('TypeError');
    else expect(result.status, url).toBe(200);
    if (result.error !== undefined) expect(result.error.text).not.toContain(session.accessToken);
  }
  expect(captured.map((r) => r.authorization).filter(Boolean), 'a token was sent').toEqual([]);
  expect(JSON.stringify(captured)).not.toContain(session.accessToken);
  await assertInvariants(before, { kind: 'none' }, { error: null, requests: {}, session });
}

const protectedApi = { [`${API}/api`]: SESSION_SCOPES };

it('control: the protected API itself gets the token (so the cases below can see one)', async () => {
  const c = await suite.open();
  const session = await signIn(c);
  const captured = await captureTestHosts(c);
  expect((await authFetch(c, `${API}/api/items`, protectedApi)).status).toBe(200);
  const sent = captured.filter((r) => r.method === 'GET');
  expect(sent.map((r) => r.authorization)).toEqual([`Bearer ${session.accessToken}`]);
});

describe('hosts', () => {
  hostileCase('a host suffix (api.example.test.evil.test)', () =>
    urlCase(protectedApi, [
      'https://api.example.test.evil.test/api/items',
      'https://api.example.testevil.test/api/items',
    ]),
  );
  hostileCase('userinfo tricks (api@evil, evil@api, evil\\@api)', () =>
    urlCase(protectedApi, [
      'https://api.example.test@evil.test/api/items',
      'https://evil.test:pw@api.example.test/api/items',
      'https://evil.test\\@api.example.test/api/items',
    ]),
  );
  hostileCase('a scheme downgrade (http for an https entry)', () =>
    urlCase(protectedApi, ['http://api.example.test/api/items']),
  );
  hostileCase('another port', () =>
    urlCase(protectedApi, ['https://api.example.test:8443/api/items']),
  );
  hostileCase('a subdomain of an exact host, and look-alikes of a wildcard', () =>
    urlCase({ ...protectedApi, 'https://*.corp.test/api': SESSION_SCOPES }, [
      'https://evil.api.example.test/api/items',
      'https://evilcorp.test/api/items',
      'https://corp.test.evil.test/api/items',
      'https://x.corp.test.evil.test/api/items',
    ]),
  );
  hostileCase('regex metacharacters in entries (., +, parentheses)', () =>
    urlCase(
      {
        'https://api.example.test/v1.0/items': SESSION_SCOPES,
        'https://api.example.test/a+b': SESSION_SCOPES,
        'https://api.example.test/(x)': SESSION_SCOPES,
      },
      [
        'https://api.example.test/v1x0/items',
        'https://apixexample.test/v1.0/items',
        'https://api.example.test/aab',
        'https://api.example.test/x',
      ],
    ),
  );
});

describe('paths', () => {
  hostileCase('a path prefix that is not a segment (/apis, /api-admin)', () =>
    urlCase(protectedApi, [
      'https://api.example.test/apis',
      'https://api.example.test/api-admin/x',
    ]),
  );
  hostileCase('dot-segments out of the protected path (.., %2e%2e)', () =>
    urlCase(protectedApi, [
      'https://api.example.test/api/../admin/items',
      'https://api.example.test/api/%2e%2e/admin/items',
      'https://api.example.test/api/.%2E/admin',
    ]),
  );
  hostileCase('encoded slashes (%2F) posing as segments', () =>
    urlCase({ [`${API}/tenant-a/`]: SESSION_SCOPES }, [
      'https://api.example.test/tenant-a%2F..%2Ftenant-b/items',
      'https://api.example.test/tenant-a%2fitems',
    ]),
  );
});

describe('whose token goes where', () => {
  hostileCase("the provider's own endpoints never get an API token", async () => {
    const c = await suite.open();
    const session = await signIn(c);
    const provider = suite.provider.url;
    const before = await snapshot(c);
    for (const path of ['/token', '/.well-known/openid-configuration', '/logout']) {
      await authFetch(c, `${provider}${path}`, { [`${provider}/`]: SESSION_SCOPES });
    }
    const sent = suite.provider.requests.filter(
      (r) => r.seq >= before.seq && r.method !== 'OPTIONS',
    );
    expect(sent.map((r) => r.authorization)).toEqual([undefined, undefined, undefined]);
    await assertInvariants(
      before,
      { kind: 'none' },
      {
        error: null,
        requests: { token: 1, discovery: 1, logout: 1 },
        session,
      },
    );
  });

  hostileCase("the library's own token requests carry no API token, whatever the map", async () => {
    const c = await suite.open();
    const session = await signIn(c);
    const before = await snapshot(c);
    // A refresh through the provider whose origin the app (wrongly) mapped as protected.
    await authFetch(c, `${API}/unmapped`, { [`${suite.provider.url}/`]: SESSION_SCOPES });
    const refreshed = await silent(c, { scopes: SESSION_SCOPES, forceRefresh: true });
    expect(refreshed.kind).toBe('response');
    const tokenRequests = suite.provider.requests.filter((r) => r.seq >= before.seq);
    expect(tokenRequests.map((r) => r.authorization)).toEqual([undefined]);
    // The refresh is this case's only provider request; its new token is the session now.
    const renewed: Session = {
      ...session,
      accessToken: refreshed.kind === 'response' ? refreshed.response.accessToken : '',
    };
    const after = await snapshot(c);
    await assertInvariants(
      after,
      { kind: 'none' },
      { error: null, requests: {}, session: renewed },
    );
  });

  hostileCase("resource A's token never goes to resource B", async () => {
    const c = await suite.open();
    const session = await signIn(c);
    const captured = await captureTestHosts(c);
    // Both tokens in the cache first: B's comes from a refresh for B's scope.
    const b = await silent(c, { scopes: ['api://b/read'] });
    const tokenB = b.kind === 'response' ? b.response.accessToken : '';
    expect(suite.provider.accessTokenScopes.get(tokenB)).toBe('api://b/read');
    const map = {
      'https://a.example.test/': ['api://a/read'],
      'https://b.example.test/': ['api://b/read'],
    };
    const before = await snapshot(c);
    await authFetch(c, 'https://b.example.test/items', map);
    await authFetch(c, 'https://a.example.test/items', map);
    const byHost = (host: string) =>
      captured
        .filter((r) => r.method === 'GET' && new URL(r.url).host === host)
        .map((r) => r.authorization);
    expect(byHost('b.example.test')).toEqual([`Bearer ${tokenB}`]);
    expect(byHost('a.example.test')).toEqual([`Bearer ${session.accessToken}`]);
    expect(JSON.stringify(captured.filter((r) => r.url.includes('b.example')))).not.toContain(
      session.accessToken,
    );
    await assertInvariants(before, { kind: 'none' }, { error: null, requests: {}, session });
  });

  hostileCase('a cross-origin redirect from the API carries no token', async () => {
    const c = await suite.open();
    const session = await signIn(c);
    // Another origin (port) that records what arrives; after a cross-origin redirect the
    // browser sends `Origin: null`.
    const landing = await startRecordingApi({ allowOrigin: 'null' });
    onTestFinished(() => landing.close());
    const before = await snapshot(c);
    suite.api.respondOnce('/api/moved', {
      status: 307,
      headers: { location: `${landing.url}/collect` },
    });
    await authFetch(c, `${suite.api.url}/api/moved`, { [`${suite.api.url}/api`]: SESSION_SCOPES });
    // The API itself got the token; the redirect target did not.
    expect(
      suite.api
        .calls()
        .slice(-1)
        .map((r) => r.authorization),
    ).toEqual([`Bearer ${session.accessToken}`]);
    expect(landing.requests.length, 'the redirect was followed').toBeGreaterThan(0);
    expect(landing.requests.map((r) => r.authorization).filter(Boolean)).toEqual([]);
    const preflights = landing.requests.filter((r) =>
      String(r.headers['access-control-request-headers'] ?? '').includes('authorization'),
    );
    expect(preflights, 'a preflight asking to send Authorization').toEqual([]);
    expect(JSON.stringify(landing.requests)).not.toContain(session.accessToken);
    await assertInvariants(
      before,
      { kind: 'none' },
      {
        error: null,
        requests: {},
        apiRequests: suite.api.requests.length - before.apiRequests,
        session,
      },
    );
  });
});

countCheck();
