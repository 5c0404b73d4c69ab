// Discovery documents (plain and Entra-shaped), checked with oauth4webapi, and Entra tokens.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DevIdpConfigError, startDevIdp } from '../src/index.js';
import type { DevIdp, DevIdpOptions } from '../src/index.js';
import {
  CookieJar,
  DEMO_REDIRECT,
  authorizationUrl,
  discover,
  follow,
  insecure,
  redeem,
} from './support.js';

// Real servers on a shared machine: allow for a slow first start (module import, key generation).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let idp: DevIdp | undefined;

afterEach(async () => {
  await idp?.close();
  idp = undefined;
});

async function start(options: DevIdpOptions = {}): Promise<DevIdp> {
  idp = await startDevIdp(options);
  return idp;
}

describe('plain issuer discovery', () => {
  it('passes oauth4webapi discovery and advertises what SPAs need', async () => {
    const server = await start();
    expect(server.issuer).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.url).toBe(server.issuer);
    const as = await discover(server.issuer);
    expect(as.issuer).toBe(server.issuer);
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.response_types_supported).toEqual(['code']);
    expect(as.grant_types_supported).toEqual(['authorization_code', 'refresh_token']);
    expect(as.token_endpoint_auth_methods_supported).toEqual(['none']);
    expect(as.id_token_signing_alg_values_supported).toContain('RS256');
    for (const endpoint of [
      as.authorization_endpoint,
      as.token_endpoint,
      as.userinfo_endpoint,
      as.end_session_endpoint,
      as.revocation_endpoint,
      as.jwks_uri,
    ]) {
      expect(endpoint?.startsWith(server.issuer)).toBe(true);
    }
    const jwks = (await (await fetch(as.jwks_uri ?? '')).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
  });

  it('uses an issuer with {port} replaced by the bound port', async () => {
    const server = await start({ issuer: 'http://localhost:{port}' });
    expect(server.issuer).toBe(`http://localhost:${server.port}`);
    const response = await fetch(
      `http://127.0.0.1:${server.port}/.well-known/openid-configuration`,
    );
    expect(((await response.json()) as { issuer: string }).issuer).toBe(server.issuer);
  });
});

describe('Entra-shaped mode', () => {
  it('serves tenant discovery that passes oauth4webapi, and common with the issuer template', async () => {
    const server = await start({ entra: { tenants: ['contoso-tenant', 'fabrikam-tenant'] } });
    for (const tenant of ['contoso-tenant', 'fabrikam-tenant']) {
      const authority = server.entraAuthority(tenant);
      expect(authority).toBe(`${server.url}/${tenant}`);
      const as = await discover(`${authority}/v2.0`);
      expect(as.issuer).toBe(`${server.url}/${tenant}/v2.0`);
      expect(as.authorization_endpoint).toBe(`${authority}/oauth2/v2.0/authorize`);
      expect(as.token_endpoint).toBe(`${authority}/oauth2/v2.0/token`);
      expect(as.end_session_endpoint).toBe(`${authority}/oauth2/v2.0/logout`);
      expect(as.jwks_uri).toBe(`${authority}/discovery/v2.0/keys`);
      const keys = await fetch(as.jwks_uri ?? '');
      expect(keys.status).toBe(200);
    }

    const common = server.entraAuthority();
    expect(common).toBe(`${server.url}/common`);
    const response = await oauth.discoveryRequest(new URL(`${common}/v2.0`), {
      algorithm: 'oidc',
      ...insecure,
    });
    const document = (await response.json()) as Record<string, string>;
    expect(document.issuer).toBe(`${server.url}/{tenantid}/v2.0`);
    expect(document.authorization_endpoint).toBe(`${common}/oauth2/v2.0/authorize`);

    // The plain issuer still works next to the tenants.
    expect((await discover(server.issuer)).issuer).toBe(server.issuer);
  });

  it('issues tokens with the tenant issuer, tid and oid', async () => {
    const server = await start({ entra: true, autoLogin: { username: 'alice' } });
    const authority = server.entraAuthority('5b1f0c2e-7d4a-4c8e-9a36-0e2d4f6b8c1a');
    const issuer = `${authority}/v2.0`;
    const as = await discover(issuer);
    const request = await authorizationUrl(as, { scope: 'openid profile api://demo/read' });
    const landing = await follow(new CookieJar(), request.url, DEMO_REDIRECT);
    if (landing.kind !== 'callback') throw new Error('expected a callback');
    expect(landing.url.searchParams.get('iss')).toBe(issuer);
    const tokens = await redeem(as, request, landing.url);

    const jwks = createRemoteJWKSet(new URL(as.jwks_uri ?? ''));
    const idToken = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer,
      audience: 'tessera-demo',
    });
    expect(idToken.payload.tid).toBe('5b1f0c2e-7d4a-4c8e-9a36-0e2d4f6b8c1a');
    expect(idToken.payload.oid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    const access = await jwtVerify(tokens.access_token, jwks, { issuer, audience: 'api://demo' });
    expect(access.payload.tid).toBe(idToken.payload.tid);
    expect(access.payload.oid).toBe(idToken.payload.oid);
  });

  it('serves the common authority with the default tenant behind it', async () => {
    const server = await start({ entra: true, autoLogin: { username: 'bob' } });
    const common = server.entraAuthority();
    const document = (await (
      await fetch(`${common}/v2.0/.well-known/openid-configuration`)
    ).json()) as oauth.AuthorizationServer;
    const request = await authorizationUrl(document, { scope: 'openid' });
    const landing = await follow(new CookieJar(), request.url, DEMO_REDIRECT);
    if (landing.kind !== 'callback') throw new Error('expected a callback');
    const issuer = landing.url.searchParams.get('iss') ?? '';
    expect(issuer).toMatch(new RegExp(`^${server.url}/[^/]+/v2\\.0$`));
    const as = await discover(issuer);
    const tokens = await redeem(as, request, landing.url);
    const claims = JSON.parse(
      Buffer.from((tokens.id_token ?? '').split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims.iss).toBe(issuer);
    expect(issuer).toBe(`${server.url}/${String(claims.tid)}/v2.0`);
  });

  it('refuses entraAuthority when Entra mode is off', async () => {
    const server = await start();
    expect(() => server.entraAuthority()).toThrow(DevIdpConfigError);
    const response = await fetch(`${server.url}/common/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(404);
  });
});
