// Authorization code + PKCE against a real dev IdP in automatic mode, driven with fetch.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { describe, expect, it, vi } from 'vitest';
import type { DevIdp } from '../src/index.js';
import {
  CookieJar,
  browse,
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

const API_SCOPES = 'openid profile email api://demo/read api://demo/write';

/** Signs in automatically and returns the token response. */
async function signIn(
  server: DevIdp,
  scope: string,
  jar = new CookieJar(),
  client: oauth.Client = DEMO_CLIENT,
): Promise<oauth.TokenEndpointResponse> {
  const as = await discover(server.issuer);
  const request = await authorizationUrl(as, { scope, clientId: client.client_id });
  return redeem(as, request, await landAtCallback(jar, request.url), client);
}

describe('authorization code + PKCE in automatic mode', () => {
  it('issues an ID token, a JWT access token for the API and a refresh token', async () => {
    const server = await startForTest();
    const tokens = await signIn(server, API_SCOPES);

    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(typeof tokens.refresh_token).toBe('string');
    expect(tokens.scope?.split(' ').sort()).toEqual(['api://demo/read', 'api://demo/write']);

    const jwks = createRemoteJWKSet(new URL(`${server.issuer}/jwks`));
    const idToken = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer: server.issuer,
      audience: 'tessera-demo',
    });
    expect(idToken.payload).toMatchObject({
      sub: 'alice',
      name: 'Alice Example',
      email: 'alice@example.test',
      preferred_username: 'alice',
    });

    const access = await jwtVerify(tokens.access_token, jwks, {
      issuer: server.issuer,
      audience: 'api://demo',
    });
    expect(access.payload.sub).toBe('alice');
    expect(String(access.payload.scope).split(' ').sort()).toEqual([
      'api://demo/read',
      'api://demo/write',
    ]);
    expect(access.payload.client_id).toBe('tessera-demo');
  });

  it('requires PKCE: an authorization request without code_challenge is refused', async () => {
    const server = await startForTest();
    const as = await discover(server.issuer);
    const request = await authorizationUrl(as, { scope: 'openid' });
    request.url.searchParams.delete('code_challenge');
    request.url.searchParams.delete('code_challenge_method');
    const landing = await follow(new CookieJar(), request.url, DEMO_REDIRECT);
    expect(landing.kind).toBe('callback');
    if (landing.kind !== 'callback') return;
    expect(landing.url.searchParams.get('error')).toBe('invalid_request');
    expect(landing.url.searchParams.get('iss')).toBe(server.issuer);
  });

  it('gives a plain OIDC request an access token that works at userinfo', async () => {
    const server = await startForTest();
    const tokens = await signIn(server, 'openid profile email offline_access');
    expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'openid', 'profile']);
    const as = await discover(server.issuer);
    const response = await oauth.userInfoRequest(as, DEMO_CLIENT, tokens.access_token, insecure);
    const userinfo = await oauth.processUserInfoResponse(as, DEMO_CLIENT, 'alice', response);
    expect(userinfo).toMatchObject({
      sub: 'alice',
      email: 'alice@example.test',
      name: 'Alice Example',
    });
  });

  it('rotates refresh tokens and rejects a used one with invalid_grant', async () => {
    const server = await startForTest();
    const as = await discover(server.issuer);
    const first = await signIn(server, API_SCOPES);
    const firstRefresh = first.refresh_token ?? '';

    const second = await refresh(as, firstRefresh);
    expect(second.refresh_token).toBeDefined();
    expect(second.refresh_token).not.toBe(firstRefresh);
    expect(jwtPayload(second.access_token).aud).toBe('api://demo');
    expect(second.scope?.split(' ').sort()).toEqual(['api://demo/read', 'api://demo/write']);

    expect(await oauthError(refresh(as, firstRefresh))).toBe('invalid_grant');
  });

  it('keeps a refresh token usable when rotation is off', async () => {
    const server = await startForTest({ rotateRefreshTokens: false });
    const as = await discover(server.issuer);
    const tokens = await signIn(server, API_SCOPES);
    const once = await refresh(as, tokens.refresh_token ?? '');
    const twice = await refresh(as, tokens.refresh_token ?? '');
    expect(once.refresh_token).toBe(tokens.refresh_token);
    expect(twice.access_token).not.toBe(once.access_token);
  });

  it('gives a client with refreshTokens: false no refresh token', async () => {
    const server = await startForTest({
      clients: [{ clientId: 'no-refresh', redirectUris: [DEMO_REDIRECT], refreshTokens: false }],
    });
    const tokens = await signIn(server, API_SCOPES, new CookieJar(), { client_id: 'no-refresh' });
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('grants only the configured subset in automatic mode', async () => {
    const server = await startForTest({
      autoLogin: { username: 'alice', consent: ['api://demo/read'] },
    });
    const tokens = await signIn(server, 'openid api://demo/read api://demo/write');
    expect(tokens.scope).toBe('api://demo/read');
    expect(jwtPayload(tokens.access_token).scope).toBe('api://demo/read');
  });

  it('honours access token lifetimes as low as 2 seconds', async () => {
    const server = await startForTest({ ttl: { accessToken: 2 } });
    const tokens = await signIn(server, API_SCOPES);
    expect(tokens.expires_in).toBe(2);
    const payload = jwtPayload(tokens.access_token);
    expect(Number(payload.exp) - Number(payload.iat)).toBe(2);
  });
});

describe('sessions', () => {
  it('renews silently with prompt=none while the session lasts', async () => {
    const server = await startForTest();
    const jar = new CookieJar();
    await signIn(server, API_SCOPES, jar);
    const as = await discover(server.issuer);
    const silent = await authorizationUrl(as, { scope: API_SCOPES, prompt: 'none' });
    const landing = await follow(jar, silent.url, DEMO_REDIRECT);
    expect(landing.kind).toBe('callback');
    if (landing.kind !== 'callback') return;
    expect(landing.url.searchParams.get('code')).toBeTruthy();
    expect(landing.url.searchParams.get('iss')).toBe(server.issuer);
  });

  it('answers prompt=none with consent_required for a scope never consented', async () => {
    const server = await startForTest({
      autoLogin: { username: 'alice', consent: ['api://demo/read'] },
    });
    const jar = new CookieJar();
    await signIn(server, 'openid api://demo/read', jar);
    const as = await discover(server.issuer);
    const silent = await authorizationUrl(as, {
      scope: 'openid api://demo/read api://demo/write',
      prompt: 'none',
    });
    const landing = await follow(jar, silent.url, DEMO_REDIRECT);
    expect(landing.kind === 'callback' && landing.url.searchParams.get('error')).toBe(
      'consent_required',
    );
  });

  it('makes prompt=none fail with login_required after endSessions()', async () => {
    const server = await startForTest();
    const jar = new CookieJar();
    await signIn(server, API_SCOPES, jar);
    await server.endSessions();
    const as = await discover(server.issuer);
    const silent = await authorizationUrl(as, { scope: API_SCOPES, prompt: 'none' });
    const landing = await follow(jar, silent.url, DEMO_REDIRECT);
    expect(landing.kind).toBe('callback');
    if (landing.kind !== 'callback') return;
    expect(landing.url.searchParams.get('error')).toBe('login_required');
    expect(landing.url.searchParams.get('state')).toBe(silent.state);
  });

  it('answers prompt=none without any session with login_required', async () => {
    const server = await startForTest();
    const as = await discover(server.issuer);
    const silent = await authorizationUrl(as, { scope: 'openid', prompt: 'none' });
    const landing = await follow(new CookieJar(), silent.url, DEMO_REDIRECT);
    expect(landing.kind === 'callback' && landing.url.searchParams.get('error')).toBe(
      'login_required',
    );
  });

  it('signs out through the end-session endpoint without a click', async () => {
    const server = await startForTest({
      clients: [
        {
          clientId: 'tessera-demo',
          redirectUris: [DEMO_REDIRECT],
          postLogoutRedirectUris: [DEMO_REDIRECT],
        },
      ],
    });
    const jar = new CookieJar();
    const tokens = await signIn(server, 'openid', jar);
    const as = await discover(server.issuer);
    const logout = new URL(as.end_session_endpoint ?? '');
    logout.searchParams.set('id_token_hint', tokens.id_token ?? '');
    logout.searchParams.set('post_logout_redirect_uri', DEMO_REDIRECT);
    logout.searchParams.set('state', 'bye');
    // The confirmation page submits its form by script (a browser without script gets a button).
    const page = await browse(jar, logout);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("document.getElementById('op.logoutForm').submit()");
    expect(html).toContain('id="logout-submit"');
    const done = await follow(jar, logout, DEMO_REDIRECT);
    expect(done.kind === 'callback' && done.url.searchParams.get('state')).toBe('bye');

    const silent = await authorizationUrl(as, { scope: 'openid', prompt: 'none' });
    const after = await follow(jar, silent.url, DEMO_REDIRECT);
    expect(after.kind === 'callback' && after.url.searchParams.get('error')).toBe('login_required');
  });
});

describe('stats', () => {
  it('counts token requests by grant type and authorization requests', async () => {
    const server = await startForTest();
    const as = await discover(server.issuer);
    const tokens = await signIn(server, API_SCOPES);
    await refresh(as, tokens.refresh_token ?? '');
    expect(server.stats()).toEqual({
      tokenRequests: 2,
      tokenRequestsByGrant: { authorization_code: 1, refresh_token: 1 },
      authorizationRequests: 1,
      tokenRequestsWithClaims: 0,
    });
    server.resetStats();
    expect(server.stats()).toEqual({
      tokenRequests: 0,
      tokenRequestsByGrant: {},
      authorizationRequests: 0,
      tokenRequestsWithClaims: 0,
    });
  });
});

describe('CORS for browser callers', () => {
  it('allows the origin of a registered redirect URI at the token endpoint and refuses others', async () => {
    const server = await startForTest();
    const as = await discover(server.issuer);
    const preflight = async (origin: string): Promise<Response> =>
      fetch(as.token_endpoint ?? '', {
        method: 'POST',
        headers: {
          origin,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: 'x',
          client_id: 'tessera-demo',
        }),
      });
    const allowed = await preflight('http://127.0.0.1:5173');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(((await allowed.json()) as { error: string }).error).toBe('invalid_grant');

    const refused = await preflight('http://evil.test');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_request');
  });
});
