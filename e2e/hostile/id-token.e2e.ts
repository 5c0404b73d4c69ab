// Hostile ID tokens: each check of OIDC Core 3.1.3.7 (iss, aud, azp, exp, iat, nonce, alg,
// auth_time), malformed JWTs, and a refresh that changes who the user is (Core 12.2).
// HOSTILE_DEFECTS=1 also runs the cases skipped as library defects.
import { describe } from 'vitest';
import { assertInvariants, popup, signIn, silent, snapshot } from './invariants.js';
import type { ErrorName } from './invariants.js';
import { handmadeJwt, hmacJwt, json, raw } from './provider.js';
import type { Script } from './provider.js';
import { CLIENT_ID, countCheck, hostileCase, SESSION_SCOPES, useHostileSuite } from './support.js';

const suite = useHostileSuite('id-token');

type Claims = Record<string, unknown>;
const now = (): number => Math.floor(Date.now() / 1000);

/** A popup sign-in whose ID token has `edit` applied (then signed by the provider's key). */
async function claimsCase(
  edit: (claims: Claims) => void,
  code = 'invalid_id_token',
  options: { session?: boolean; request?: Record<string, unknown>; name?: ErrorName } = {},
): Promise<void> {
  const c = await suite.open();
  const session = options.session === true ? await signIn(c) : undefined;
  suite.provider.script.claims = edit;
  const before = await snapshot(c);
  const outcome = await popup(c, options.request ?? {});
  await assertInvariants(before, outcome, {
    error: { code, name: options.name ?? 'ClientAuthError' },
    requests: { authorize: 1, token: 1 },
    ...(session !== undefined && { session }),
  });
}

/** A popup sign-in whose token response carries `idToken(claims)` instead of the signed one. */
async function jwtCase(
  idToken: (claims: Claims) => string,
  code: string,
  discovery?: Script['discovery'],
): Promise<void> {
  const c = await suite.open();
  if (discovery !== undefined) suite.provider.script.discovery = discovery;
  suite.provider.script.token = async (ctx) => {
    const body = await ctx.good();
    body['id_token'] = suite.provider.secret(idToken(ctx.claims()));
    return json(body);
  };
  const before = await snapshot(c);
  const outcome = await popup(c);
  await assertInvariants(before, outcome, {
    error: { code, name: 'ClientAuthError' },
    requests: { authorize: 1, token: 1 },
  });
}

describe('iss', () => {
  hostileCase('iss of another issuer', () =>
    claimsCase((c) => (c['iss'] = 'http://127.0.0.1:9/evil'), 'invalid_id_token', {
      session: true,
    }),
  );
  hostileCase('iss missing', () => claimsCase((c) => delete c['iss']));
  hostileCase('iss differing by a trailing slash', () =>
    claimsCase((c) => (c['iss'] = `${String(c['iss'])}/`)),
  );
});

describe('aud and azp', () => {
  hostileCase('aud of another client', () => claimsCase((c) => (c['aud'] = 'another-client')));
  hostileCase('aud missing', () => claimsCase((c) => delete c['aud']));
  hostileCase('aud with an untrusted extra audience, no azp', () =>
    claimsCase((c) => (c['aud'] = [CLIENT_ID, 'https://api.evil.test'])),
  );
  hostileCase('aud with an untrusted extra audience, azp naming this client', () =>
    claimsCase((c) => {
      c['aud'] = [CLIENT_ID, 'https://api.evil.test'];
      c['azp'] = CLIENT_ID;
    }),
  );
  hostileCase('azp of another party with several audiences', () =>
    claimsCase((c) => {
      c['aud'] = [CLIENT_ID, 'another-client'];
      c['azp'] = 'another-client';
    }),
  );
  hostileCase('azp of another party with one audience', () =>
    claimsCase((c) => (c['azp'] = 'another-client'), 'invalid_id_token', { session: true }),
  );
  hostileCase('aud only inside __proto__', async () => {
    const c = await suite.open();
    suite.provider.script.token = async (ctx) => {
      const body = await ctx.good();
      const claims = ctx.claims();
      delete claims['aud'];
      // JSON.parse makes `__proto__` an own member, which the signed payload then carries.
      const payload = JSON.parse(
        JSON.stringify(claims).replace(/^\{/, `{"__proto__":{"aud":"${CLIENT_ID}"},`),
      ) as Claims;
      body['id_token'] = await ctx.sign(payload);
      return json(body);
    };
    const before = await snapshot(c);
    const outcome = await popup(c);
    await assertInvariants(before, outcome, {
      error: { code: 'invalid_id_token', name: 'ClientAuthError' },
      requests: { authorize: 1, token: 1 },
    });
  });
});

describe('exp, iat, nbf', () => {
  hostileCase('expired on arrival (exp before iat)', () =>
    claimsCase((c) => (c['exp'] = now() - 600)),
  );
  hostileCase('exp missing', () => claimsCase((c) => delete c['exp']));
  hostileCase('exp not a number', () => claimsCase((c) => (c['exp'] = String(now() + 3600))));
  hostileCase('iat missing', () => claimsCase((c) => delete c['iat']));
  hostileCase('iat two days in the future', () =>
    claimsCase((c) => {
      c['iat'] = now() + 2 * 86_400;
      c['exp'] = now() + 2 * 86_400 + 3600;
      c['auth_time'] = c['iat'];
    }),
  );
  hostileCase('nbf two hours after iat', () => claimsCase((c) => (c['nbf'] = now() + 7200)));
});

describe('nonce, sub, auth_time', () => {
  hostileCase('nonce of another request', () =>
    claimsCase((c) => (c['nonce'] = 'forged-nonce'), 'nonce_mismatch', { session: true }),
  );
  hostileCase('nonce missing', () => claimsCase((c) => delete c['nonce'], 'nonce_mismatch'));
  hostileCase('sub missing', () => claimsCase((c) => delete c['sub']));
  hostileCase('sub not a string', () => claimsCase((c) => (c['sub'] = 4242)));
  hostileCase('auth_time older than the max_age the app sent', () =>
    claimsCase((c) => (c['auth_time'] = now() - 3600), 'invalid_id_token', {
      request: { extraQueryParameters: { max_age: '60' } },
    }),
  );
  hostileCase('auth_time missing although max_age was sent', () =>
    claimsCase((c) => delete c['auth_time'], 'invalid_id_token', {
      request: { extraQueryParameters: { max_age: '60' } },
    }),
  );
});

describe('alg and JWT shape', () => {
  hostileCase('alg none', () =>
    jwtCase((claims) => handmadeJwt({ alg: 'none', typ: 'JWT' }, claims), 'invalid_id_token'),
  );
  hostileCase('alg none, advertised by the provider', () =>
    jwtCase(
      (claims) => handmadeJwt({ alg: 'none', typ: 'JWT' }, claims),
      'invalid_id_token',
      (doc) => ({ ...doc, id_token_signing_alg_values_supported: ['none', 'RS256'] }),
    ),
  );
  hostileCase('alg HS256 (key confusion with a public value)', () =>
    jwtCase((claims) => hmacJwt(claims, 'hostile-1'), 'invalid_id_token'),
  );
  hostileCase('a JWT of two parts', () =>
    jwtCase(
      (claims) => handmadeJwt({ alg: 'RS256' }, claims).slice(0, -1).replace(/\.$/, ''),
      'invalid_id_token',
    ),
  );
  hostileCase('a payload that is not JSON', () =>
    jwtCase(
      () =>
        `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('<html>').toString('base64url')}.c2ln`,
      'invalid_id_token',
    ),
  );
});

describe('refresh (OIDC Core 12.2)', () => {
  /** A signed-in session whose forced refresh returns an ID token edited by `edit`. */
  async function refreshCase(
    edit: (claims: Claims) => void,
    config: Parameters<typeof suite.open>[0] = {},
  ): Promise<void> {
    const c = await suite.open(config);
    const session = await signIn(c);
    suite.provider.script.claims = (claims, grantType) => {
      if (grantType === 'refresh_token') edit(claims);
    };
    const before = await snapshot(c);
    const outcome = await silent(c, { scopes: SESSION_SCOPES, forceRefresh: true });
    await assertInvariants(before, outcome, {
      error: { code: 'invalid_id_token', name: 'ClientAuthError' },
      requests: { token: 1 },
      session,
    });
  }

  hostileCase('a refreshed ID token for another user (sub)', () =>
    refreshCase((c) => (c['sub'] = 'mallory-sub')),
  );
  hostileCase('a refreshed ID token from another issuer', () =>
    refreshCase((c) => (c['iss'] = 'http://127.0.0.1:9/evil')),
  );
  hostileCase('a refreshed ID token of another tenant (Entra common authority)', () =>
    refreshCase(
      (c) => {
        c['tid'] = 'tenant-two';
        c['iss'] = String(c['iss']).replace('tenant-one', 'tenant-two');
      },
      { authority: `${suite.provider.url}/common`, protocolMode: 'AAD' },
    ),
  );
  hostileCase('a refreshed ID token answered as HTML', async () => {
    const c = await suite.open();
    const session = await signIn(c);
    suite.provider.script.token = () => raw('<html>id_token=</html>', 'text/html');
    const before = await snapshot(c);
    const outcome = await silent(c, { scopes: SESSION_SCOPES, forceRefresh: true });
    await assertInvariants(before, outcome, {
      error: { code: 'invalid_response', name: 'ClientAuthError' },
      requests: { token: 1 },
      session,
    });
  });
});

countCheck();
