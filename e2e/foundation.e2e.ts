// Foundation: real Chromium runs an authorization code + PKCE sign-in against the dev IdP, with
// the login and consent forms filled by the test (not the automatic mode), then refreshes and
// sees refresh-token rotation. The client is a bare oauth4webapi page (e2e/pages/foundation).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consent, fillLogin, startEnv } from './harness/fixtures.js';
import type { Env } from './harness/fixtures.js';

const SCOPE = 'openid profile email api://demo/read';

interface JwtParts {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

function decodeJwt(token: string): JwtParts {
  const parts = token.split('.');
  expect(parts).toHaveLength(3);
  const decode = (part: string | undefined): Record<string, unknown> =>
    JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: decode(parts[0]), payload: decode(parts[1]) };
}

function startFoundationEnv(): Promise<Env> {
  return startEnv({
    pages: 'e2e/pages/foundation',
    bundles: { '/app.js': 'e2e/pages/foundation/app.ts' },
    idp: { autoLogin: false, rotateRefreshTokens: true },
    pageEnv: { scope: SCOPE },
  });
}

interface SignIn {
  result: NonNullable<Window['__result']>;
  /** Query of the authorization request the browser sent. */
  authorizeParams: URLSearchParams;
  /** Form body of the code exchange the browser sent. */
  tokenParams: URLSearchParams;
}

/** Opens the app, clicks "Sign in", signs in as alice through the real forms, waits for tokens. */
async function signIn(env: Env): Promise<SignIn> {
  const { page } = env;
  await page.goto(env.redirectUri);
  await page.locator('body[data-state=ready]').waitFor();

  const authorizeRequest = page.waitForRequest(
    (r) => r.url().startsWith(env.idp.url) && new URL(r.url()).searchParams.has('response_type'),
  );
  const tokenRequest = page.waitForRequest(
    (r) => r.method() === 'POST' && (r.postData() ?? '').includes('grant_type=authorization_code'),
  );
  await page.locator('#sign-in').click();
  const authorizeParams = new URL((await authorizeRequest).url()).searchParams;

  await page.waitForURL((url) => url.origin === env.idp.url);
  await fillLogin(page, 'alice', 'alice-password');
  await consent(page, 'all');

  await page.waitForFunction(() => window.__result !== undefined || window.__error !== undefined);
  const error = await page.evaluate(() => window.__error);
  expect(error).toBeUndefined();
  const result = await page.evaluate(() => window.__result);
  if (result === undefined) throw new Error('no sign-in result');
  const tokenParams = new URLSearchParams((await tokenRequest).postData() ?? '');
  return { result, authorizeParams, tokenParams };
}

describe('foundation: authorization code + PKCE against the dev IdP', () => {
  it('signs in through the login and consent pages and receives ID, access and refresh tokens', async () => {
    const env = await startFoundationEnv();
    expect(new URL(env.idp.url).port).not.toBe(new URL(env.app.url).port);

    const { result, authorizeParams, tokenParams } = await signIn(env);

    // The browser sent a PKCE S256 authorization request with state and nonce ...
    expect(authorizeParams.get('client_id')).toBe(env.clientId);
    expect(authorizeParams.get('redirect_uri')).toBe(env.redirectUri);
    expect(authorizeParams.get('scope')).toBe(SCOPE);
    expect(authorizeParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorizeParams.get('state')).toEqual(expect.any(String));
    expect(authorizeParams.get('nonce')).toBe(result.sentNonce);
    // ... and exchanged the code with the verifier, as a public client (no secret).
    expect(tokenParams.get('code_verifier')).toMatch(/^[\w-]{43,128}$/);
    const verifier = tokenParams.get('code_verifier') ?? '';
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(
      authorizeParams.get('code_challenge'),
    );
    expect(tokenParams.get('client_id')).toBe(env.clientId);
    expect(tokenParams.has('client_secret')).toBe(false);

    // Back on the app, at the redirect URI, with the code removed from the address bar.
    const finalUrl = new URL(env.page.url());
    expect(finalUrl.origin).toBe(env.app.url);
    expect(finalUrl.pathname).toBe('/');
    expect(finalUrl.search).toBe('');
    await expect.poll(() => env.page.locator('#state').textContent()).toBe('signed-in');

    // ID token (validated by oauth4webapi in the page, including the nonce).
    const claims = result.idTokenClaims;
    expect(claims.iss).toBe(env.idp.issuer);
    expect(claims.sub).toBe('alice');
    expect(claims.aud).toBe(env.clientId);
    expect(claims.nonce).toBe(result.sentNonce);
    expect(result.sentNonce.length).toBeGreaterThanOrEqual(32);

    // Access token: a JWT for the API, carrying the granted API scope.
    expect(result.tokenType).toBe('bearer');
    const access = decodeJwt(result.accessToken);
    expect(access.payload['aud']).toBe('api://demo');
    expect(String(access.payload['scope']).split(' ')).toContain('api://demo/read');
    expect(access.payload['sub']).toBe('alice');
    expect(access.payload['client_id']).toBe(env.clientId);
    // With resource indicators the token response's `scope` is the access token's (API) scope.
    expect(result.scope?.split(' ')).toContain('api://demo/read');

    expect(result.refreshToken).toEqual(expect.any(String));
    expect(result.refreshToken?.length).toBeGreaterThan(0);

    expect(env.idp.stats().tokenRequestsByGrant).toEqual({ authorization_code: 1 });
  });

  it('refreshes with the refresh token and rotates it: the old one is rejected', async () => {
    const env = await startFoundationEnv();
    const { result: first } = await signIn(env);
    const oldRefreshToken = first.refreshToken;
    if (oldRefreshToken === undefined) throw new Error('no refresh token');

    const refreshed = await env.page.evaluate((token) => window.__refresh(token), oldRefreshToken);
    if (!refreshed.ok)
      throw new Error(`refresh failed: ${refreshed.error} ${refreshed.description}`);
    expect(refreshed.refreshToken).toEqual(expect.any(String));
    expect(refreshed.refreshToken).not.toBe(oldRefreshToken);
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    const access = decodeJwt(refreshed.accessToken);
    expect(access.payload['aud']).toBe('api://demo');
    expect(String(access.payload['scope']).split(' ')).toContain('api://demo/read');

    const reused = await env.page.evaluate((token) => window.__refresh(token), oldRefreshToken);
    expect(reused).toMatchObject({ ok: false, error: 'invalid_grant', status: 400 });

    expect(env.idp.stats().tokenRequestsByGrant).toEqual({
      authorization_code: 1,
      refresh_token: 2,
    });
  });
});
