/**
 * The cache layer: accounts and tokens over an async key-value store, in a versioned schema,
 * plus the store of pending authorization requests. Knows no network.
 */
export type {
  AccessTokenEntity,
  AccessTokenQuery,
  AccountEntity,
  CacheScope,
  KeyValueStore,
  TokenCache,
  TokenWrite,
  TransactionStore,
} from './types.js';
export {
  createMemoryStore,
  createStore,
  createWebStorageStore,
  type CacheLocation,
} from './storage.js';
export {
  OIDC_SCOPES,
  normalizeResource,
  normalizeScopes,
  parseScopeString,
  resourceScopes,
  scopesCover,
} from './scopes.js';
export { STORAGE_PREFIX, accountKey } from './keys.js';
export { createTokenCache, type TokenCacheOptions } from './token-cache.js';
export { createTransactionStore, type TransactionStoreOptions } from './transaction-store.js';
