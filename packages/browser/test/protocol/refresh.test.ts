import { describe, expect, it } from 'vitest';
import {
  ClientAuthError,
  ServerError,
  isInteractionRequiredAuthError,
} from '../../src/errors/index.js';
import {
  CLIENT_ID,
  FakeProvider,
  ISSUER,
  SUBJECT,
  idTokenClaims,
  json,
  jwt,
  rejectionOf,
  setup,
} from './fake-provider.js';

const INPUT = { refreshToken: 'old-refresh-token', scopes: ['api.read'], expectedSub: SUBJECT };

describe('refresh', () => {
  it('exchanges the refresh token and returns the rotated one', async () => {
    const s = setup();
    s.provider.token = () =>
      json({
        access_token: 'new-access-token',
        token_type: 'Bearer',
        expires_in: 600,
        scope: 'api.read',
        refresh_token: 'new-refresh-token',
      });

    const result = await s.client.refresh({
      ...INPUT,
      resource: ['https://api.example.com', 'https://files.example.com'],
    });

    const body = s.provider.tokenRequests[0]?.body;
    expect(body?.get('grant_type')).toBe('refresh_token');
    expect(body?.get('refresh_token')).toBe('old-refresh-token');
    expect(body?.get('client_id')).toBe(CLIENT_ID);
    expect(body?.get('scope')).toBe('api.read');
    expect(body?.getAll('resource')).toEqual([
      'https://api.example.com',
      'https://files.example.com',
    ]);
    expect(result).toEqual({
      accessToken: 'new-access-token',
      tokenType: 'Bearer',
      expiresAt: s.clock.current + 600_000,
      grantedScopes: ['api.read'],
      refreshToken: 'new-refresh-token',
      idToken: undefined,
      idTokenClaims: undefined,
      issuer: ISSUER,
    });
    const logged = s.lines.map(([, line]) => line).join('\n');
    expect(logged).not.toContain('refresh-token');
    expect(logged).not.toContain('new-access-token');
  });

  it.each([
    [1800, 1_800_000],
    [0, undefined],
    ['1800', undefined],
    [undefined, undefined],
  ])(
    "reads Keycloak's refresh_expires_in %s as the refresh token's expiry",
    async (value, inMs) => {
      const s = setup();
      s.provider.token = () =>
        json({
          access_token: 'a',
          token_type: 'bearer',
          expires_in: 60,
          refresh_token: 'r2',
          refresh_expires_in: value,
        });
      const result = await s.client.refresh(INPUT);
      expect(result.refreshTokenExpiresAt).toBe(
        inMs === undefined ? undefined : s.clock.current + inMs,
      );
    },
  );

  it('reports no refresh token when the provider did not rotate it', async () => {
    const s = setup();
    s.provider.token = () => json({ access_token: 'a', token_type: 'bearer', expires_in: 60 });

    const result = await s.client.refresh(INPUT);

    expect(result.refreshToken).toBeUndefined();
    // RFC 6749 5.1: no scope in the response means the requested scope.
    expect(result.grantedScopes).toEqual(['api.read']);
  });

  it('sends no scope parameter when no scopes are asked for', async () => {
    const s = setup();
    s.provider.token = () => json({ access_token: 'a', token_type: 'bearer', expires_in: 60 });

    await s.client.refresh({ ...INPUT, scopes: [] });

    expect(s.provider.tokenRequests[0]?.body?.has('scope')).toBe(false);
  });

  it('surfaces invalid_grant as a ServerError, not as interaction required', async () => {
    const s = setup();
    s.provider.token = () =>
      json({ error: 'invalid_grant', error_description: 'Token is not active' }, 400);

    const error = await rejectionOf(s.client.refresh(INPUT));

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).error).toBe('invalid_grant');
    expect((error as ServerError).status).toBe(400);
    expect((error as ServerError).errorMessage).toContain('Token is not active');
    expect(isInteractionRequiredAuthError(error)).toBe(false);
  });

  it('maps a 401 challenge to a ServerError invalid_client', async () => {
    const s = setup();
    s.provider.token = () =>
      json({ error: 'invalid_client' }, 401, {
        'www-authenticate': 'Basic realm="token", error="invalid_client"',
      });

    const error = await rejectionOf(s.client.refresh(INPUT));

    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
  });

  it('validates a refreshed ID token of the same user', async () => {
    const s = setup();
    const idToken = jwt(idTokenClaims(s.clock));
    s.provider.token = () =>
      json({ access_token: 'a', token_type: 'bearer', expires_in: 60, id_token: idToken });

    const result = await s.client.refresh(INPUT);

    expect(result.idToken).toBe(idToken);
    expect(result.idTokenClaims?.sub).toBe(SUBJECT);
  });

  it('rejects a refreshed ID token naming another user', async () => {
    const s = setup();
    s.provider.token = () =>
      json({
        access_token: 'a',
        token_type: 'bearer',
        expires_in: 60,
        id_token: jwt(idTokenClaims(s.clock, { sub: 'someone-else' })),
      });

    const error = await rejectionOf(s.client.refresh(INPUT));

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('invalid_id_token');
  });

  it('rejects a refreshed ID token for another audience', async () => {
    const s = setup();
    s.provider.token = () =>
      json({
        access_token: 'a',
        token_type: 'bearer',
        expires_in: 60,
        id_token: jwt(idTokenClaims(s.clock, { aud: 'another-client' })),
      });

    expect(await rejectionOf(s.client.refresh(INPUT))).toMatchObject({
      errorCode: 'invalid_id_token',
    });
  });

  it('rejects a refreshed ID token issued in the future beyond the tolerance (OIDC Core 3.1.3.7 step 10)', async () => {
    const s = setup(new FakeProvider(), { clockToleranceSeconds: 60 });
    const answer = (iat: number) => () =>
      json({
        access_token: 'a',
        token_type: 'bearer',
        expires_in: 60,
        id_token: jwt(idTokenClaims(s.clock, { iat, exp: iat + 3600 })),
      });

    s.provider.token = answer(s.clock.seconds + 61);
    expect(await rejectionOf(s.client.refresh(INPUT))).toMatchObject({
      errorCode: 'invalid_id_token',
    });
    s.provider.token = answer(s.clock.seconds + 59);
    await expect(s.client.refresh(INPUT)).resolves.toMatchObject({ accessToken: 'a' });
  });

  it('maps a network failure to network_error', async () => {
    const s = setup();
    s.provider.token = () => Promise.reject(new TypeError('NetworkError when attempting to fetch'));

    const error = await rejectionOf(s.client.refresh(INPUT));

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('network_error');
  });
});
