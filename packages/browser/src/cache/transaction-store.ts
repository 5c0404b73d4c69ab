/**
 * Pending authorization requests (state, nonce, PKCE verifier, ...) keyed by `state`, apart
 * from the token cache: they live minutes, are single-use, and must survive a redirect.
 */
import type { Clock } from '../ports.js';
import type { Logger } from '../logger.js';
import type { KeyValueStore, TransactionStore } from './types.js';
import { transactionKey, transactionPrefix } from './keys.js';
import { SCHEMA_VERSION, isFiniteNumber, parseVersioned } from './entries.js';

/** What the transaction store needs besides its store. */
export interface TransactionStoreOptions<T> {
  /** Stamps `createdAt`, which {@link TransactionStore.prune} compares against. */
  clock: Clock;
  /** Receives notes on dropped entries; never their contents. */
  logger: Logger;
  /** Checks the shape of a stored transaction: storage can be edited by anything on the origin. */
  isTransaction: (value: unknown) => value is T;
  /** Keeps this store's entries apart from other clients' on the same storage. */
  namespace?: string;
}

/**
 * Creates the transaction store. Values must survive `JSON.stringify`. Each entry records
 * `createdAt` so abandoned requests can be pruned. A corrupt, foreign-version or mis-keyed
 * entry reads as absent and is removed. The store is synchronous, so a `take` cannot interleave
 * with another in this tab; `sessionStorage`, the usual home of transactions, is not shared
 * between tabs.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12 state binds a response to its request
 */
export function createTransactionStore<T>(
  store: KeyValueStore,
  options: TransactionStoreOptions<T>,
): TransactionStore<T> {
  const { clock, logger, isTransaction, namespace = '' } = options;
  const prefix = transactionPrefix(namespace);
  const keyOf = (state: string) => transactionKey(state, namespace);

  function read(key: string): { createdAt: number; data: T } | undefined {
    const raw = store.get(key);
    if (raw === undefined) return undefined;
    const r = parseVersioned(raw);
    // The state inside must be the one in the key: an entry copied under another key must not
    // answer for a state it was not made for.
    if (
      r !== undefined &&
      typeof r['state'] === 'string' &&
      keyOf(r['state']) === key &&
      isFiniteNumber(r['createdAt']) &&
      isTransaction(r['data'])
    ) {
      return { createdAt: r['createdAt'], data: r['data'] };
    }
    logger.verbose('Dropping an unusable transaction entry.');
    try {
      store.remove(key);
    } catch {
      // ignored on every read anyway
    }
    return undefined;
  }

  return {
    save(state, data) {
      if (state === '') throw new TypeError('A transaction needs a non-empty state.');
      const entry = { v: SCHEMA_VERSION, state, createdAt: clock.now(), data };
      store.set(keyOf(state), JSON.stringify(entry));
    },

    take(state) {
      if (state === '') return undefined;
      const key = keyOf(state);
      const entry = read(key);
      if (entry === undefined) return undefined;
      // Delete before handing it out; if deleting fails, fail: a state that could be consumed
      // twice would let a replayed response through.
      store.remove(key);
      return entry.data;
    },

    peek: (state) => (state === '' ? undefined : read(keyOf(state))?.data),

    remove(state) {
      if (state !== '') store.remove(keyOf(state));
    },

    prune(maxAgeMs) {
      const cutoff = clock.now() - maxAgeMs;
      for (const key of store.keys()) {
        // Another client's entries are not ours to judge, or to remove.
        if (!key.startsWith(prefix) || key.slice(prefix.length).includes('|')) continue;
        // `read` already removes entries it cannot use.
        const entry = read(key);
        if (entry !== undefined && entry.createdAt < cutoff) store.remove(key);
      }
    },
  };
}
