/**
 * For test kits only (`@tessera/testing`), through the `@tessera/browser/testing` entry: builds
 * the exact storage entries this library reads at start-up for a signed-in account, so an
 * end-to-end test can put a session into the browser without going through the login page.
 * Apps never need this; its shape follows the storage format and may change with it.
 *
 * It reuses the cache's own key and record functions and checks its result with the cache's own
 * decoder, so the test kit cannot drift from what the library reads.
 * @packageDocumentation
 */
import { accountKey, activeAccountKey, recordKey } from './cache/keys.js';
import { decodeRecord, encodeRecord } from './cache/entries.js';
import { isDefaultScope, normalizeResource, normalizeScopes } from './cache/scopes.js';
import type { AccessTokenEntity, AccountRecord } from './cache/types.js';
import { resolveConfiguration } from './config.js';
import type { IdTokenClaims } from './types.js';

export { resolveConfiguration };

/** What a successful token response gave, as {@link sessionStorageEntries} takes it. */
export interface SessionRecordInput {
  /** The app's client id (`auth.clientId`); the ID token's `aud` must name it. */
  clientId: string;
  /**
   * The authority the app is configured with (`auth.authority`): refresh and sign-out requests
   * for the account go there. Normalised the way the configuration is.
   */
  authority: string;
  /** Claims of the validated ID token; `iss` and `sub` identify the account. */
  idTokenClaims: IdTokenClaims;
  /** The raw ID token. */
  idToken?: string | undefined;
  /** The access token; left out, the session has none cached (the first call renews). */
  accessToken?: string | undefined;
  /** Default `Bearer`, the only type the library uses. */
  tokenType?: string | undefined;
  /** The scopes the provider granted with the access token (its `scope`, or the requested ones). */
  grantedScopes?: readonly string[] | undefined;
  /** The scopes that were requested: `.default` ones among them are recorded too, as the library does. */
  requestedScopes?: readonly string[] | undefined;
  /** RFC 8707 resource(s) the access token was requested for. */
  resource?: string | readonly string[] | undefined;
  /** When the access token expires, ms since the epoch. */
  expiresAt?: number | undefined;
  /** The refresh token, when the provider issued one. */
  refreshToken?: string | undefined;
  /** When the tokens were received, ms since the epoch (default `Date.now()`). */
  now?: number | undefined;
  /** Also make this account the active one (default true), as an interactive sign-in does. */
  active?: boolean | undefined;
}

/** One storage item: set `key` to `value` in the app's `sessionStorage` or `localStorage`. */
export interface StorageEntry {
  readonly key: string;
  readonly value: string;
}

/**
 * The storage entries that make an app with `auth.clientId` and `auth.authority` start signed
 * in as the account of these tokens: its account record (ID token, refresh token, access
 * token) and, unless `active` is false, the active-account entry. Write them into the storage
 * the app's `cache.cacheLocation` names, on the app's origin, before the app starts.
 *
 * Check the tokens first (signature, `iss`, `aud`, `nonce`, ...) as the library would: this
 * function trusts them.
 *
 * @throws ClientConfigurationError for a client id or authority the library would refuse.
 * @throws TypeError when the claims lack `iss` or `sub`, the ID token is not for `clientId`,
 *   or the record would not be read back.
 */
export function sessionStorageEntries(input: SessionRecordInput): StorageEntry[] {
  const now = input.now ?? Date.now();
  const claims = input.idTokenClaims;
  if (typeof claims.iss !== 'string' || claims.iss === '') {
    throw new TypeError('The ID token claims have no issuer (iss).');
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw new TypeError('The ID token claims have no subject (sub).');
  }
  // The library refuses an ID token for anyone else (OIDC Core 3.1.3.7 step 3); a session built
  // from one would only show a client-id mix-up later, far from its cause.
  if (![claims.aud].flat().includes(input.clientId)) {
    throw new TypeError(`The ID token is not for client "${input.clientId}" (aud).`);
  }
  // The configuration's own validation and normalisation: the account's authority must be the
  // configured one exactly, or refresh and sign-out would go elsewhere. A page URL is given only
  // because a redirect URI is required outside a page; nothing else is read.
  const { clientId, authority } = resolveConfiguration(
    { auth: { clientId: input.clientId, authority: input.authority } },
    input.authority,
  );
  const homeAccountId = accountKey(claims.iss, claims.sub);
  const accessTokens: AccessTokenEntity[] = [];
  const expiresAt = input.expiresAt ?? 0;
  // As the cache writes: an expired token is not kept.
  if (input.accessToken !== undefined && expiresAt > now) {
    accessTokens.push({
      secret: input.accessToken,
      tokenType: input.tokenType ?? 'Bearer',
      scopes: normalizeScopes([
        ...(input.grantedScopes ?? input.requestedScopes ?? []),
        ...(input.requestedScopes ?? []).filter(isDefaultScope),
      ]),
      resource: normalizeResource(input.resource),
      expiresAt,
      cachedAt: now,
    });
  }
  const record: AccountRecord = {
    account: {
      homeAccountId,
      issuer: claims.iss,
      authority,
      clientId,
      sub: claims.sub,
      idTokenClaims: claims,
      updatedAt: now,
    },
    idToken: input.idToken,
    refreshToken: input.refreshToken,
    accessTokens,
  };
  const key = recordKey(clientId, homeAccountId);
  const value = encodeRecord(record);
  if (decodeRecord(key, value) === undefined) {
    throw new TypeError('The session record would not be read back (check the token values).');
  }
  const entries: StorageEntry[] = [{ key, value }];
  if (input.active !== false)
    entries.push({ key: activeAccountKey(clientId), value: homeAccountId });
  return entries;
}
