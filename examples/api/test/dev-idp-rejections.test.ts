// The API refuses real dev IdP tokens that are expired, meant for another audience, or lack the
// route's scope (RFC 6750 3.1: 401 invalid_token, 403 insufficient_scope).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIdp } from '@tessera/dev-idp';
import type { DevIdp } from '@tessera/dev-idp';
import { startApi } from '../src/server.js';
import {
  TEST_CLIENT_ID,
  TEST_REDIRECT_URI,
  devIdpAccessToken,
  jwtPayload,
} from './dev-idp-tokens.js';

/** Access-token lifetime at this IdP: short, so expiry is observable in a test. */
const TTL_SECONDS = 2;
/** The API's clock tolerance for `exp` (its default). */
const API_LEEWAY_SECONDS = 5;

let idp: DevIdp;
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  idp = await startDevIdp({
    autoLogin: { username: 'alice', consent: 'all' },
    clients: [{ clientId: TEST_CLIENT_ID, redirectUris: [TEST_REDIRECT_URI] }],
    resources: [
      { audience: 'api://demo', scopes: ['api://demo/read', 'api://demo/write'] },
      { audience: 'api://other', scopes: ['api://other/read'] },
    ],
    ttl: { accessToken: TTL_SECONDS },
  });
  api = await startApi({ issuer: idp.issuer, audience: 'api://demo', allowedOrigins: [] });
});

afterAll(async () => {
  await api?.close();
  await idp?.close();
});

function call(method: 'GET' | 'POST', path: string, token: string): Promise<Response> {
  return fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: JSON.stringify({ text: 'hello' }) } : {}),
  });
}

describe('the API with real dev IdP tokens', () => {
  it('accepts a token until it expires, then answers 401 invalid_token', async () => {
    const token = await devIdpAccessToken(idp, 'api://demo/read');
    const { exp, aud } = jwtPayload(token);
    expect(aud).toBe('api://demo');
    expect((await call('GET', '/profile', token)).status).toBe(200);

    const wait = (exp as number) * 1000 + (API_LEEWAY_SECONDS + 1) * 1000 - Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    const response = await call('GET', '/profile', token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(response.headers.get('www-authenticate')).toContain('The access token expired');
  }, 20_000);

  it('answers 401 invalid_token to a token for another audience', async () => {
    const token = await devIdpAccessToken(idp, 'api://other/read');
    expect(jwtPayload(token).aud).toBe('api://other');
    const response = await call('GET', '/profile', token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain(
      'The access token is not intended for this API',
    );
  });

  it("answers 403 insufficient_scope to a token without the route's scope", async () => {
    const writeOnly = await devIdpAccessToken(idp, 'api://demo/write');
    const read = await call('GET', '/profile', writeOnly);
    expect(read.status).toBe(403);
    expect(read.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(read.headers.get('www-authenticate')).toContain('scope="api://demo/read"');

    const readOnly = await devIdpAccessToken(idp, 'api://demo/read');
    const write = await call('POST', '/notes', readOnly);
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toContain('scope="api://demo/write"');
    // The same tokens do work where their scope suffices.
    expect((await call('POST', '/notes', writeOnly)).status).toBe(201);
    expect((await call('GET', '/profile', readOnly)).status).toBe(200);
  });
});
