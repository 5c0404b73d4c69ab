// Accounts and ID tokens for the fake client: shaped exactly like the ones @tessera/browser
// hands out, so app code that reads `account.username` or decodes the ID token works unchanged.
import type { Account, IdTokenClaims } from '@tessera/browser';

/** What {@link createFakeAccount} needs; everything but `username` has a default. */
export interface FakeAccountInit {
  /** `preferred_username`, and the account's `username`. */
  username: string;
  /** Display name (`name` claim). Default: none. */
  name?: string;
  /** Subject (`sub`). Default: the username. */
  sub?: string;
  /** Issuer (`iss`). Default `https://idp.example`. */
  issuer?: string;
  /** Entra ID tenant id (`tid`). Default: none. */
  tenantId?: string;
  /** The client the ID token is for (`aud`). Default `fake-client-id`. */
  clientId?: string;
  /** More ID token claims (e.g. `roles`, `email`). */
  claims?: Record<string, unknown>;
}

/** Issuer of fake accounts unless given. */
export const FAKE_ISSUER = 'https://idp.example';
/** Client id of the fake client unless given. */
export const FAKE_CLIENT_ID = 'fake-client-id';

/**
 * An {@link Account} as `@tessera/browser` builds it from an ID token: `homeAccountId` is
 * `<sub>|<issuer>`, `username` the `preferred_username`, msal 1.x's alias fields filled in.
 * Frozen, like the library's.
 *
 * @example createFakeAccount({ username: 'alice@example.com', name: 'Alice' })
 */
export function createFakeAccount(init: FakeAccountInit): Account {
  const issuer = init.issuer ?? FAKE_ISSUER;
  const sub = init.sub ?? init.username;
  const now = Math.floor(Date.now() / 1000);
  const idTokenClaims: IdTokenClaims = Object.freeze({
    iss: issuer,
    sub,
    aud: init.clientId ?? FAKE_CLIENT_ID,
    iat: now,
    exp: now + 3600,
    preferred_username: init.username,
    ...(init.name !== undefined && { name: init.name }),
    ...(init.tenantId !== undefined && { tid: init.tenantId }),
    ...init.claims,
  });
  const homeAccountId = `${sub}|${issuer}`;
  let environment = '';
  try {
    environment = new URL(issuer).host;
  } catch {
    // an issuer that is not a URL keeps an empty environment, as in the library
  }
  return Object.freeze({
    homeAccountId,
    localAccountId: sub,
    environment,
    issuer,
    tenantId: init.tenantId ?? '',
    username: init.username,
    name: init.name,
    idTokenClaims,
    accountIdentifier: sub,
    homeAccountIdentifier: homeAccountId,
    userName: init.username,
  });
}

/** Base64url of UTF-8 text, with the browser's APIs (this module also runs in browsers). */
function base64url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * An unsigned JWT (`alg: none`) carrying the account's claims: app code that decodes the ID
 * token sees the claims; nothing can mistake it for a real token.
 */
export function fakeIdToken(account: Account): string {
  return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(account.idTokenClaims))}.`;
}
