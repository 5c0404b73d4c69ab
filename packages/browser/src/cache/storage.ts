/**
 * Storage adapters behind {@link KeyValueStore}: memory, and the Web Storage API
 * (`sessionStorage` / `localStorage`). Reads degrade to a miss when storage is unavailable;
 * writes reject, so a caller never believes a token or transaction was kept when it was not.
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
    get: (key) => Promise.resolve(map.get(key)),
    set: (key, value) => {
      map.set(key, value);
      return Promise.resolve();
    },
    remove: (key) => {
      map.delete(key);
      return Promise.resolve();
    },
    // A copy: callers remove keys while they walk the list.
    keys: () => Promise.resolve([...map.keys()]),
  };
}

/**
 * A store over a Web Storage object (`sessionStorage` or `localStorage`).
 *
 * - `get` and `keys` return a miss (`undefined`, `[]`) when the storage throws: a browser may
 *   refuse access at any time (site data cleared or blocked), and a read failing is no reason
 *   to fail the app; the caller goes to the network instead.
 * - `set` and `remove` reject with the browser's own error (`QuotaExceededError`,
 *   `SecurityError`), unchanged, so the caller can tell a full storage from a blocked one. A
 *   refresh token or a transaction that silently failed to be stored or removed would break
 *   rotation or single use later, far from the cause.
 */
export function createWebStorageStore(storage: Storage): KeyValueStore {
  return {
    get(key) {
      try {
        return Promise.resolve(storage.getItem(key) ?? undefined);
      } catch {
        return Promise.resolve(undefined);
      }
    },
    set(key, value) {
      try {
        storage.setItem(key, value);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(asError(error));
      }
    },
    remove(key) {
      try {
        storage.removeItem(key);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(asError(error));
      }
    },
    keys() {
      try {
        const keys: string[] = [];
        for (let i = 0; i < storage.length; i++) {
          const key = storage.key(i);
          if (key !== null) keys.push(key);
        }
        return Promise.resolve(keys);
      } catch {
        return Promise.resolve([]);
      }
    },
  };
}

const PROBE_KEY = `${STORAGE_PREFIX}probe`;

/**
 * The store for a configured cache location. Falls back to memory (with a warning) when the
 * window or the storage is missing, or when touching it throws, e.g. a `SecurityError` from
 * the `localStorage` getter when the user blocks site data, or a storage that accepts no
 * writes at all. Tokens then last for the page's life instead of the app failing.
 */
export function createStore(
  location: CacheLocation,
  win: Window | undefined,
  logger: Logger = silentLogger,
): KeyValueStore {
  if (location === 'memory') return createMemoryStore();
  if (location !== 'sessionStorage' && location !== 'localStorage') {
    logger.warning(`Unknown cache location; keeping tokens in memory.`);
    return createMemoryStore();
  }
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

function asError(error: unknown): Error {
  // DOMException is an Error in browsers and Node; anything else gets wrapped as the cause.
  return error instanceof Error ? error : new Error('Storage operation failed.', { cause: error });
}
