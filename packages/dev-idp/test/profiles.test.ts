// The auth0, keycloak and google profiles against a real dev IdP: discovery documents checked by
// oauth4webapi, and code + PKCE flows in automatic mode. Option checks of every profile.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { describe, expect, it, vi } from 'vitest';
import { DevIdpConfigError, startDevIdp } from '../src/index.js';
import type { DevIdpOptions } from '../src/index.js';
import {
  CookieJar,
  DEMO_CLIENT,
  DEMO_REDIRECT,
  authorizationUrl,
  discover,
  follow,
  insecure,
  jwtPayload,
  oauthError,
  redeem,
  refresh,
  landAtCallback,
  startForTest,
} from './support.js';

// Real servers on a shared machine: allow for a slow first start (module import, key generation).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

/** Runs code + PKCE in automatic mode with extra authorization parameters. */
async function signIn(
  as: oauth.AuthorizationServer,
  scope: string,
  extra: Record<string, string> = {},
  jar = new CookieJar(),
): Promise<oauth.TokenEndpointResponse> {
  const request = await authorizationUrl(as, { scope });
  for (const [name, value] of Object.entries(extra)) request.url.searchParams.set(name, value);
  return redeem(as, request, await landAtCallback(jar, request.url));
}

describe('profile auth0', () => {
  it('has an issuer with a trailing slash, Auth0 paths and offline_access in scopes_supported', async () => {
    const server = await startForTest({ profile: 'auth0' });
    expect(server.profile).toBe('auth0');
    expect(server.issuer).toBe(`${server.url}/`);
    expect(server.authority).toBe(`${server.url}/`);
    expect(server.authorities).toEqual([
      {
        kind: 'issuer',
        authority: `${server.url}/`,
        discoveryUrl: `${server.url}/.well-known/openid-configuration`,
        issuer: `${server.url}/`,
      },
    ]);
    const as = await discover(server.issuer);
    expect(as.issuer).toBe(`${server.url}/`);
    expect(as.authorization_endpoint).toBe(`${server.url}/authorize`);
    expect(as.token_endpoint).toBe(`${server.url}/oauth/token`);
    expect(as.end_session_endpoint).toBe(`${server.url}/oidc/logout`);
    expect(as.jwks_uri).toBe(`${server.url}/.well-known/jwks.json`);
    expect(as.scopes_supported).toContain('offline_access');
    expect((await fetch(as.jwks_uri ?? '')).status).toBe(200);
  });

  it('issues a JWT for the API named by audience, and rotates refresh tokens', async () => {
    const server = await startForTest({ profile: 'auth0' });
    const as = await discover(server.issuer);
    const tokens = await signIn(as, 'openid profile offline_access api://demo/read', {
      audience: 'api://demo',
    });
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri ?? ''));
    const access = await jwtVerify(tokens.access_token, jwks, {
      issuer: `${server.url}/`,
      audience: 'api://demo',
    });
    expect(access.payload.scope).toBe('api://demo/read');
    const idToken = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer: `${server.url}/`,
      audience: 'tessera-demo',
    });
    expect(idToken.payload.sub).toBe('alice');

    const first = tokens.refresh_token ?? '';
    expect(first).not.toBe('');
    const renewed = await refresh(as, first);
    expect(jwtPayload(renewed.access_token).aud).toBe('api://demo');
    expect(renewed.refresh_token).not.toBe(first);
    expect(await oauthError(refresh(as, first))).toBe('invalid_grant');
  });

  it('gives an opaque userinfo-only access token without audience, even for API scopes', async () => {
    const server = await startForTest({ profile: 'auth0' });
    const as = await discover(server.issuer);
    const tokens = await signIn(as, 'openid profile api://demo/read');
    expect(tokens.access_token.split('.')).toHaveLength(1);
    expect(tokens.scope?.split(' ')).not.toContain('api://demo/read');
    const response = await oauth.userInfoRequest(as, DEMO_CLIENT, tokens.access_token, insecure);
    const userinfo = await oauth.processUserInfoResponse(as, DEMO_CLIENT, 'alice', response);
    expect(userinfo.name).toBe('Alice Example');
  });

  it('refuses an unknown audience with access_denied, as Auth0 does', async () => {
    const server = await startForTest({ profile: 'auth0' });
    const as = await discover(server.issuer);
    const request = await authorizationUrl(as, { scope: 'openid' });
    request.url.searchParams.set('audience', 'https://unknown.example/');
    const landing = await follow(new CookieJar(), request.url, DEMO_REDIRECT);
    if (landing.kind !== 'callback') throw new Error('expected a callback');
    expect(landing.url.searchParams.get('error')).toBe('access_denied');
    expect(landing.url.searchParams.get('error_description')).toBe(
      'Service not found: https://unknown.example/',
    );
  });
});

describe('profile keycloak', () => {
  it('serves the realm issuer with Keycloak paths, and nothing outside the realm', async () => {
    const server = await startForTest({ profile: 'keycloak' });
    const realm = `${server.url}/realms/demo`;
    expect(server.issuer).toBe(realm);
    expect(server.authority).toBe(realm);
    const as = await discover(realm);
    expect(as.issuer).toBe(realm);
    const openidConnect = `${realm}/protocol/openid-connect`;
    expect(as.authorization_endpoint).toBe(`${openidConnect}/auth`);
    expect(as.token_endpoint).toBe(`${openidConnect}/token`);
    expect(as.end_session_endpoint).toBe(`${openidConnect}/logout`);
    expect(as.jwks_uri).toBe(`${openidConnect}/certs`);
    expect(as.userinfo_endpoint).toBe(`${openidConnect}/userinfo`);
    expect((await fetch(`${server.url}/.well-known/openid-configuration`)).status).toBe(404);
  });

  it('issues 5-minute access tokens by default through a full code + PKCE flow', async () => {
    const server = await startForTest({ profile: 'keycloak' });
    const as = await discover(server.issuer);
    const tokens = await signIn(as, 'openid api://demo/read');
    expect(tokens.expires_in).toBe(300);
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri ?? ''));
    const access = await jwtVerify(tokens.access_token, jwks, {
      issuer: server.issuer,
      audience: 'api://demo',
    });
    expect(Number(access.payload.exp) - Number(access.payload.iat)).toBe(300);
    const renewed = await refresh(as, tokens.refresh_token ?? '');
    expect(renewed.expires_in).toBe(300);
  });

  it("says how long each refresh token lasts (Keycloak's refresh_expires_in), rotation not extending it", async () => {
    const server = await startForTest({ profile: 'keycloak', ttl: { refreshToken: 1800 } });
    const as = await discover(server.issuer);
    const tokens = await signIn(as, 'openid offline_access api://demo/read');
    const first = Number(tokens['refresh_expires_in']);
    expect(first).toBeGreaterThan(1790);
    expect(first).toBeLessThanOrEqual(1800);
    const renewed = await refresh(as, tokens.refresh_token ?? '');
    expect(Number(renewed['refresh_expires_in'])).toBeLessThanOrEqual(first);

    const plain = await startForTest({});
    const plainTokens = await signIn(await discover(plain.issuer), 'openid offline_access');
    expect(plainTokens.refresh_token).toBeTruthy();
    expect(plainTokens['refresh_expires_in']).toBeUndefined();
  });

  it('uses the configured realm, and an explicit access token lifetime wins', async () => {
    const server = await startForTest({
      profile: 'keycloak',
      keycloak: { realm: 'tessera' },
      ttl: { accessToken: 60 },
    });
    expect(server.issuer).toBe(`${server.url}/realms/tessera`);
    const as = await discover(server.issuer);
    const tokens = await signIn(as, 'openid api://demo/read');
    expect(tokens.expires_in).toBe(60);
  });
});

describe('profile google', () => {
  it('does not list offline_access and has no end-session endpoint', async () => {
    const server = await startForTest({ profile: 'google' });
    expect(server.authority).toBe(server.issuer);
    const as = await discover(server.issuer);
    expect(as.authorization_endpoint).toBe(`${server.url}/o/oauth2/v2/auth`);
    expect(as.jwks_uri).toBe(`${server.url}/oauth2/v3/certs`);
    expect(as.scopes_supported).toContain('openid');
    expect(as.scopes_supported).not.toContain('offline_access');
    expect(as.end_session_endpoint).toBeUndefined();
  });

  it('issues no refresh token, and renews through prompt=none while the session lasts', async () => {
    const server = await startForTest({ profile: 'google' });
    const as = await discover(server.issuer);
    const jar = new CookieJar();
    const tokens = await signIn(as, 'openid profile email', {}, jar);
    expect(tokens.id_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();

    const silent = await authorizationUrl(as, { scope: 'openid profile email', prompt: 'none' });
    const landing = await follow(jar, silent.url, DEMO_REDIRECT);
    if (landing.kind !== 'callback') throw new Error('expected a callback');
    const renewed = await redeem(as, silent, landing.url);
    expect(renewed.refresh_token).toBeUndefined();
    expect(jwtPayload(renewed.id_token ?? '').sub).toBe('alice');
  });

  it('refuses offline_access with invalid_scope, also with prompt=consent', async () => {
    const server = await startForTest({ profile: 'google' });
    const as = await discover(server.issuer);
    for (const prompt of [{}, { prompt: 'consent' }]) {
      const request = await authorizationUrl(as, { scope: 'openid offline_access', ...prompt });
      const landing = await follow(new CookieJar(), request.url, DEMO_REDIRECT);
      if (landing.kind !== 'callback') throw new Error('expected a callback');
      expect(landing.url.searchParams.get('error')).toBe('invalid_scope');
      expect(landing.url.searchParams.get('state')).toBe(request.state);
    }
    expect(server.stats().tokenRequests).toBe(0);
  });
});

describe('profile options', () => {
  const cases: [string, unknown, string][] = [
    ['an unknown profile', { profile: 'okta' }, 'profile'],
    ['keycloak settings without profile keycloak', { keycloak: { realm: 'x' } }, 'keycloak'],
    ['a bad realm name', { profile: 'keycloak', keycloak: { realm: 'a/b' } }, 'keycloak.realm'],
    ['Entra routes with profile auth0', { profile: 'auth0', entra: true }, 'entra'],
    ['entra: false with profile entra', { profile: 'entra', entra: false }, 'entra'],
    ['domains without profile entra', { entra: { domains: {} } }, 'entra.domains'],
    [
      'a domain that is no domain name',
      { profile: 'entra', entra: { domains: { contoso: 'x' } } },
      'entra.domains["contoso"]',
    ],
    [
      'a policy that clashes with a tenant path',
      { profile: 'entra', entra: { b2cPolicies: ['oauth2'] } },
      'entra.b2cPolicies[0]',
    ],
    [
      'consumers as a tenant id',
      { profile: 'entra', entra: { tenants: ['consumers'] } },
      'entra.tenants[0]',
    ],
    [
      'scopes that differ only in case (profile entra)',
      {
        profile: 'entra',
        resources: [{ audience: 'api://x', scopes: ['api://x/A', 'api://x/a'] }],
      },
      'resources[0].scopes[1]',
    ],
    [
      "a scope that clashes with the entra profile's Graph scope",
      { profile: 'entra', resources: [{ audience: 'api://x', scopes: ['user.read'] }] },
      'resources',
    ],
  ];
  for (const [what, options, field] of cases) {
    it(`refuses ${what} with a DevIdpConfigError naming ${field}`, async () => {
      const error = await startDevIdp(options as DevIdpOptions).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DevIdpConfigError);
      expect((error as DevIdpConfigError).field).toBe(field);
      expect((error as DevIdpConfigError).fix).not.toBe('');
    });
  }

  it('names the profiles in the fix for an unknown one', async () => {
    const error = (await startDevIdp({ profile: 'okta' as 'plain' }).catch((e: unknown) => e)) as
      DevIdpConfigError | undefined;
    expect(error?.message).toBe(
      'profile: "okta" is not a profile; use one of plain, entra, auth0, keycloak, google (default plain)',
    );
  });

  it('keeps plain the default, with the issuer as authority', async () => {
    const server = await startForTest({});
    expect(server.profile).toBe('plain');
    expect(server.authority).toBe(server.issuer);
    expect(server.authorities.map((entry) => entry.kind)).toEqual(['issuer']);
    expect(() => server.b2cAuthority()).toThrow(DevIdpConfigError);
  });
});
