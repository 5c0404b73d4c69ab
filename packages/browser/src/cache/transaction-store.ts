/**
 * Pending authorization requests (state, nonce, PKCE verifier, ...) keyed by `state`, apart
 * from the token cache: they live minutes, are single-use, and must survive a redirect.
 */
import type { Clock } from '../ports.js';
import type { Logger } from '../logger.js';
import type { KeyValueStore, TransactionStore } from './types.js';
import { EntryKind, isOwnKey, kindPrefix, transactionKey } from './keys.js';
import { decodeEntry, encodeEntry, isFiniteNumber } from './entries.js';

/** What the transaction store needs besides its store. */
export interface TransactionStoreOptions<T> {
  /** Stamps `createdAt`, which {@link TransactionStore.prune} compares against. */
  clock: Clock;
  /** Receives notes on dropped entries; never their contents. */
  logger: Logger;
  /**
   * Checks the shape of a stored transaction. Without it, any JSON value is accepted: storage
   * can be edited by anything on the origin, so callers should pass one.
   */
  isTransaction?: ((value: unknown) => value is T) | undefined;
}

interface StoredTransaction<T> {
  state: string;
  createdAt: number;
  data: T;
}

/**
 * States being taken right now, per store: two `take` calls that overlap in one page (two
 * listeners for the same callback, say) must not both read the entry before either deletes
 * it. Across tabs the Web Storage API offers no atomic read-and-delete; `sessionStorage`,
 * the usual home of transactions, is not shared between tabs.
 */
const taking = new WeakMap<KeyValueStore, Set<string>>();

/**
 * Creates the transaction store. Values must survive `JSON.stringify`. Each entry records
 * `createdAt` so abandoned requests can be pruned. A corrupt, foreign-version or mis-keyed
 * entry reads as absent and is removed.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12 state binds a response to its request
 */
export function createTransactionStore<T>(
  store: KeyValueStore,
  options: TransactionStoreOptions<T>,
): TransactionStore<T> {
  const { clock, logger, isTransaction } = options;
  let inFlight = taking.get(store);
  if (inFlight === undefined) {
    inFlight = new Set();
    taking.set(store, inFlight);
  }
  const claimed = inFlight;

  const shape = (r: Record<string, unknown>): StoredTransaction<T> | undefined => {
    const { state, createdAt } = r;
    if (typeof state !== 'string' || !isFiniteNumber(createdAt) || !('data' in r)) {
      return undefined;
    }
    const data: unknown = r['data'];
    if (isTransaction !== undefined && !isTransaction(data)) return undefined;
    return { state, createdAt, data: data as T };
  };

  async function read(key: string): Promise<StoredTransaction<T> | undefined> {
    const raw = await store.get(key);
    if (raw === undefined) return undefined;
    const decoded = decodeEntry(raw, EntryKind.Transaction, shape);
    // The state inside must be the one in the key: an entry copied under another key must not
    // answer for a state it was not made for.
    let reason: string;
    if (!decoded.ok) reason = decoded.reason;
    else if (transactionKey(decoded.value.state) !== key) reason = 'key_mismatch';
    else return decoded.value;
    if (isOwnKey(key)) {
      logger.verbose(`Dropping a transaction entry (${reason}).`);
      await store.remove(key).catch(() => undefined);
    }
    return undefined;
  }

  return {
    async save(state, transaction) {
      if (state === '') throw new TypeError('A transaction needs a non-empty state.');
      const entry: StoredTransaction<T> = { state, createdAt: clock.now(), data: transaction };
      await store.set(transactionKey(state), encodeEntry(EntryKind.Transaction, entry));
    },

    async take(state) {
      if (state === '' || claimed.has(state)) return undefined;
      claimed.add(state);
      try {
        const key = transactionKey(state);
        const entry = await read(key);
        if (entry === undefined) return undefined;
        // Delete before handing it out; if deleting fails, fail: a state that could be
        // consumed twice would let a replayed response through.
        await store.remove(key);
        return entry.data;
      } finally {
        claimed.delete(state);
      }
    },

    async peek(state) {
      if (state === '') return undefined;
      return (await read(transactionKey(state)))?.data;
    },

    async remove(state) {
      if (state === '') return;
      await store.remove(transactionKey(state));
    },

    async prune(maxAgeMs) {
      const cutoff = clock.now() - maxAgeMs;
      const prefix = kindPrefix(EntryKind.Transaction);
      for (const key of await store.keys()) {
        if (!key.startsWith(prefix)) continue;
        // `read` already removes entries it cannot use.
        const entry = await read(key);
        if (entry !== undefined && entry.createdAt < cutoff) await store.remove(key);
      }
    },
  };
}
