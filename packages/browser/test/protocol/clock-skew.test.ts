// A device clock 10 minutes off the provider's: the provider's time is learned from the code
// exchange (its ID token's `iat`, bound to the request by `nonce`) and used for later checks.
import { describe, expect, it } from 'vitest';
import {
  FakeClock,
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

const TEN_MINUTES = 600;
const SCOPES = ['openid', 'api.read'];
const KEY = `tessera.v1.clock.${ISSUER}`;

/**
 * ID token claims as a provider whose clock is `skew` seconds ahead of the device issues them:
 * with an Entra-like `nbf`, and short-lived (Keycloak's default is 5 minutes).
 */
function skewedClaims(s: Setup, skew: number, extra: Record<string, unknown> = {}) {
  const iat = s.clock.seconds + skew;
  return idTokenClaims(s.clock, { iat, nbf: iat, exp: iat + 240, ...extra });
}

function tokens(idToken: string, expiresIn = 300): Response {
  return json({
    access_token: `at-${Math.random()}`,
    token_type: 'Bearer',
    expires_in: expiresIn,
    refresh_token: 'rt',
    id_token: idToken,
  });
}

/** A sign-in whose ID token is issued by `claims` (given the request's nonce). */
async function signIn(s: Setup, claims: (nonce: string) => Record<string, unknown>) {
  const { secrets } = await s.client.createAuthorizationRequest({
    redirectUri: REDIRECT_URI,
    scopes: SCOPES,
  });
  s.provider.token = () => tokens(jwt(claims(secrets.nonce)));
  return s.client.handleAuthorizationResponse(callbackUrl({ code: 'c', state: secrets.state }), {
    secrets,
    redirectUri: REDIRECT_URI,
    requestedScopes: SCOPES,
  });
}

function refresh(s: Setup, skew: number) {
  s.provider.token = () => tokens(jwt(skewedClaims(s, skew)), 120);
  return s.client.refresh({ refreshToken: 'rt', scopes: [], expectedSub: SUBJECT });
}

describe('provider clock ahead of or behind the device (OIDC Core 3.1.3.7 steps 9-11)', () => {
  it.each([
    ['10 minutes ahead', TEN_MINUTES],
    ['10 minutes behind', -TEN_MINUTES],
  ])('signs in and refreshes when the provider is %s', async (_label, skew) => {
    const store = new MemoryStore();
    const s = setup(new FakeProvider(), { metadataStore: store });

    const signedIn = await signIn(s, (nonce) => skewedClaims(s, skew, { nonce }));
    s.clock.current += 60_000;
    const refreshed = await refresh(s, skew);

    expect(signedIn.idTokenClaims?.sub).toBe(SUBJECT);
    expect(refreshed.idTokenClaims?.sub).toBe(SUBJECT);
    // Access token expiry stays on the device's clock, from `expires_in` at receipt.
    expect(refreshed.expiresAt).toBe(s.clock.current + 120_000);
    // Remembered for the next page load: a new client refreshes without signing in again.
    expect(Math.abs(Number(store.get(KEY)) - skew * 1000)).toBeLessThan(2000);
    const next = setup(new FakeProvider(), { metadataStore: store }, s.clock);
    await expect(refresh(next, skew)).resolves.toMatchObject({ issuer: ISSUER });
    // Without what was learned, the same refresh fails: the skew is what made it pass.
    const fresh = setup(new FakeProvider(), {}, s.clock);
    expect(await rejectionOf(refresh(fresh, skew))).toMatchObject({
      errorCode: 'invalid_id_token',
    });
  });

  it('learns nothing from a skew within the tolerance', async () => {
    const store = new MemoryStore();
    const s = setup(new FakeProvider(), { metadataStore: store });

    await signIn(s, (nonce) => skewedClaims(s, 120, { nonce }));

    expect(store.get(KEY)).toBeUndefined();
    // Still judged by the device's clock: 10 minutes in the future is refused.
    expect(await rejectionOf(refresh(s, TEN_MINUTES))).toMatchObject({
      errorCode: 'invalid_id_token',
    });
  });

  it('still rejects a wrong nonce, and learns nothing from the rejected response', async () => {
    const store = new MemoryStore();
    const s = setup(new FakeProvider(), { metadataStore: store });

    const error = await rejectionOf(
      signIn(s, (nonce) => skewedClaims(s, TEN_MINUTES, { nonce: `${nonce}x` })),
    );

    expect(error).toMatchObject({ errorCode: 'nonce_mismatch' });
    expect(store.get(KEY)).toBeUndefined();
    expect(await rejectionOf(refresh(s, TEN_MINUTES))).toMatchObject({
      errorCode: 'invalid_id_token',
    });
  });

  it.each([
    ['years ahead', 3 * 365 * 86_400],
    ['years behind', -3 * 365 * 86_400],
    ['a day and a minute ahead', 86_460],
  ])('rejects an ID token issued %s of the device clock', async (_label, skew) => {
    const store = new MemoryStore();
    const s = setup(new FakeProvider(), { metadataStore: store });

    const error = await rejectionOf(
      signIn(s, (nonce) => ({ ...skewedClaims(s, skew, { nonce }), exp: s.clock.seconds + 3600 })),
    );

    expect(error).toMatchObject({ errorCode: 'invalid_id_token' });
    expect((error as Error).message).toMatch(/clock/);
    expect(store.get(KEY)).toBeUndefined();
  });

  it('ignores a remembered offset beyond a day', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    store.set(KEY, String(3 * 86_400_000));
    const s = setup(new FakeProvider(), { metadataStore: store }, clock);

    // Honoured, it would let a token issued three days from now through.
    const iat = clock.seconds + 3 * 86_400;
    s.provider.token = () => tokens(jwt(idTokenClaims(clock, { iat, exp: iat + 300 })));
    expect(
      await rejectionOf(s.client.refresh({ refreshToken: 'rt', scopes: [], expectedSub: SUBJECT })),
    ).toMatchObject({ errorCode: 'invalid_id_token' });
  });

  it('forgets a learned offset once a sign-in shows the clocks agree again', async () => {
    const store = new MemoryStore();
    const s = setup(new FakeProvider(), { metadataStore: store });
    await signIn(s, (nonce) => skewedClaims(s, TEN_MINUTES, { nonce }));

    await signIn(s, (nonce) => skewedClaims(s, 0, { nonce }));

    expect(Number(store.get(KEY) ?? 0)).toBe(0);
    expect(await rejectionOf(refresh(s, TEN_MINUTES))).toMatchObject({
      errorCode: 'invalid_id_token',
    });
  });
});
