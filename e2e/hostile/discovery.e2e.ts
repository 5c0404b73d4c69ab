// Hostile discovery documents (OIDC Discovery 1.0 section 4.3, RFC 8414 3.3): each must fail
// sign-in with `discovery_failed` before any navigation to the provider. An https issuer is
// served through the browser's request routing (no TLS on loopback); loopback http is allowed
// for the issuer itself, so the https rule is tested with a routed https issuer.
// HOSTILE_DEFECTS=1 also runs the cases skipped as library defects.
import { describe, expect } from 'vitest';
import type { HostileConfig } from '../pages/hostile/app.js';
import { assertInvariants, popup, signIn, snapshot } from './invariants.js';
import { json, raw, redirectTo } from './provider.js';
import type { Reply } from './provider.js';
import { countCheck, hostileCase, useHostileSuite } from './support.js';
import type { Case } from './support.js';

const suite = useHostileSuite('discovery');

/** An https issuer nobody else answers for: the test routes it. */
const HTTPS_ISSUER = 'https://idp.hostile.test';

/** A popup sign-in against a crafted discovery answer: refused before the popup goes anywhere. */
async function discoveryCase(
  edit: (doc: Record<string, unknown>) => Record<string, unknown> | Reply,
  options: { session?: boolean; authority?: string } = {},
): Promise<Case> {
  const c = await suite.open(
    options.authority === undefined ? {} : { authority: suite.provider.url + options.authority },
  );
  const session = options.session === true ? await signIn(c) : undefined;
  // A document remembered from the sign-in would answer instead of the crafted one.
  await c.page.evaluate(() => {
    for (const key of Object.keys(sessionStorage)) {
      if (key.startsWith('tessera.v1.metadata.')) sessionStorage.removeItem(key);
    }
  });
  if (session !== undefined) await reload(c);
  suite.provider.script.discovery = edit;
  const before = await snapshot(c);
  const outcome = await popup(c);
  await assertInvariants(before, outcome, {
    error: { code: 'discovery_failed', name: 'ClientAuthError' },
    requests: {},
    ...(session !== undefined && { session }),
  });
  return c;
}

async function reload(c: Case): Promise<void> {
  await c.page.reload();
  await c.ready();
}

/** A case whose authority is the routed https issuer, its document `doc`. */
async function httpsCase(doc: (base: string) => Record<string, unknown>): Promise<Case> {
  const c = await suite.open({ authority: HTTPS_ISSUER });
  await c.context.route(`${HTTPS_ISSUER}/**`, (route) =>
    route.fulfill({
      status: 200,
      headers: { 'access-control-allow-origin': '*', 'content-type': 'application/json' },
      body: JSON.stringify(doc(suite.provider.url)),
    }),
  );
  const before = await snapshot(c);
  const outcome = await popup(c);
  await assertInvariants(before, outcome, {
    error: { code: 'discovery_failed', name: 'ClientAuthError' },
    requests: {},
  });
  return c;
}

const httpsDoc = (base: string, over: Record<string, unknown>): Record<string, unknown> => ({
  issuer: HTTPS_ISSUER,
  authorization_endpoint: `${HTTPS_ISSUER}/authorize`,
  token_endpoint: `${HTTPS_ISSUER}/token`,
  jwks_uri: `${HTTPS_ISSUER}/jwks`,
  response_types_supported: ['code'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256'],
  ...over,
  // `base` (the loopback provider) is where the http endpoints point.
  ...Object.fromEntries(
    Object.entries(over).map(([k, v]) => [k, typeof v === 'string' ? v.replace('BASE', base) : v]),
  ),
});

describe('issuer', () => {
  hostileCase('issuer of another host', () =>
    discoveryCase((doc) => ({ ...doc, issuer: 'http://127.0.0.2:9' }), { session: true }),
  );
  // An authority with a path (Keycloak realms, Auth0 tenants): for an origin, "x" and "x/" are
  // the same URL.
  hostileCase('issuer differing by a trailing slash', () =>
    discoveryCase((doc) => ({ ...doc, issuer: `${String(doc['issuer'])}/` }), {
      authority: '/realms/app',
    }),
  );
  hostileCase('issuer with another path', () =>
    discoveryCase((doc) => ({ ...doc, issuer: `${String(doc['issuer'])}/realms/other` })),
  );
  hostileCase('issuer not a string', () => discoveryCase((doc) => ({ ...doc, issuer: 42 })));
  hostileCase('issuer only inside __proto__', () =>
    discoveryCase((doc) => {
      const { issuer, ...rest } = doc;
      return raw(
        JSON.stringify(rest).replace(/^\{/, `{"__proto__":{"issuer":${JSON.stringify(issuer)}},`),
        'application/json',
      );
    }),
  );
  hostileCase(
    'auth.authorityMetadata naming another issuer: refused without a request',
    async () => {
      const config: Partial<HostileConfig> = {
        authorityMetadata: {
          issuer: 'http://127.0.0.2:9',
          authorization_endpoint: `${suite.provider.url}/authorize`,
          token_endpoint: `${suite.provider.url}/token`,
          response_types_supported: ['code'],
        },
      };
      const c = await suite.open(config);
      const before = await snapshot(c);
      const outcome = await popup(c);
      await assertInvariants(before, outcome, {
        error: { code: 'discovery_failed', name: 'ClientAuthError' },
        requests: { discovery: 0 },
      });
    },
  );
});

describe('endpoints', () => {
  hostileCase('an http authorization_endpoint for an https issuer', () =>
    httpsCase((base) => httpsDoc(base, { authorization_endpoint: 'BASE/authorize' })),
  );
  hostileCase('an http token_endpoint for an https issuer', () =>
    httpsCase((base) => httpsDoc(base, { token_endpoint: 'BASE/token' })),
  );

  hostileCase('an http endpoint on another, non-loopback host', async () => {
    const c = await discoveryCase((doc) => ({
      ...doc,
      token_endpoint: 'http://idp.hostile.test/token',
    }));
    expect(c.requested.filter((url) => url.includes('idp.hostile.test'))).toEqual([]);
  });

  hostileCase('authorization_endpoint missing', () =>
    discoveryCase((doc) => {
      delete doc['authorization_endpoint'];
      return doc;
    }),
  );
  hostileCase('token_endpoint missing', () =>
    discoveryCase((doc) => {
      delete doc['token_endpoint'];
      return doc;
    }),
  );
  hostileCase('a javascript: authorization_endpoint is never opened', () =>
    discoveryCase((doc) => ({ ...doc, authorization_endpoint: 'javascript:window.__pwned=1' })),
  );
  hostileCase('an authorization_endpoint that is not a URL', () =>
    discoveryCase((doc) => ({ ...doc, authorization_endpoint: '//evil.test/authorize' })),
  );
});

describe('the answer itself', () => {
  hostileCase('a redirect to a document elsewhere is not followed', async () => {
    const c = await discoveryCase(() => redirectTo(`${suite.provider.url}/pwned-elsewhere`));
    expect(suite.provider.requests.filter((r) => r.path.includes('elsewhere'))).toEqual([]);
    expect(c.requested.filter((url) => url.includes('elsewhere'))).toEqual([]);
  });
  hostileCase('not JSON', () => discoveryCase(() => raw('<html>hi</html>', 'text/html')));
  hostileCase('a JSON array', () => discoveryCase((doc) => json([doc])));
  hostileCase('404 with an HTML body', () =>
    discoveryCase(() => raw('<img src=x onerror="window.__pwned=1">', 'text/html', 404)),
  );
});

countCheck();
