// End to end against the real local provider: authorization code + PKCE driven with fetch (no
// browser; the dev IdP's automatic mode signs alice in and grants every requested scope), then
// the access token is used on the API.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIdp } from '@tessera/dev-idp';
import type { DevIdp } from '@tessera/dev-idp';
import { startApi } from '../src/server.js';

const CLIENT_ID = 'tessera-demo';
const REDIRECT_URI = 'http://127.0.0.1:5173/';
const AUDIENCE = 'api://demo';

let idp: DevIdp;
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  idp = await startDevIdp({ autoLogin: { username: 'alice', consent: 'all' } });
  api = await startApi({ issuer: idp.issuer, audience: AUDIENCE, allowedOrigins: [] });
});

afterAll(async () => {
  await api?.close();
  await idp?.close();
});

/** Follows redirects by hand (fetch drops cookies across them) until one lands on the client. */
async function authorize(url: string): Promise<URL> {
  const jar = new Map<string, string>();
  let next = url;
  for (let hop = 0; hop < 15; hop += 1) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(next, {
      redirect: 'manual',
      headers: cookie === '' ? {} : { cookie },
    });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) {
      throw new Error(`authorization stopped at ${response.status} without a redirect`);
    }
    const target = new URL(location, next);
    if (target.href.startsWith(REDIRECT_URI)) return target;
    next = target.href;
  }
  throw new Error('too many redirects');
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

async function accessToken(scope: string): Promise<string> {
  const discovery = (await (
    await fetch(`${idp.issuer}/.well-known/openid-configuration`)
  ).json()) as { authorization_endpoint: string; token_endpoint: string };
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const state = base64url(randomBytes(16));
  const request = new URL(discovery.authorization_endpoint);
  request.search = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource: AUDIENCE,
  }).toString();

  const callback = await authorize(request.href);
  expect(callback.searchParams.get('error')).toBeNull();
  expect(callback.searchParams.get('state')).toBe(state);
  const code = callback.searchParams.get('code');
  expect(code).toBeTruthy();

  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      code_verifier: verifier,
      resource: AUDIENCE,
    }),
  });
  const body = (await response.json()) as { access_token?: unknown };
  expect(response.status).toBe(200);
  expect(typeof body.access_token).toBe('string');
  return body.access_token as string;
}

describe('with a token from @tessera/dev-idp', () => {
  it('accepts it by scope and rejects what it does not grant', async () => {
    const token = await accessToken('openid api://demo/read');
    const auth = { authorization: `Bearer ${token}` };

    const profile = await fetch(`${api.url}/profile`, { headers: auth });
    expect(profile.status).toBe(200);
    const body = (await profile.json()) as { sub: string; scopes: string[] };
    expect(body.sub).toBe('alice');
    expect(body.scopes).toContain('api://demo/read');
    expect(body.scopes).not.toContain('api://demo/write');

    const write = await fetch(`${api.url}/notes`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi' }),
    });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toContain('scope="api://demo/write"');
  });

  it('lets a token with both scopes write and read notes', async () => {
    const token = await accessToken('openid api://demo/read api://demo/write');
    const auth = { authorization: `Bearer ${token}` };
    const created = await fetch(`${api.url}/notes`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'from the dev IdP' }),
    });
    expect(created.status).toBe(201);
    const notes = (await (await fetch(`${api.url}/notes`, { headers: auth })).json()) as {
      notes: { text: string }[];
    };
    expect(notes.notes.map((n) => n.text)).toEqual(['from the dev IdP']);
  });
});
