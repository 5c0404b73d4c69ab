import type { IdTokenClaims } from '../types.js';

/**
 * An async key-value store: the cache's only view of storage, so `sessionStorage`,
 * `localStorage`, memory and (later) IndexedDB or a worker fit behind it.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** All keys currently held (also ones this library did not write). */
  keys(): Promise<string[]>;
}

/** Identifies where tokens come from: the same user at another issuer or client is another entry. */
export interface CacheScope {
  /** Concrete issuer (no template). */
  issuer: string;
  clientId: string;
}

/** A signed-in account as stored. */
export interface AccountEntity {
  /** Stable key: built by `accountKey(issuer, sub)`. */
  homeAccountId: string;
  issuer: string;
  clientId: string;
  sub: string;
  idTokenClaims: IdTokenClaims;
  /** When this account was last written (ms epoch). */
  updatedAt: number;
}

/** A cached access token. `scopes` are the granted ones. */
export interface AccessTokenEntity {
  homeAccountId: string;
  issuer: string;
  clientId: string;
  secret: string;
  tokenType: string;
  scopes: string[];
  /** RFC 8707 resources the token was requested for, sorted; empty when none. */
  resource: string[];
  /** ms epoch */
  expiresAt: number;
  /** ms epoch */
  cachedAt: number;
}

/** Everything a successful token response stores, written together. */
export interface TokenWrite {
  account: AccountEntity;
  idToken?: string | undefined;
  accessToken?:
    Omit<AccessTokenEntity, 'homeAccountId' | 'issuer' | 'clientId' | 'cachedAt'> | undefined;
  /**
   * `string`: store (replacing the old one: rotation, RFC 9700 4.14.2);
   * `null`: remove the stored one; `undefined`: keep whatever is stored.
   */
  refreshToken?: string | null | undefined;
}

/** A lookup for an access token. */
export interface AccessTokenQuery {
  homeAccountId: string;
  issuer: string;
  clientId: string;
  /** Requested scopes; OIDC-only scopes (openid, profile, email, offline_access, address, phone) are ignored. */
  scopes: string[];
  resource?: string[] | undefined;
  /** Only tokens valid until at least this time (ms epoch) count: now + renewal offset. */
  validUntilAtLeast: number;
}

/**
 * Accounts, ID tokens, access tokens and refresh tokens over a {@link KeyValueStore}, in a
 * versioned schema under one key prefix. A corrupt, foreign or future-version entry reads as a
 * miss and is removed, never thrown. Knows no network.
 */
export interface TokenCache {
  getAccounts(filter?: Partial<CacheScope>): Promise<AccountEntity[]>;
  /**
   * The account with this id; with `filter`, only at that issuer and/or client (several apps
   * on one origin may share a storage). Without it, the most recently written one.
   */
  getAccount(
    homeAccountId: string,
    filter?: Partial<CacheScope>,
  ): Promise<AccountEntity | undefined>;
  /** The token whose granted scopes cover every requested (non-OIDC) scope, for the same resource. */
  findAccessToken(query: AccessTokenQuery): Promise<AccessTokenEntity | undefined>;
  getIdToken(homeAccountId: string, scope: CacheScope): Promise<string | undefined>;
  getRefreshToken(homeAccountId: string, scope: CacheScope): Promise<string | undefined>;
  /** Writes a token response; replaces access tokens of the same account+resource whose scopes the new one covers. */
  write(entry: TokenWrite): Promise<void>;
  removeRefreshToken(homeAccountId: string, scope: CacheScope): Promise<void>;
  removeAccessToken(entity: AccessTokenEntity): Promise<void>;
  /**
   * Removes an account and everything held for it; with `filter`, only at that issuer and/or
   * client, so signing out of one app leaves another app on the same origin signed in.
   */
  removeAccount(homeAccountId: string, filter?: Partial<CacheScope>): Promise<void>;
  /** Removes everything this library stored (and nothing else). */
  clear(): Promise<void>;
}

/**
 * Per-request state of an authorization request in flight (state, nonce, PKCE verifier and
 * what the flow needs to finish), keyed by `state`. Separate from the token cache.
 */
export interface TransactionStore<T> {
  save(state: string, transaction: T): Promise<void>;
  /** Reads and deletes in one step: a transaction can be consumed once (replay is a miss). */
  take(state: string): Promise<T | undefined>;
  peek(state: string): Promise<T | undefined>;
  remove(state: string): Promise<void>;
  /** Removes transactions older than `maxAgeMs`. */
  prune(maxAgeMs: number): Promise<void>;
}
