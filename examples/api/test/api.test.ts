import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from 'jose';
import { startApi } from '../src/server.js';
import { AUDIENCE, startLocalIssuer } from './local-issuer.js';
import type { LocalIssuer } from './local-issuer.js';

const SPA = 'http://127.0.0.1:5173';
const REALM = 'Bearer realm="tessera-demo"';

let idp: LocalIssuer;
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  idp = await startLocalIssuer();
  api = await startApi({
    issuer: idp.issuer,
    audience: AUDIENCE,
    allowedOrigins: [SPA, 'http://localhost:5173'],
  });
});

afterAll(async () => {
  await api?.close();
  await idp?.close();
});

function get(path: string, token?: string, headers: Record<string, string> = {}) {
  return fetch(`${api.url}${path}`, {
    headers: token === undefined ? headers : { ...headers, authorization: `Bearer ${token}` },
  });
}

function postNote(token: string, body: unknown) {
  return fetch(`${api.url}/notes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function expectInvalidToken(response: Response, description: RegExp): Promise<void> {
  expect(response.status).toBe(401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge.startsWith(`${REALM}, error="invalid_token", error_description="`)).toBe(true);
  expect(challenge).toMatch(description);
  expect(await response.json()).toMatchObject({ error: 'invalid_token' });
}

describe('startApi', () => {
  it('serves /health without a token', async () => {
    const response = await get('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers a valid token with the read scope with the profile', async () => {
    const token = await idp.sign({
      sub: 'alice',
      scope: 'openid api://demo/read',
      claims: { name: 'Alice' },
    });
    const response = await get('/profile', token);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      sub: 'alice',
      name: 'Alice',
      scopes: ['openid', 'api://demo/read'],
    });
    // Discovery found the JWKS.
    expect(idp.hits).toContain('/.well-known/openid-configuration');
    expect(idp.hits).toContain('/jwks');
  });

  it('leaves name out of the profile when the token has none', async () => {
    const response = await get('/profile', await idp.sign({ sub: 'bob' }));
    expect(await response.json()).toEqual({ sub: 'bob', scopes: ['api://demo/read'] });
  });

  it('asks for a token with a bare Bearer challenge when there is none', async () => {
    for (const headers of [{}, { authorization: 'Basic YWxpY2U6c2VjcmV0' }]) {
      const response = await get('/profile', undefined, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(REALM);
    }
  });

  it('answers an empty bearer token 400 invalid_request', async () => {
    const response = await get('/notes', undefined, { authorization: 'Bearer ' });
    expect(response.status).toBe(400);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="tessera-demo", error="invalid_request"/,
    );
  });

  it('rejects an expired token', async () => {
    const token = await idp.sign({ expiresIn: -60 });
    await expectInvalidToken(await get('/profile', token), /expired/);
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    const response = await get('/profile', await idp.sign({ expiresIn: -2 }));
    expect(response.status).toBe(200);
  });

  it('rejects a token for another audience', async () => {
    const token = await idp.sign({ audience: 'api://other' });
    await expectInvalidToken(await get('/profile', token), /not intended for this API/);
  });

  it('rejects a token from another issuer', async () => {
    const token = await idp.sign({ issuer: 'http://127.0.0.1:1' });
    await expectInvalidToken(await get('/profile', token), /issuer/);
  });

  it('rejects a token signed with another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await idp.sign({ key: privateKey });
    await expectInvalidToken(await get('/profile', token), /signature/);
  });

  it('rejects a token whose signature was tampered with', async () => {
    const token = await idp.sign();
    const [header, payload, signature = ''] = token.split('.');
    const flipped = `${signature.slice(0, -4)}${signature.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    await expectInvalidToken(await get('/profile', `${header}.${payload}.${flipped}`), /signature/);
  });

  it('rejects a token with an unknown key id', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await idp.sign({ key: privateKey, kid: 'unknown' });
    await expectInvalidToken(await get('/profile', token), /signature/);
  });

  it('rejects garbage as malformed', async () => {
    await expectInvalidToken(await get('/profile', 'not-a-jwt'), /malformed/);
  });

  it('answers a missing scope 403 insufficient_scope naming the scope', async () => {
    const token = await idp.sign({ scope: 'api://demo/read' });
    const response = await postNote(token, { text: 'hello' });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      `${REALM}, error="insufficient_scope", scope="api://demo/write"`,
    );
    expect(await response.json()).toMatchObject({ error: 'insufficient_scope' });

    const noRead = await get('/notes', await idp.sign({ scope: 'api://demo/write' }));
    expect(noRead.status).toBe(403);
    expect(noRead.headers.get('www-authenticate')).toContain('scope="api://demo/read"');
  });

  it('answers a token without the step-up context with a claims challenge, and serves one with it', async () => {
    const plain = await get('/step-up', await idp.sign({ scope: 'api://demo/read' }));
    expect(plain.status).toBe(401);
    const header = plain.headers.get('www-authenticate') ?? '';
    expect(header).toContain('error="insufficient_claims"');
    const claims = /claims="([^"]+)"/.exec(header)?.[1] ?? '';
    expect(JSON.parse(Buffer.from(claims, 'base64').toString('utf8'))).toEqual({
      access_token: { acrs: { essential: true, value: 'c1' } },
    });

    const stepped = await get(
      '/step-up',
      await idp.sign({ scope: 'api://demo/read', claims: { acrs: ['c1'] } }),
    );
    expect(stepped.status).toBe(200);
    expect(await stepped.json()).toMatchObject({ acrs: ['c1'] });
  });

  it('keeps notes per subject', async () => {
    const both = 'api://demo/read api://demo/write';
    const carol = await idp.sign({ sub: 'carol', scope: both });
    const dave = await idp.sign({ sub: 'dave', scope: both });

    const created = await postNote(carol, { text: 'buy milk' });
    expect(created.status).toBe(201);
    const note = (await created.json()) as { id: string; text: string; createdAt: string };
    expect(note).toMatchObject({ text: 'buy milk' });
    expect(typeof note.id).toBe('string');

    expect(await (await get('/notes', carol)).json()).toEqual({ notes: [note] });
    expect(await (await get('/notes', dave)).json()).toEqual({ notes: [] });
  });

  it('rejects a note without text or without a JSON body', async () => {
    const token = await idp.sign({ scope: 'api://demo/write' });
    expect((await postNote(token, { text: '' })).status).toBe(400);
    expect((await postNote(token, ['x'])).status).toBe(400);
    const notJson = await fetch(`${api.url}/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(notJson.status).toBe(415);
  });

  it('answers unknown paths 404 and wrong methods 405', async () => {
    expect((await get('/nope')).status).toBe(404);
    const response = await fetch(`${api.url}/health`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('OPTIONS, GET');
  });
});

describe('CORS', () => {
  function preflight(origin: string) {
    return fetch(`${api.url}/notes`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
  }

  it('allows a preflight from an allowed origin', async () => {
    const response = await preflight(SPA);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'Authorization, Content-Type',
    );
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives no allow-origin to a preflight from another origin', async () => {
    for (const origin of ['http://evil.example', 'http://127.0.0.1:5174', `${SPA}/`]) {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-headers')).toBeNull();
    }
  });

  it('exposes WWW-Authenticate to an allowed origin, including on 401', async () => {
    const response = await get('/profile', undefined, { origin: SPA });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(response.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate');
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('sends no CORS headers to another origin', async () => {
    const response = await get('/health', undefined, { origin: 'http://evil.example' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-expose-headers')).toBeNull();
  });

  it('refuses an allowedOrigins entry that is not a bare origin', async () => {
    await expect(
      startApi({ issuer: idp.issuer, audience: AUDIENCE, allowedOrigins: [`${SPA}/`] }),
    ).rejects.toThrow(TypeError);
  });
});

describe('key discovery', () => {
  it('uses an explicit jwksUri without discovery', async () => {
    const local = await startApi({
      issuer: idp.issuer,
      audience: AUDIENCE,
      allowedOrigins: [],
      jwksUri: idp.jwksUri,
    });
    try {
      const before = idp.hits.filter((p) => p.startsWith('/.well-known')).length;
      const response = await fetch(`${local.url}/profile`, {
        headers: { authorization: `Bearer ${await idp.sign()}` },
      });
      expect(response.status).toBe(200);
      expect(idp.hits.filter((p) => p.startsWith('/.well-known')).length).toBe(before);
    } finally {
      await local.close();
    }
  });

  it('answers 503 (not 401) while the issuer is unreachable', async () => {
    const other = await startLocalIssuer();
    const issuer = other.issuer;
    const token = await other.sign();
    await other.close();
    const local = await startApi({ issuer, audience: AUDIENCE, allowedOrigins: [] });
    try {
      const response = await fetch(`${local.url}/profile`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('www-authenticate')).toBeNull();
      const body = JSON.stringify(await response.json());
      expect(body).not.toContain(token);
      // A token that is not a JWT is still the caller's fault.
      const garbage = await fetch(`${local.url}/profile`, {
        headers: { authorization: 'Bearer abc.def.ghi' },
      });
      expect(garbage.status).toBe(401);
    } finally {
      await local.close();
    }
  });
});
