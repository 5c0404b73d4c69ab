/**
 * The token cache over a {@link KeyValueStore}: accounts, ID tokens, access tokens and refresh
 * tokens, each a versioned JSON entry under a `tessera.v1.` key.
 */
import type { Clock } from '../ports.js';
import type { Logger } from '../logger.js';
import type {
  AccessTokenEntity,
  AccessTokenQuery,
  AccountEntity,
  CacheScope,
  KeyValueStore,
  TokenCache,
  TokenWrite,
} from './types.js';
import {
  EntryKind,
  TOKEN_CACHE_KINDS,
  accessTokenKey,
  accessTokenKeyPrefix,
  accountStorageKey,
  idTokenKey,
  isOwnKey,
  kindPrefix,
  parseKey,
  refreshTokenKey,
} from './keys.js';
import {
  accessTokenShape,
  accountShape,
  decodeEntry,
  encodeEntry,
  secretShape,
  type SecretEntity,
} from './entries.js';
import { normalizeResource, normalizeScopes, sameList, scopesCover } from './scopes.js';

/** What the token cache needs besides its store. */
export interface TokenCacheOptions {
  /** Decides expiry and stamps `cachedAt` / `updatedAt`. */
  clock: Clock;
  /** Receives notes on dropped entries and failed writes; never tokens or keys. */
  logger: Logger;
}

type Shape<T> = (record: Record<string, unknown>) => T | undefined;

/**
 * Creates the token cache.
 *
 * Reading never throws on bad data: an entry that is not valid JSON, has the wrong shape or
 * kind, was written by another schema version, or does not belong under its key is treated as
 * absent and removed. Keys without the `tessera.v1.` prefix are never read or touched.
 * Writes reject when the store rejects (e.g. `QuotaExceededError`), after first evicting
 * access tokens, oldest first, to make room.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 refresh token rotation
 * @see https://www.rfc-editor.org/rfc/rfc8707 resource indicators
 */
export function createTokenCache(store: KeyValueStore, options: TokenCacheOptions): TokenCache {
  const { clock, logger } = options;

  async function discard(key: string, kind: EntryKind, reason: string): Promise<void> {
    // Defence in depth: whatever a caller passes, a foreign key is never removed.
    if (!isOwnKey(key)) return;
    logger.verbose(`Dropping a cache entry of kind ${kind} (${reason}).`);
    try {
      await store.remove(key);
    } catch {
      // Best effort: the entry is ignored on every read anyway.
    }
  }

  /**
   * Reads one entry. `expectedKey` recomputes the key from the decoded value: an entry stored
   * under a key that does not describe it (copied or edited by hand) is not trusted.
   */
  async function read<T>(
    key: string,
    kind: EntryKind,
    shape: Shape<T>,
    expectedKey: (value: T) => string,
  ): Promise<T | undefined> {
    const raw = await store.get(key);
    if (raw === undefined) return undefined;
    const decoded = decodeEntry(raw, kind, shape);
    if (!decoded.ok) {
      await discard(key, kind, decoded.reason);
      return undefined;
    }
    if (expectedKey(decoded.value) !== key) {
      await discard(key, kind, 'key_mismatch');
      return undefined;
    }
    return decoded.value;
  }

  const readAccount = (key: string) =>
    read(key, EntryKind.Account, accountShape, (a) => accountStorageKey(a.homeAccountId, a));
  const readAccessToken = (key: string) =>
    read(key, EntryKind.AccessToken, accessTokenShape, accessTokenKey);
  const readSecret = (
    key: string,
    kind: typeof EntryKind.IdToken | typeof EntryKind.RefreshToken,
  ) =>
    read(key, kind, secretShape, (s: SecretEntity) =>
      kind === EntryKind.IdToken
        ? idTokenKey(s.homeAccountId, s)
        : refreshTokenKey(s.homeAccountId, s),
    );

  async function keysStartingWith(prefix: string): Promise<string[]> {
    return (await store.keys()).filter((key) => key.startsWith(prefix));
  }

  /**
   * Stores a value; when the store is full, evicts access tokens oldest first and tries again.
   * Access tokens are the cheapest thing to lose: the refresh token gets new ones.
   */
  async function put(key: string, value: string): Promise<void> {
    try {
      await store.set(key, value);
      return;
    } catch (error) {
      if (!isQuotaExceeded(error)) throw error;
      logger.warning('Storage is full; evicting cached access tokens to make room.');
      for (const victim of await accessTokensOldestFirst(key)) {
        await store.remove(victim);
        try {
          await store.set(key, value);
          return;
        } catch (retryError) {
          if (!isQuotaExceeded(retryError)) throw retryError;
        }
      }
      throw error;
    }
  }

  async function accessTokensOldestFirst(except: string): Promise<string[]> {
    const keys = await keysStartingWith(kindPrefix(EntryKind.AccessToken));
    const aged: { key: string; cachedAt: number }[] = [];
    for (const key of keys) {
      if (key === except) continue;
      const token = await readAccessToken(key);
      // Unreadable entries were removed by the read and freed their space already.
      if (token !== undefined) aged.push({ key, cachedAt: token.cachedAt });
    }
    return aged.sort((a, b) => a.cachedAt - b.cachedAt).map((entry) => entry.key);
  }

  async function listAccounts(): Promise<AccountEntity[]> {
    const found: AccountEntity[] = [];
    for (const key of await keysStartingWith(kindPrefix(EntryKind.Account))) {
      const account = await readAccount(key);
      if (account !== undefined) found.push(account);
    }
    // Most recently signed in first: a stable order, and the likeliest choice first.
    return found.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async function writeRefreshToken(account: AccountEntity, token: string | null): Promise<void> {
    const key = refreshTokenKey(account.homeAccountId, account);
    if (token === null) {
      await store.remove(key);
      return;
    }
    const entity: SecretEntity = {
      homeAccountId: account.homeAccountId,
      issuer: account.issuer,
      clientId: account.clientId,
      secret: token,
    };
    try {
      // One key per account, issuer and client: the new token overwrites the old in one step.
      await put(key, encodeEntry(EntryKind.RefreshToken, entity));
    } catch (error) {
      // With rotation the old token is spent once the provider issued a new one; presenting it
      // again can make the provider revoke the whole token family (RFC 9700 4.14.2). Better to
      // hold none than a spent one.
      logger.warning('Could not store the new refresh token; removing the old one.');
      await store.remove(key).catch(() => undefined);
      throw error;
    }
  }

  async function writeAccessToken(
    account: AccountEntity,
    token: NonNullable<TokenWrite['accessToken']>,
    now: number,
  ): Promise<void> {
    const entity: AccessTokenEntity = {
      homeAccountId: account.homeAccountId,
      issuer: account.issuer,
      clientId: account.clientId,
      secret: token.secret,
      tokenType: token.tokenType,
      scopes: normalizeScopes(token.scopes),
      resource: normalizeResource(token.resource),
      expiresAt: token.expiresAt,
      cachedAt: now,
    };
    if (entity.expiresAt <= now) {
      logger.verbose('Not caching an access token that has already expired.');
      return;
    }
    const key = accessTokenKey(entity);
    // Write first, then drop what it supersedes: a concurrent reader sees the old or the new
    // token, never neither.
    await put(key, encodeEntry(EntryKind.AccessToken, entity));
    for (const other of await keysStartingWith(accessTokenKeyPrefix(entity))) {
      if (other === key) continue;
      const cached = await readAccessToken(other);
      if (cached === undefined) continue;
      const expired = cached.expiresAt <= now;
      // Same resource, and the new token serves every request the old one served: the old one
      // can only be picked over the new one for expiring later, so it just takes up room.
      const superseded =
        sameList(cached.resource, entity.resource) && scopesCover(entity.scopes, cached.scopes);
      if (expired || superseded) await store.remove(other);
    }
  }

  const matchesScope = (parsed: string[], filter: Partial<CacheScope> | undefined) =>
    (filter?.issuer === undefined || parsed[1] === filter.issuer) &&
    (filter?.clientId === undefined || parsed[2] === filter.clientId);

  const cache: TokenCache = {
    async getAccounts(filter) {
      const accounts = await listAccounts();
      return accounts.filter(
        (a) =>
          (filter?.issuer === undefined || a.issuer === filter.issuer) &&
          (filter?.clientId === undefined || a.clientId === filter.clientId),
      );
    },

    async getAccount(homeAccountId, filter) {
      const accounts = await cache.getAccounts(filter);
      return accounts.find((a) => a.homeAccountId === homeAccountId);
    },

    async findAccessToken(query: AccessTokenQuery) {
      const now = clock.now();
      const resource = normalizeResource(query.resource);
      // The prefix holds the resource set: tokens for another resource are not even listed.
      const prefix = accessTokenKeyPrefix(query, resource);
      let best: AccessTokenEntity | undefined;
      for (const key of await keysStartingWith(prefix)) {
        const token = await readAccessToken(key);
        if (token === undefined) continue;
        if (token.expiresAt <= now) {
          await discard(key, EntryKind.AccessToken, 'expired');
          continue;
        }
        const usable =
          // `exp` is the first instant the token is no longer accepted (RFC 7519 4.1.4).
          token.expiresAt > query.validUntilAtLeast &&
          token.homeAccountId === query.homeAccountId &&
          token.issuer === query.issuer &&
          token.clientId === query.clientId &&
          sameList(token.resource, resource) &&
          scopesCover(token.scopes, query.scopes);
        if (!usable) continue;
        if (
          best === undefined ||
          token.expiresAt > best.expiresAt ||
          (token.expiresAt === best.expiresAt && token.cachedAt > best.cachedAt)
        ) {
          best = token;
        }
      }
      return best;
    },

    async getIdToken(homeAccountId, scope) {
      const entry = await readSecret(idTokenKey(homeAccountId, scope), EntryKind.IdToken);
      return entry?.secret;
    },

    async getRefreshToken(homeAccountId, scope) {
      const entry = await readSecret(refreshTokenKey(homeAccountId, scope), EntryKind.RefreshToken);
      return entry?.secret;
    },

    async write(entry: TokenWrite) {
      const now = clock.now();
      const account: AccountEntity = { ...entry.account, updatedAt: now };
      // The refresh token goes first: once the provider rotated it, the stored one is spent.
      if (entry.refreshToken !== undefined) await writeRefreshToken(account, entry.refreshToken);
      await put(
        accountStorageKey(account.homeAccountId, account),
        encodeEntry(EntryKind.Account, account),
      );
      if (entry.idToken !== undefined) {
        const idToken: SecretEntity = {
          homeAccountId: account.homeAccountId,
          issuer: account.issuer,
          clientId: account.clientId,
          secret: entry.idToken,
        };
        await put(
          idTokenKey(account.homeAccountId, account),
          encodeEntry(EntryKind.IdToken, idToken),
        );
      }
      if (entry.accessToken !== undefined) await writeAccessToken(account, entry.accessToken, now);
    },

    async removeRefreshToken(homeAccountId, scope) {
      await store.remove(refreshTokenKey(homeAccountId, scope));
    },

    async removeAccessToken(entity) {
      await store.remove(accessTokenKey(entity));
    },

    async removeAccount(homeAccountId, filter) {
      for (const key of await store.keys()) {
        const parsed = parseKey(key);
        if (parsed === undefined || !TOKEN_CACHE_KINDS.includes(parsed.kind)) continue;
        if (parsed.segments[0] !== homeAccountId || !matchesScope(parsed.segments, filter)) {
          continue;
        }
        await store.remove(key);
      }
    },

    async clear() {
      // Only the token cache's own kinds: transactions of a sign-in in flight belong to the
      // transaction store, and foreign keys to whoever wrote them.
      for (const key of await store.keys()) {
        const parsed = parseKey(key);
        if (parsed !== undefined && TOKEN_CACHE_KINDS.includes(parsed.kind)) {
          await store.remove(key);
        }
      }
    },
  };
  return cache;
}

/** Whether a storage error means "full" (the standard name, and Firefox's legacy one). */
function isQuotaExceeded(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('name' in error)) return false;
  return error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED';
}
