/**
 * The token cache: an in-memory view of one client's account records, read from the store once
 * and written through. A cache hit reads no storage, scans no keys and parses no JSON; other
 * tabs' writes arrive through {@link TokenCache.sync}.
 */
import type { Clock } from '../ports.js';
import type { Logger } from '../logger.js';
import type {
  AccessTokenEntity,
  AccountEntity,
  AccountRecord,
  KeyValueStore,
  TokenCache,
} from './types.js';
import { accountKey, activeAccountKey, recordKey } from './keys.js';
import { decodeRecord, encodeRecord } from './entries.js';
import {
  OIDC_SCOPES,
  foldScope,
  normalizeResource,
  normalizeScopes,
  sameList,
  scopesCover,
} from './scopes.js';

/** What the token cache needs besides its store. */
export interface TokenCacheOptions {
  /** The client whose records this cache holds; other clients' records on the origin are left alone. */
  clientId: string;
  /** Decides expiry and stamps `cachedAt` / `updatedAt`. */
  clock: Clock;
  /** Receives notes on dropped entries and failed writes; never tokens or keys. */
  logger: Logger;
}

/** Access tokens kept per account at most; the oldest go first. Keeps memory and storage bounded. */
export const MAX_ACCESS_TOKENS = 50;

/**
 * Creates the token cache and reads the store once.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 refresh token rotation
 * @see https://www.rfc-editor.org/rfc/rfc8707 resource indicators
 */
export function createTokenCache(store: KeyValueStore, options: TokenCacheOptions): TokenCache {
  const { clock, logger, clientId } = options;
  // Every key of this client's records starts so (the client id is escaped, then `|`).
  const own = recordKey(clientId, '');
  const activeKey = activeAccountKey(clientId);
  let active: string | undefined;
  const records = new Map<string, AccountRecord>();
  const listeners = new Set<() => void>();
  let accounts: AccountEntity[] = [];

  function changed(): void {
    // Most recently signed in first: a stable order, and the likeliest choice first.
    accounts = [...records.values()]
      .map((r) => r.account)
      .sort((a, b) => b.updatedAt - a.updatedAt);
    for (const listener of [...listeners]) listener();
  }

  /** Reads one key into the view; drops it from storage when it is ours but unusable. */
  function load(key: string): void {
    if (!key.startsWith(own)) return;
    const raw = store.get(key);
    const record = raw === undefined ? undefined : decodeRecord(key, raw);
    if (record === undefined) {
      if (raw !== undefined) {
        logger.verbose('Dropping an unusable cache entry.');
        tryRemove(key);
      }
      for (const [id] of records) if (recordKey(clientId, id) === key) records.delete(id);
      return;
    }
    records.set(record.account.homeAccountId, record);
  }

  function tryRemove(key: string): void {
    try {
      store.remove(key);
    } catch {
      // Best effort: the entry is ignored on every read anyway.
    }
  }

  function loadAll(): void {
    records.clear();
    for (const key of store.keys()) load(key);
    loadActive();
  }

  function loadActive(): void {
    try {
      active = store.get(activeKey);
    } catch {
      active = undefined;
    }
  }

  /**
   * Stores a record; when the store is full, drops other accounts' access tokens (the cheapest
   * thing to lose: refresh tokens get new ones) and tries again.
   */
  function persist(record: AccountRecord): void {
    const id = record.account.homeAccountId;
    const key = recordKey(clientId, id);
    const value = encodeRecord(record);
    const victims = [...records.values()].filter(
      (r) => r.account.homeAccountId !== id && r.accessTokens.length > 0,
    );
    for (;;) {
      try {
        store.set(key, value);
        return;
      } catch (error) {
        const victim = victims.shift();
        if (!isQuotaExceeded(error) || victim === undefined) {
          // With rotation the old refresh token is spent once the provider issued a new one;
          // presenting it again can make the provider revoke the whole grant (RFC 9700
          // 4.14.2). Better to hold none than a spent one.
          logger.warning('Could not store the new tokens; removing the old refresh token.');
          tryRemove(key);
          // This tab now sees what storage holds, as other tabs and the next load will.
          if (records.delete(id)) changed();
          throw error;
        }
        logger.warning('Storage is full; evicting cached access tokens to make room.');
        victim.accessTokens = [];
        try {
          store.set(recordKey(clientId, victim.account.homeAccountId), encodeRecord(victim));
        } catch {
          // Still full: the next victim may free more.
        }
      }
    }
  }

  function update(homeAccountId: string, edit: (record: AccountRecord) => void): void {
    const record = records.get(homeAccountId);
    if (record === undefined) return;
    const next = { ...record };
    edit(next);
    persist(next);
    records.set(homeAccountId, next);
    changed();
  }

  loadAll();
  changed();

  return {
    getAccounts: () => accounts,
    getAccount: (id) => records.get(id)?.account,
    getActiveAccountId: () => (active !== undefined && records.has(active) ? active : undefined),

    setActiveAccountId(id) {
      const next = id !== undefined && records.has(id) ? id : undefined;
      if (next === active) return;
      active = next;
      try {
        if (next === undefined) store.remove(activeKey);
        else store.set(activeKey, next);
      } catch {
        // Kept in memory for this page: which account is active is a preference, not a secret.
        logger.warning('Could not store the active account.');
      }
      changed();
    },
    getIdToken: (id) => records.get(id)?.idToken,
    getRefreshToken: (id) => records.get(id)?.refreshToken,
    getRefreshTokenExpiry: (id) => records.get(id)?.refreshTokenExpiresAt,

    renewalDue(id, now, renewalOffsetMs) {
      return !records.get(id)?.accessTokens.some((t) => usableAt(t, now, renewalOffsetMs));
    },

    findAccessToken({ homeAccountId, scopes, resource, now, renewalOffsetMs }) {
      const tokens = records.get(homeAccountId)?.accessTokens;
      if (tokens === undefined) return undefined;
      let best;
      for (const token of tokens) {
        if (
          usableAt(token, now, renewalOffsetMs) &&
          (best === undefined || token.expiresAt > best.expiresAt) &&
          sameList(token.resource, resource) &&
          covers(token.scopes, scopes)
        ) {
          best = token;
        }
      }
      return best;
    },

    write(entry) {
      const now = clock.now();
      const id = entry.account.homeAccountId;
      // What load would refuse must not be served from memory either.
      if (
        entry.account.clientId !== clientId ||
        id !== accountKey(entry.account.issuer, entry.account.sub)
      ) {
        throw new TypeError('The account does not belong to this cache.');
      }
      const previous = records.get(id);
      let accessTokens = (previous?.accessTokens ?? []).filter((t) => t.expiresAt > now);
      const at = entry.accessToken;
      if (at !== undefined && at.expiresAt > now) {
        const token = {
          ...at,
          scopes: normalizeScopes(at.scopes),
          resource: normalizeResource(at.resource),
          cachedAt: now,
        };
        // Same resource, and the new token serves every request the old one served: the old
        // one would only take up room.
        accessTokens = accessTokens.filter(
          (t) => !(sameList(t.resource, token.resource) && scopesCover(token.scopes, t.scopes)),
        );
        accessTokens.push(token);
        accessTokens = accessTokens.slice(-MAX_ACCESS_TOKENS);
      }
      const record: AccountRecord = {
        account: { ...entry.account, updatedAt: now },
        idToken: entry.idToken ?? previous?.idToken,
        refreshToken:
          entry.refreshToken === undefined
            ? previous?.refreshToken
            : (entry.refreshToken ?? undefined),
        // Goes with its refresh token: kept with it, replaced or dropped with it.
        refreshTokenExpiresAt:
          entry.refreshToken === undefined
            ? previous?.refreshTokenExpiresAt
            : entry.refreshToken === null
              ? undefined
              : entry.refreshTokenExpiresAt,
        accessTokens,
      };
      persist(record);
      records.set(id, record);
      changed();
    },

    removeRefreshToken(id) {
      update(id, (record) => {
        record.refreshToken = undefined;
        record.refreshTokenExpiresAt = undefined;
      });
    },

    removeAccount(id) {
      if (!records.has(id)) return;
      store.remove(recordKey(clientId, id));
      records.delete(id);
      if (active === id) {
        active = undefined;
        tryRemove(activeKey);
      }
      changed();
    },

    clear() {
      for (const key of store.keys())
        if (key.startsWith(own) || key === activeKey) store.remove(key);
      records.clear();
      active = undefined;
      changed();
    },

    sync(key) {
      if (key === null) loadAll();
      else if (key.startsWith(own)) load(key);
      else if (key === activeKey) loadActive();
      else return;
      changed();
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/**
 * Whether a token is outside its renewal window at `now`. The window is the renewal offset,
 * but never more than half the token's lifetime: a token that lives 60 s is served for 30 s
 * instead of never (`exp` is the first instant it is no longer accepted, RFC 7519 4.1.4).
 */
function usableAt(token: AccessTokenEntity, now: number, renewalOffsetMs: number): boolean {
  const offset = Math.max(0, Math.min(renewalOffsetMs, (token.expiresAt - token.cachedAt) / 2));
  return token.expiresAt - offset > now;
}

/** Each token's granted scopes in lower case, made once per token (records are replaced, not edited). */
const folded = new WeakMap<readonly string[], readonly string[]>();

/**
 * {@link scopesCover} for a request already reduced to its non-OIDC scopes in lower case
 * (`NormalizedRequest.cacheScopes`), allocating only on a token's first lookup: this runs on
 * every cache hit.
 */
function covers(granted: readonly string[], wanted: readonly string[]): boolean {
  let lower = folded.get(granted);
  if (lower === undefined) folded.set(granted, (lower = granted.map(foldScope)));
  if (wanted.length === 0) return lower.every((scope) => OIDC_SCOPES.has(scope));
  // A query already folded matches on the first test; any other is folded here.
  return wanted.every((scope) => lower.includes(scope) || lower.includes(foldScope(scope)));
}

/** Whether a storage error means "full" (the standard name, and Firefox's legacy one). */
function isQuotaExceeded(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}
