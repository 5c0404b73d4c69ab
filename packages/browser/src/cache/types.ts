import type { IdTokenClaims } from '../types.js';

/**
 * A synchronous key-value store: the cache's only view of storage. `sessionStorage`,
 * `localStorage` and memory fit behind it; an asynchronous backend (IndexedDB, a worker) fits as
 * a memory store loaded before start and written through, since the cache reads its store once.
 */
export interface KeyValueStore {
  get(key: string): string | undefined;
  /** Throws the storage's own error (`QuotaExceededError`, `SecurityError`). */
  set(key: string, value: string): void;
  remove(key: string): void;
  /** All keys currently held (also ones this library did not write). */
  keys(): string[];
  /** The Web Storage area behind the store, whose `storage` events tell of other tabs' writes. */
  readonly storage?: Storage;
}

/** A signed-in account as stored. */
export interface AccountEntity {
  /** Stable key: built by `accountKey(issuer, sub)`. */
  homeAccountId: string;
  /** Concrete issuer (no template): the only server the account's tokens go back to. */
  issuer: string;
  /** The authority the account signed in with: refresh and sign-out requests go there only. */
  authority: string;
  clientId: string;
  sub: string;
  idTokenClaims: IdTokenClaims;
  /** When this account was last written (ms epoch). */
  updatedAt: number;
}

/** A cached access token. `scopes` are the granted ones, normalised. */
export interface AccessTokenEntity {
  secret: string;
  tokenType: string;
  scopes: string[];
  /** RFC 8707 resources the token was requested for, normalised; empty when none. */
  resource: string[];
  /** ms epoch */
  expiresAt: number;
  /** ms epoch; with `expiresAt` it gives the token's lifetime, which bounds the renewal offset. */
  cachedAt: number;
}

/**
 * Everything held for one account of one client, stored as ONE entry: a rotated refresh token
 * and the access token it came with reach storage (and other tabs) in the same write, so no tab
 * ever sees the one without the other.
 */
export interface AccountRecord {
  account: AccountEntity;
  idToken?: string | undefined;
  refreshToken?: string | undefined;
  /** When the refresh token stops working, ms epoch, where the provider said so. */
  refreshTokenExpiresAt?: number | undefined;
  accessTokens: AccessTokenEntity[];
}

/** Everything a successful token response stores, written together. */
export interface TokenWrite {
  account: AccountEntity;
  idToken?: string | undefined;
  accessToken?: Omit<AccessTokenEntity, 'cachedAt'> | undefined;
  /**
   * `string`: store (replacing the old one: rotation, RFC 9700 4.14.2);
   * `null`: remove the stored one; `undefined`: keep whatever is stored.
   */
  refreshToken?: string | null | undefined;
  /** With a new refresh token: when it stops working (ms epoch), where the provider said so. */
  refreshTokenExpiresAt?: number | undefined;
}

/** A lookup for an access token. */
export interface AccessTokenQuery {
  homeAccountId: string;
  /** Requested scopes; OIDC-only scopes (openid, profile, email, offline_access, address, phone) are ignored. */
  scopes: readonly string[];
  /** Normalised RFC 8707 resources; empty when none. */
  resource: readonly string[];
  /** ms epoch */
  now: number;
  /**
   * Renew this long before expiry: a token within it is not served. Capped per token at half
   * its lifetime, so a short-lived token is still served for the first half of its life.
   */
  renewalOffsetMs: number;
}

/**
 * The token cache of one client: an in-memory view of its account records, read from the store
 * once and written through. Every read is synchronous and touches no storage. A corrupt,
 * foreign or future-version entry reads as absent and is removed, never thrown. Knows no network.
 */
export interface TokenCache {
  /** This client's accounts, most recently written first. The same array until a change. */
  getAccounts(): readonly AccountEntity[];
  getAccount(homeAccountId: string): AccountEntity | undefined;
  /** The active account's id, when one is set and still signed in. */
  getActiveAccountId(): string | undefined;
  /**
   * Sets (or, with `undefined`, clears) the active account; stored so that it survives a reload
   * and other tabs sharing the store follow it. Unknown ids are ignored.
   */
  setActiveAccountId(homeAccountId: string | undefined): void;
  /** The usable token whose granted scopes cover every requested (non-OIDC) scope, for the same resource. */
  findAccessToken(query: AccessTokenQuery): AccessTokenEntity | undefined;
  /**
   * Whether every access token of the account is expired or within its renewal window (or
   * there is none): then the next token call will go to the network.
   */
  renewalDue(homeAccountId: string, now: number, renewalOffsetMs: number): boolean;
  getIdToken(homeAccountId: string): string | undefined;
  getRefreshToken(homeAccountId: string): string | undefined;
  /** When the account's refresh token stops working (ms epoch), where the provider said so. */
  getRefreshTokenExpiry(homeAccountId: string): number | undefined;
  /**
   * Writes a token response; drops access tokens of the same resource whose scopes the new one
   * covers, and expired ones.
   *
   * @throws the store's error when the record could not be stored (after evicting other
   *   accounts' access tokens to make room); the old refresh token is then removed, since with
   *   rotation it is spent.
   */
  write(entry: TokenWrite): void;
  removeRefreshToken(homeAccountId: string): void;
  /** Removes an account and everything held for it. */
  removeAccount(homeAccountId: string): void;
  /** Removes every record of this client (and nothing else). */
  clear(): void;
  /**
   * Re-reads one storage key (or, with `null`, every key) after another tab changed it, as a
   * `storage` event reports; re-reading the store itself, not the event's value, keeps one
   * source of truth.
   */
  sync(key: string | null): void;
  /** Called after every change, from this tab or another; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/**
 * Per-request state of an authorization request in flight (state, nonce, PKCE verifier and
 * what the flow needs to finish), keyed by `state`. Separate from the token cache.
 */
export interface TransactionStore<T> {
  save(state: string, transaction: T): void;
  /** Reads and deletes in one step: a transaction can be consumed once (replay is a miss). */
  take(state: string): T | undefined;
  peek(state: string): T | undefined;
  remove(state: string): void;
  /** Removes transactions older than `maxAgeMs`. */
  prune(maxAgeMs: number): void;
}
