import { describe, expect, it } from 'vitest';
import { ClientAuthError, ServerError } from '../../src/errors/index.js';
import type { AuthorizationSecrets } from '../../src/protocol/index.js';
import {
  CLIENT_ID,
  FakeProvider,
  ISSUER,
  MemoryStore,
  REDIRECT_URI,
  SUBJECT,
  callbackUrl,
  idTokenClaims,
  json,
  jwt,
  rejectionOf,
  setup,
} from './fake-provider.js';
import type { Setup } from './fake-provider.js';

const SCOPES = ['openid', 'profile', 'offline_access', 'api.read'];

interface Exchange {
  secrets: AuthorizationSecrets;
  run: (overrides?: {
    scopes?: string[];
    maxAge?: number;
    url?: URL;
  }) => ReturnType<Setup['client']['handleAuthorizationResponse']>;
}

/** Starts a request, then lets the test decide the token response before redeeming the code. */
async function begin(s: Setup, scopes = SCOPES): Promise<Exchange> {
  const { secrets } = await s.client.createAuthorizationRequest({
    redirectUri: REDIRECT_URI,
    scopes,
  });
  return {
    secrets,
    run: (overrides = {}) =>
      s.client.handleAuthorizationResponse(
        overrides.url ?? callbackUrl({ code: 'the-code', state: secrets.state, iss: ISSUER }),
        {
          secrets,
          redirectUri: REDIRECT_URI,
          requestedScopes: overrides.scopes ?? scopes,
          maxAge: overrides.maxAge,
        },
      ),
  };
}

function tokenResponse(idToken: string | undefined, extra: Record<string, unknown> = {}): Response {
  return json({
    access_token: 'the-access-token',
    token_type: 'bearer',
    expires_in: 3600,
    scope: 'openid profile api.read',
    refresh_token: 'the-refresh-token',
    ...(idToken === undefined ? {} : { id_token: idToken }),
    ...extra,
  });
}

describe('handleAuthorizationResponse: code exchange', () => {
  it('redeems the code with the PKCE verifier and returns the validated tokens', async () => {
    const s = setup();
    s.clock.current = Date.now() - 5_000;
    const exchange = await begin(s);
    const idToken = jwt(idTokenClaims(s.clock, { nonce: exchange.secrets.nonce }));
    s.provider.token = () => tokenResponse(idToken);

    const result = await exchange.run();

    const request = s.provider.tokenRequests[0];
    expect(request?.method).toBe('POST');
    expect(Object.fromEntries(request?.body ?? [])).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      code_verifier: exchange.secrets.codeVerifier,
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
    });
    expect(result).toEqual({
      accessToken: 'the-access-token',
      tokenType: 'Bearer',
      expiresAt: s.clock.current + 3_600_000,
      grantedScopes: ['openid', 'profile', 'api.read'],
      refreshToken: 'the-refresh-token',
      idToken,
      idTokenClaims: expect.objectContaining({
        iss: ISSUER,
        sub: SUBJECT,
        aud: CLIENT_ID,
        nonce: exchange.secrets.nonce,
        name: 'Ada Lovelace',
      }) as unknown,
      issuer: ISSUER,
    });
  });

  it('reads a fragment response', async () => {
    const s = setup();
    const exchange = await begin(s);
    s.provider.token = () =>
      tokenResponse(jwt(idTokenClaims(s.clock, { nonce: exchange.secrets.nonce })));

    const result = await exchange.run({
      url: callbackUrl({ code: 'frag-code', state: exchange.secrets.state }, 'fragment'),
    });

    expect(result.accessToken).toBe('the-access-token');
    expect(s.provider.tokenRequests[0]?.body?.get('code')).toBe('frag-code');
  });

  it('uses the requested scopes when the response omits scope (RFC 6749 5.1)', async () => {
    const s = setup();
    const exchange = await begin(s);
    s.provider.token = () =>
      tokenResponse(jwt(idTokenClaims(s.clock, { nonce: exchange.secrets.nonce })), {
        scope: undefined,
      });

    const result = await exchange.run();

    expect(result.grantedScopes).toEqual(SCOPES);
  });

  it('assumes a short lifetime and warns when expires_in is missing', async () => {
    const s = setup();
    const exchange = await begin(s);
    s.provider.token = () =>
      tokenResponse(jwt(idTokenClaims(s.clock, { nonce: exchange.secrets.nonce })), {
        expires_in: undefined,
      });

    const result = await exchange.run();

    expect(result.expiresAt).toBe(s.clock.current + 300_000);
    expect(s.lines.some(([level, line]) => level === 1 && line.includes('expires_in'))).toBe(true);
  });

  it('never logs tokens, the code or the verifier', async () => {
    const s = setup();
    const exchange = await begin(s);
    const idToken = jwt(idTokenClaims(s.clock, { nonce: exchange.secrets.nonce }));
    s.provider.token = () => tokenResponse(idToken);

    await exchange.run();

    expect(s.lines.length).toBeGreaterThan(0);
    const logged = s.lines.map(([, line]) => line).join('\n');
    for (const secret of [
      'the-access-token',
      'the-refresh-token',
      'the-code',
      idToken,
      exchange.secrets.codeVerifier,
      exchange.secrets.state,
      exchange.secrets.nonce,
    ]) {
      expect(logged).not.toContain(secret);
    }
  });

  it('requires an ID token when openid was requested (OIDC Core 3.1.3.3)', async () => {
    const s = setup();
    const exchange = await begin(s);
    s.provider.token = () => tokenResponse(undefined);

    const error = await rejectionOf(exchange.run());

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('invalid_response');
  });

  it('accepts a plain OAuth response without ID token when openid was not requested', async () => {
    const s = setup();
    const exchange = await begin(s, ['api.read']);
    s.provider.token = () => tokenResponse(undefined, { scope: undefined });

    const result = await exchange.run();

    expect(result.idToken).toBeUndefined();
    expect(result.idTokenClaims).toBeUndefined();
    expect(result.grantedScopes).toEqual(['api.read']);
    expect(result.issuer).toBe(ISSUER);
  });

  it.each([
    ['a wrong nonce', (nonce: string) => ({ nonce: `${nonce}x` }), 'nonce_mismatch'],
    ['no nonce', () => ({ nonce: undefined }), 'nonce_mismatch'],
    ['a wrong aud', (nonce: string) => ({ nonce, aud: 'other-client' }), 'invalid_id_token'],
    [
      'several audiences without azp',
      (nonce: string) => ({ nonce, aud: [CLIENT_ID, 'other'] }),
      'invalid_id_token',
    ],
    [
      'several audiences with a foreign azp',
      (nonce: string) => ({ nonce, aud: [CLIENT_ID, 'other'], azp: 'other' }),
      'invalid_id_token',
    ],
    [
      'a wrong iss',
      (nonce: string) => ({ nonce, iss: 'https://evil.example.com' }),
      'invalid_id_token',
    ],
    ['no sub', (nonce: string) => ({ nonce, sub: undefined }), 'invalid_id_token'],
    ['no iat', (nonce: string) => ({ nonce, iat: undefined }), 'invalid_id_token'],
  ])('rejects an ID token with %s', async (_label, claims, code) => {
    const s = setup();
    const exchange = await begin(s);
    s.provider.token = () =>
      tokenResponse(jwt(idTokenClaims(s.clock, claims(exchange.secrets.nonce))));

    const error = await rejectionOf(exchange.run());

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe(code);
    expect((error as ClientAuthError).cause).toBeDefined();
  });

  it.each([
    // OIDC Core 3.1.3.7 step 3: the client trusts no audience but itself, also when azp names it.
    ['several audiences, azp this client', { aud: [CLIENT_ID, 'other'], azp: CLIENT_ID }],
    // Step 5: azp, when present, must be this client, also with a single audience.
    ['an azp of another client', { azp: 'other' }],
    ['an azp of another client in a one-element aud', { aud: [CLIENT_ID], azp: 'other' }],
  ])('rejects an ID token with %s', async (_label, claims) => {
    const s = setup();
    const exchange = await begin(s);
    s.provider.token = () =>
      tokenResponse(jwt(idTokenClaims(s.clock, { nonce: exchange.secrets.nonce, ...claims })));

    const error = await rejectionOf(exchange.run());

    expect(error).toBeInstanceOf(ClientAuthError);
    expect(error).toMatchObject({ errorCode: 'invalid_id_token' });
    expect((error as ClientAuthError).errorMessage).toMatch(/another party/);
  });

  it('accepts an aud of one element and an azp naming this client', async () => {
    const s = setup();
    const exchange = await begin(s);
    s.provider.token = () =>
      tokenResponse(
        jwt(
          idTokenClaims(s.clock, {
            nonce: exchange.secrets.nonce,
            aud: [CLIENT_ID],
            azp: CLIENT_ID,
          }),
        ),
      );

    await expect(exchange.run()).resolves.toMatchObject({ accessToken: 'the-access-token' });
  });

  it('checks auth_time when max_age was sent as an extra parameter (OIDC Core 3.1.2.1)', async () => {
    const s = setup(new FakeProvider(), { clockToleranceSeconds: 0 });
    const { secrets } = await s.client.createAuthorizationRequest({
      redirectUri: REDIRECT_URI,
      scopes: SCOPES,
      extraQueryParameters: { max_age: '60' },
    });
    // The flows hand back the stored secrets only: max_age must travel with them.
    const run = (claims: Record<string, unknown>) => {
      s.provider.token = () =>
        tokenResponse(jwt(idTokenClaims(s.clock, { nonce: secrets.nonce, ...claims })));
      return s.client.handleAuthorizationResponse(
        callbackUrl({ code: 'the-code', state: secrets.state }),
        {
          secrets: JSON.parse(JSON.stringify(secrets)) as AuthorizationSecrets,
          redirectUri: REDIRECT_URI,
          requestedScopes: SCOPES,
        },
      );
    };

    expect(await rejectionOf(run({ auth_time: s.clock.seconds - 600 }))).toMatchObject({
      errorCode: 'invalid_id_token',
    });
    // auth_time is REQUIRED when max_age was requested.
    expect(await rejectionOf(run({}))).toMatchObject({ errorCode: 'invalid_id_token' });
    await expect(run({ auth_time: s.clock.seconds - 30 })).resolves.toMatchObject({
      accessToken: 'the-access-token',
    });
  });

  // Expiry is judged on the provider's time, which the code exchange learns from `iat` (see
  // clock-skew.test.ts): an ID token issued now that expired 61 s ago.
  it('rejects an expired ID token, beyond the clock tolerance', async () => {
    const s = setup(new FakeProvider(), { clockToleranceSeconds: 60 });
    const exchange = await begin(s);
    s.provider.token = () =>
      tokenResponse(
        jwt(
          idTokenClaims(s.clock, {
            nonce: exchange.secrets.nonce,
            exp: s.clock.seconds - 61,
          }),
        ),
      );

    expect(await rejectionOf(exchange.run())).toMatchObject({ errorCode: 'invalid_id_token' });
  });

  it('accepts an ID token expired within the clock tolerance', async () => {
    const s = setup(new FakeProvider(), { clockToleranceSeconds: 120 });
    const exchange = await begin(s);
    s.provider.token = () =>
      tokenResponse(
        jwt(idTokenClaims(s.clock, { nonce: exchange.secrets.nonce, exp: s.clock.seconds - 60 })),
      );

    await expect(exchange.run()).resolves.toMatchObject({ accessToken: 'the-access-token' });
  });

  it('judges ID token times by the injected clock, not the system clock', async () => {
    const store = new MemoryStore();
    const s = setup(new FakeProvider(), { metadataStore: store });
    // The injected clock is two hours ahead of the system clock, and agrees with the provider.
    s.clock.current += 2 * 3600 * 1000;
    const exchange = await begin(s);
    s.provider.token = () =>
      tokenResponse(
        jwt(idTokenClaims(s.clock, { nonce: exchange.secrets.nonce, exp: s.clock.seconds + 60 })),
      );

    await expect(exchange.run()).resolves.toMatchObject({ accessToken: 'the-access-token' });
    expect([...store.entries.keys()].some((key) => key.includes('.clock.'))).toBe(false);

    // Valid by the system clock, expired by the injected one.
    const now = Math.floor(Date.now() / 1000);
    s.provider.token = () =>
      tokenResponse(jwt(idTokenClaims(s.clock, { iat: now, exp: now + 3600 })));
    expect(
      await rejectionOf(s.client.refresh({ refreshToken: 'rt', scopes: [], expectedSub: SUBJECT })),
    ).toMatchObject({ errorCode: 'invalid_id_token' });
  });

  it('checks auth_time against maxAge', async () => {
    const s = setup(new FakeProvider(), { clockToleranceSeconds: 0 });
    const exchange = await begin(s);
    s.provider.token = () =>
      tokenResponse(
        jwt(
          idTokenClaims(s.clock, {
            nonce: exchange.secrets.nonce,
            auth_time: s.clock.seconds - 600,
          }),
        ),
      );

    expect(await rejectionOf(exchange.run({ maxAge: 60 }))).toMatchObject({
      errorCode: 'invalid_id_token',
    });
  });

  it('rejects an ID token signed with an algorithm the provider does not use', async () => {
    const s = setup();
    const exchange = await begin(s);
    s.provider.token = () =>
      tokenResponse(
        jwt(idTokenClaims(s.clock, { nonce: exchange.secrets.nonce }), { alg: 'none' }),
      );

    expect(await rejectionOf(exchange.run())).toMatchObject({ errorCode: 'invalid_id_token' });
  });

  it('maps an OAuth error from the token endpoint to a ServerError', async () => {
    const s = setup();
    const exchange = await begin(s);
    s.provider.token = () =>
      json({ error: 'invalid_grant', error_description: 'Code already used' }, 400);

    const error = await rejectionOf(exchange.run());

    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      errorCode: 'invalid_grant',
      error: 'invalid_grant',
      errorDescription: 'Code already used',
      status: 400,
    });
  });

  it('maps a network failure at the token endpoint to network_error', async () => {
    const s = setup();
    const exchange = await begin(s);
    s.provider.token = () => {
      throw new TypeError('Failed to fetch');
    };

    const error = await rejectionOf(exchange.run());

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('network_error');
  });

  it.each([
    ['a body that is not JSON', () => new Response('oops', { status: 200 })],
    ['an HTML error page', () => new Response('<h1>404</h1>', { status: 404 })],
    ['no access_token', () => json({ token_type: 'bearer', expires_in: 60 })],
    ['an unknown token type', () => json({ access_token: 'a', token_type: 'mac' })],
    ['a DPoP token this client cannot use', () => json({ access_token: 'a', token_type: 'DPoP' })],
  ])('rejects a token response with %s', async (_label, respond) => {
    const s = setup();
    const exchange = await begin(s, ['api.read']);
    s.provider.token = respond;

    const error = await rejectionOf(exchange.run());

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('invalid_response');
  });

  it.each([
    ['a payload that is not JSON', `${b64('{"alg":"RS256"}')}.${b64('<html>')}.c2ln`],
    ['a header that is not JSON', `${b64('<html>')}.${b64('{"sub":"x"}')}.c2ln`],
  ])('reports an ID token with %s as invalid_id_token, not invalid_response', async (_l, jwt) => {
    const s = setup();
    const exchange = await begin(s);
    s.provider.token = () =>
      json({ access_token: 'at', token_type: 'Bearer', expires_in: 60, id_token: jwt });

    const error = await rejectionOf(exchange.run());

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('invalid_id_token');
  });

  it('reports the same on a refresh', async () => {
    const s = setup();
    s.provider.token = () =>
      json({
        access_token: 'at',
        token_type: 'Bearer',
        expires_in: 60,
        id_token: `${b64('{"alg":"RS256"}')}.${b64('<html>')}.c2ln`,
      });
    const error = await rejectionOf(
      s.client.refresh({ refreshToken: 'rt', scopes: ['api.read'], expectedSub: 'x' }),
    );
    expect((error as ClientAuthError).errorCode).toBe('invalid_id_token');
  });
});

function b64(text: string): string {
  return Buffer.from(text).toString('base64url');
}
