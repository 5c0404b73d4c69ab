/**
 * Storage adapters behind {@link KeyValueStore}: memory, and the Web Storage API
 * (`sessionStorage` / `localStorage`). Both are synchronous in browsers, so the store is too: the
 * cache reads it once at start and keeps an in-memory view, and writes go through at once.
 * Reads degrade to a miss when storage is unavailable; writes throw, so a caller never believes
 * a token or transaction was kept when it was not.
 */
import type { KeyValueStore } from './types.js';
import { silentLogger, type Logger } from '../logger.js';
import { STORAGE_PREFIX } from './keys.js';

/** Where the cache lives (`cache.cacheLocation`). */
export type CacheLocation = 'sessionStorage' | 'localStorage' | 'memory';

/**
 * A store that lives as long as the page: nothing survives a reload and nothing is shared with
 * other tabs. The safest place for tokens, and the fallback when Web Storage is unusable.
 */
export function createMemoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return {
    get: (key) => map.get(key),
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
    // A copy: callers remove keys while they walk the list.
    keys: () => [...map.keys()],
  };
}

/**
 * A store over a Web Storage object. `get` and `keys` return a miss when the storage throws (a
 * browser may refuse access at any time; a failed read is no reason to fail the app). `set` and
 * `remove` throw the browser's own error (`QuotaExceededError`, `SecurityError`): a refresh token
 * or transaction that silently failed to be stored or removed would break rotation or single use
 * later, far from the cause.
 */
export function createWebStorageStore(storage: Storage): KeyValueStore {
  return {
    get(key) {
      try {
        return storage.getItem(key) ?? undefined;
      } catch {
        return undefined;
      }
    },
    set: (key, value) => storage.setItem(key, value),
    remove: (key) => storage.removeItem(key),
    keys() {
      const keys: string[] = [];
      try {
        for (let i = 0; i < storage.length; i++) {
          const key = storage.key(i);
          if (key !== null) keys.push(key);
        }
      } catch {
        // blocked: nothing readable
      }
      return keys;
    },
    storage,
  };
}

const PROBE_KEY = `${STORAGE_PREFIX}probe`;

/**
 * The store for a configured cache location. Falls back to memory (with a warning) when the
 * window or the storage is missing, or when touching it throws, e.g. a `SecurityError` from the
 * `localStorage` getter when the user blocks site data, or a storage that accepts no writes at
 * all. Tokens then last for the page's life instead of the app failing.
 */
export function createStore(
  location: CacheLocation,
  win: Window | undefined,
  logger: Logger = silentLogger,
): KeyValueStore {
  if (location === 'memory') return createMemoryStore();
  const storage = openStorage(location, win);
  if (storage === undefined) {
    logger.warning(`${location} is not available; keeping tokens in memory.`);
    return createMemoryStore();
  }
  return createWebStorageStore(storage);
}

function openStorage(location: 'sessionStorage' | 'localStorage', win: Window | undefined) {
  let storage: Storage | null | undefined;
  try {
    // The getter itself throws a SecurityError when site data is blocked.
    storage = win?.[location];
    if (storage == null) return undefined;
    storage.getItem(PROBE_KEY);
  } catch {
    return undefined;
  }
  try {
    storage.setItem(PROBE_KEY, '1');
    storage.removeItem(PROBE_KEY);
    return storage;
  } catch {
    // A write can fail because the storage is full; it still holds a session worth reading.
    // An empty storage that refuses a one-byte write accepts nothing (e.g. a zero quota in
    // private browsing): memory serves better.
    try {
      return storage.length > 0 ? storage : undefined;
    } catch {
      return undefined;
    }
  }
}
