// The entra profile against a real dev IdP: named tenants, consumers, organizations and B2C user
// flows (discovery and code + PKCE), canonical scope casing and claims challenges.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { describe, expect, it, vi } from 'vitest';
import type { DevIdp, DevIdpOptions } from '../src/index.js';
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

const DEFAULT_TENANT = '5b1f0c2e-7d4a-4c8e-9a36-0e2d4f6b8c1a';
const CONSUMERS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const FABRIKAM_TENANT = '0c9b6a1e-3f42-4d17-8e55-7a2b1c9d0e4f';
const ACRS_CHALLENGE = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';

function start(options: DevIdpOptions = {}): Promise<DevIdp> {
  return startForTest({ profile: 'entra', ...options });
}

/** The discovery document of an Entra-style authority, checked against `issuer` by oauth4webapi. */
async function discoverAt(authority: string, issuer: string): Promise<oauth.AuthorizationServer> {
  const response = await fetch(`${authority}/v2.0/.well-known/openid-configuration`);
  return oauth.processDiscoveryResponse(new URL(issuer), response);
}

/** Code + PKCE in automatic mode; returns the tokens and the `iss` of the authorization response. */
async function signIn(
  as: oauth.AuthorizationServer,
  scope: string,
): Promise<{ tokens: oauth.TokenEndpointResponse; iss: string | null }> {
  const request = await authorizationUrl(as, { scope });
  const callback = await landAtCallback(new CookieJar(), request.url);
  return { tokens: await redeem(as, request, callback), iss: callback.searchParams.get('iss') };
}

/** A refresh_token grant with extra body parameters (scope, claims). */
async function refreshWith(
  as: oauth.AuthorizationServer,
  refreshToken: string,
  parameters: Record<string, string>,
): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.refreshTokenGrantRequest(
    as,
    DEMO_CLIENT,
    oauth.None(),
    refreshToken,
    { ...insecure, additionalParameters: parameters },
  );
  return oauth.processRefreshTokenResponse(as, DEMO_CLIENT, response);
}

describe('entra profile: authorities', () => {
  it('lists every authority, the first tenant being the main one', async () => {
    const server = await start();
    const url = server.url;
    expect(server.authority).toBe(`${url}/${DEFAULT_TENANT}`);
    expect(server.authorities.map((entry) => [entry.kind, entry.authority, entry.issuer])).toEqual([
      ['issuer', server.issuer, server.issuer],
      ['tenant', `${url}/${DEFAULT_TENANT}`, `${url}/${DEFAULT_TENANT}/v2.0`],
      ['common', `${url}/common`, `${url}/{tenantid}/v2.0`],
      ['organizations', `${url}/organizations`, `${url}/{tenantid}/v2.0`],
      ['consumers', `${url}/consumers`, `${url}/${CONSUMERS_TENANT}/v2.0`],
      ['domain', `${url}/contoso.onmicrosoft.com`, `${url}/${DEFAULT_TENANT}/v2.0`],
      ['b2c', `${url}/contoso.onmicrosoft.com/B2C_1_signin`, `${url}/${DEFAULT_TENANT}/v2.0/`],
    ]);
    // Every listed discovery document names the listed issuer.
    for (const entry of server.authorities) {
      const document = (await (await fetch(entry.discoveryUrl)).json()) as { issuer: string };
      expect(document.issuer).toBe(entry.issuer);
    }
    expect(server.entraTenantId('Contoso.onmicrosoft.com')).toBe(DEFAULT_TENANT);
    expect(server.entraTenantId('consumers')).toBe(CONSUMERS_TENANT);
    expect(server.entraTenantId('organizations')).toBe(DEFAULT_TENANT);
    expect(server.b2cAuthority()).toBe(`${url}/contoso.onmicrosoft.com/B2C_1_signin`);
  });

  it('serves a named tenant whose discovery names the GUID issuer and GUID endpoints', async () => {
    const server = await start({
      entra: { domains: { 'fabrikam.onmicrosoft.com': FABRIKAM_TENANT } },
    });
    const authority = server.entraAuthority('fabrikam.onmicrosoft.com');
    expect(authority).toBe(`${server.url}/fabrikam.onmicrosoft.com`);
    const guidAuthority = `${server.url}/${FABRIKAM_TENANT}`;
    const issuer = `${guidAuthority}/v2.0`;
    const as = await discoverAt(authority, issuer);
    expect(as.authorization_endpoint).toBe(`${guidAuthority}/oauth2/v2.0/authorize`);
    expect(as.token_endpoint).toBe(`${guidAuthority}/oauth2/v2.0/token`);
    expect(as.jwks_uri).toBe(`${guidAuthority}/discovery/v2.0/keys`);

    const { tokens, iss } = await signIn(as, 'openid profile api://demo/read');
    expect(iss).toBe(issuer);
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri ?? ''));
    const idToken = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer,
      audience: 'tessera-demo',
    });
    expect(idToken.payload.tid).toBe(FABRIKAM_TENANT);
    // The default domain is replaced, not added to.
    expect(
      (await fetch(`${server.url}/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration`))
        .status,
    ).toBe(404);
  });

  it('also takes authorization requests at the domain path', async () => {
    const server = await start();
    const domain = server.entraAuthority('contoso.onmicrosoft.com');
    const issuer = `${server.url}/${DEFAULT_TENANT}/v2.0`;
    const as = await discoverAt(domain, issuer);
    const atDomain: oauth.AuthorizationServer = {
      ...as,
      authorization_endpoint: `${domain}/oauth2/v2.0/authorize`,
    };
    const { tokens, iss } = await signIn(atDomain, 'openid');
    expect(iss).toBe(issuer);
    expect(jwtPayload(tokens.id_token ?? '').tid).toBe(DEFAULT_TENANT);
  });

  it('serves consumers with the real consumer tenant id as issuer and tid', async () => {
    const server = await start();
    const authority = server.entraAuthority('consumers');
    expect(authority).toBe(`${server.url}/consumers`);
    const issuer = `${server.url}/${CONSUMERS_TENANT}/v2.0`;
    const as = await discoverAt(authority, issuer);
    expect(as.authorization_endpoint).toBe(`${authority}/oauth2/v2.0/authorize`);
    expect(as.token_endpoint).toBe(`${authority}/oauth2/v2.0/token`);
    const { tokens, iss } = await signIn(as, 'openid profile');
    expect(iss).toBe(issuer);
    const claims = jwtPayload(tokens.id_token ?? '');
    expect(claims.iss).toBe(issuer);
    expect(claims.tid).toBe(CONSUMERS_TENANT);
  });

  it('serves organizations like common, with the {tenantid} issuer template', async () => {
    const server = await start();
    const authority = server.entraAuthority('organizations');
    const document = (await (
      await fetch(`${authority}/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(document.issuer).toBe(`${server.url}/{tenantid}/v2.0`);
    expect(document.authorization_endpoint).toBe(`${authority}/oauth2/v2.0/authorize`);
  });

  it('serves a B2C user flow: issuer with a slash, policy paths, tfp in the ID token', async () => {
    const server = await start();
    const authority = server.b2cAuthority('b2c_1_SIGNIN');
    expect(authority).toBe(`${server.url}/contoso.onmicrosoft.com/B2C_1_signin`);
    const issuer = `${server.url}/${DEFAULT_TENANT}/v2.0/`;
    const as = await discoverAt(authority, issuer);
    expect(as.authorization_endpoint).toBe(`${authority}/oauth2/v2.0/authorize`);
    expect(as.token_endpoint).toBe(`${authority}/oauth2/v2.0/token`);
    expect(as.end_session_endpoint).toBe(`${authority}/oauth2/v2.0/logout`);

    const { tokens, iss } = await signIn(as, 'openid offline_access api://demo/read');
    expect(iss).toBe(issuer);
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri ?? ''));
    const idToken = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer,
      audience: 'tessera-demo',
    });
    expect(idToken.payload.tfp).toBe('B2C_1_signin');
    expect(jwtPayload(tokens.access_token).tfp).toBe('B2C_1_signin');
    const renewed = await refresh(as, tokens.refresh_token ?? '');
    expect(jwtPayload(renewed.id_token ?? '').tfp).toBe('B2C_1_signin');
  });
});

describe('entra profile: canonical scope casing', () => {
  it('grants user.read as User.Read for the Graph-like resource, on sign-in and refresh', async () => {
    const server = await start();
    const issuer = `${server.authority}/v2.0`;
    const as = await discover(issuer);
    const { tokens } = await signIn(as, 'openid profile offline_access user.read');
    expect(tokens.scope).toBe('User.Read');
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri ?? ''));
    const access = await jwtVerify(tokens.access_token, jwks, {
      issuer,
      audience: 'https://graph.microsoft.com',
    });
    expect(access.payload.scp).toBe('User.Read');
    expect(access.payload.scope).toBe('User.Read');

    const renewed = await refreshWith(as, tokens.refresh_token ?? '', { scope: 'USER.READ' });
    expect(renewed.scope).toBe('User.Read');
    expect(jwtPayload(renewed.access_token).scp).toBe('User.Read');
  });

  it('canonicalises API scopes and writes scp without the resource prefix, as Entra does', async () => {
    const server = await start();
    const as = await discover(`${server.authority}/v2.0`);
    const { tokens } = await signIn(as, 'openid API://demo/Read api://DEMO/write');
    expect(tokens.scope?.split(' ').sort()).toEqual(['api://demo/read', 'api://demo/write']);
    const claims = jwtPayload(tokens.access_token);
    expect(claims.aud).toBe('api://demo');
    expect(String(claims.scp).split(' ').sort()).toEqual(['read', 'write']);
  });

  it('takes fully qualified Graph scopes and {resource}/.default', async () => {
    const server = await start();
    const as = await discover(`${server.authority}/v2.0`);
    const qualified = await signIn(as, 'openid https://graph.microsoft.com/mail.read');
    expect(qualified.tokens.scope).toBe('Mail.Read');
    const all = await signIn(as, 'openid https://graph.microsoft.com/.default');
    expect(all.tokens.scope?.split(' ').sort()).toEqual([
      'Mail.Read',
      'User.Read',
      'User.ReadBasic.All',
    ]);
  });

  it('leaves the plain profile case-sensitive', async () => {
    const idp = await startForTest();
    const as = await discover(idp.issuer);
    const { tokens } = await signIn(as, 'openid API://demo/Read');
    expect(tokens.scope ?? '').not.toContain('api://demo/read');
  });
});

describe('entra profile: claims challenges', () => {
  it('meets an acrs challenge with a refresh grant carrying claims, without an authorization request', async () => {
    const server = await start();
    const as = await discover(`${server.authority}/v2.0`);
    const { tokens } = await signIn(as, 'openid api://demo/read');
    expect(jwtPayload(tokens.access_token).acrs).toBeUndefined();

    server.resetStats();
    const challenged = await refreshWith(as, tokens.refresh_token ?? '', {
      scope: 'api://demo/read',
      claims: ACRS_CHALLENGE,
    });
    expect(jwtPayload(challenged.access_token).acrs).toEqual(['c1']);
    expect(server.stats()).toEqual({
      tokenRequests: 1,
      tokenRequestsByGrant: { refresh_token: 1 },
      authorizationRequests: 0,
      tokenRequestsWithClaims: 1,
    });

    // The next refresh without claims carries no acrs.
    const plain = await refresh(as, challenged.refresh_token ?? '');
    expect(jwtPayload(plain.access_token).acrs).toBeUndefined();
  });

  it('honours claims on the code redemption too (as MSAL sends them)', async () => {
    const server = await start();
    const as = await discover(`${server.authority}/v2.0`);
    const request = await authorizationUrl(as, { scope: 'openid api://demo/read' });
    request.url.searchParams.set('claims', ACRS_CHALLENGE);
    const landing = await follow(new CookieJar(), request.url, DEMO_REDIRECT);
    if (landing.kind !== 'callback') throw new Error('expected a callback');
    const params = oauth.validateAuthResponse(as, DEMO_CLIENT, landing.url, request.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      DEMO_CLIENT,
      oauth.None(),
      params,
      DEMO_REDIRECT,
      request.verifier,
      { ...insecure, additionalParameters: { claims: ACRS_CHALLENGE } },
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, DEMO_CLIENT, response, {
      expectedNonce: request.nonce,
    });
    expect(jwtPayload(tokens.access_token).acrs).toEqual(['c1']);
    expect(server.stats().tokenRequestsWithClaims).toBe(1);
  });

  it('puts client capabilities (xms_cc values) into the access token and keeps protocol claims', async () => {
    const server = await start();
    const as = await discover(`${server.authority}/v2.0`);
    const { tokens } = await signIn(as, 'openid api://demo/read');
    const renewed = await refreshWith(as, tokens.refresh_token ?? '', {
      claims: JSON.stringify({
        access_token: { xms_cc: { values: ['cp1'] }, nbf: { essential: true, value: '1' } },
      }),
    });
    const claims = jwtPayload(renewed.access_token);
    expect(claims.xms_cc).toEqual(['cp1']);
    expect(claims.nbf).toBeUndefined();
    expect(claims.aud).toBe('api://demo');
  });

  it('refuses malformed claims with invalid_request (CORS intact) and keeps the refresh token', async () => {
    const server = await start();
    const as = await discover(`${server.authority}/v2.0`);
    const { tokens } = await signIn(as, 'openid api://demo/read');
    const response = await fetch(as.token_endpoint ?? '', {
      method: 'POST',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
        client_id: 'tessera-demo',
        claims: '{"access_token":',
      }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'the claims parameter is not valid JSON',
    });
    expect(server.stats().tokenRequestsWithClaims).toBe(1);
    // Refused before the grant ran: the refresh token still works.
    const renewed = await refresh(as, tokens.refresh_token ?? '');
    expect(renewed.access_token).toBeTruthy();
    expect(await oauthError(refresh(as, tokens.refresh_token ?? ''))).toBe('invalid_grant');
  });

  it('counts but ignores claims in the plain profile', async () => {
    const idp = await startForTest();
    const as = await discover(idp.issuer);
    const { tokens } = await signIn(as, 'openid api://demo/read');
    const renewed = await refreshWith(as, tokens.refresh_token ?? '', { claims: ACRS_CHALLENGE });
    expect(jwtPayload(renewed.access_token).acrs).toBeUndefined();
    expect(idp.stats().tokenRequestsWithClaims).toBe(1);
  });
});
