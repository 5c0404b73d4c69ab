import { describe, expect, it } from 'vitest';
import { createMemoryStore, createWebStorageStore } from '../../src/cache/storage.js';
import { createTransactionStore } from '../../src/cache/transaction-store.js';
import { transactionKey } from '../../src/cache/keys.js';
import type { KeyValueStore } from '../../src/cache/types.js';
import { FakeStorage, T0, dump, fakeClock, recordingLogger } from './fixtures.js';

interface Txn {
  nonce: string;
  verifier: string;
}

const isTxn = (value: unknown): value is Txn =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Record<string, unknown>)['nonce'] === 'string' &&
  typeof (value as Record<string, unknown>)['verifier'] === 'string';

function setup(store: KeyValueStore = createMemoryStore()) {
  const clock = fakeClock();
  const logger = recordingLogger();
  const transactions = createTransactionStore<Txn>(store, { clock, logger, isTransaction: isTxn });
  return { store, clock, logger, transactions };
}

const txn: Txn = { nonce: 'n-1', verifier: 'v-1' };
const MINUTE = 60_000;

describe('transaction store', () => {
  it('saves under tessera.v1.txn.<state> with version, state and createdAt', () => {
    const { store, transactions } = setup();
    transactions.save('state-1', txn);
    const raw = store.get('tessera.v1.txn.state-1');
    expect(raw).toBeDefined();
    expect(JSON.parse(raw ?? '{}')).toEqual({ v: 1, state: 'state-1', createdAt: T0, data: txn });
  });

  it('is synchronous: save, take and peek return values, not promises', () => {
    const { transactions } = setup();
    expect(transactions.save('s', txn)).toBeUndefined();
    expect(transactions.peek('s')).toEqual(txn);
    expect(transactions.take('s')).toEqual(txn);
  });

  it('take() is single-use', () => {
    const { store, transactions } = setup();
    transactions.save('state-1', txn);
    expect(transactions.take('state-1')).toEqual(txn);
    expect(transactions.take('state-1')).toBeUndefined();
    expect(transactions.peek('state-1')).toBeUndefined();
    expect(store.keys()).toEqual([]);
  });

  it('take() through two stores on one storage hands the transaction out once', () => {
    const store = createMemoryStore();
    const a = setup(store).transactions;
    const b = setup(store).transactions;
    a.save('s', txn);
    expect([a.take('s'), b.take('s')].filter((r) => r !== undefined)).toEqual([txn]);
  });

  it('take() fails rather than hand out a transaction it could not delete', () => {
    const storage = new FakeStorage();
    const { transactions } = setup(createWebStorageStore(storage));
    transactions.save('s', txn);
    storage.removeItem = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    expect(() => transactions.take('s')).toThrow(
      expect.objectContaining({ name: 'SecurityError' }),
    );
  });

  it('save() throws the storage error when the transaction cannot be kept', () => {
    const { transactions } = setup(createWebStorageStore(new FakeStorage(20)));
    expect(() => transactions.save('s', txn)).toThrow(
      expect.objectContaining({ name: 'QuotaExceededError' }),
    );
    expect(transactions.peek('s')).toBeUndefined();
  });

  it('peek() does not consume; remove() does', () => {
    const { transactions } = setup();
    transactions.save('s', txn);
    expect(transactions.peek('s')).toEqual(txn);
    expect(transactions.peek('s')).toEqual(txn);
    transactions.remove('s');
    expect(transactions.take('s')).toBeUndefined();
  });

  it('keeps transactions apart by state, including states with separators', () => {
    const { transactions } = setup();
    const other: Txn = { nonce: 'n-2', verifier: 'v-2' };
    transactions.save('a|b', txn);
    transactions.save('a%7Cb', other);
    expect(transactions.take('a%7Cb')).toEqual(other);
    expect(transactions.take('a|b')).toEqual(txn);
  });

  it('an unknown or empty state is a miss', () => {
    const { transactions } = setup();
    transactions.save('s', txn);
    expect(transactions.take('other')).toBeUndefined();
    expect(transactions.take('')).toBeUndefined();
    expect(transactions.peek('')).toBeUndefined();
    transactions.remove('');
    expect(transactions.peek('s')).toEqual(txn);
  });

  it('a corrupt, foreign-version, wrong-shape or mis-keyed entry is a miss and removed', () => {
    const { store, transactions, logger } = setup();
    const entry = (fields: Record<string, unknown>) =>
      JSON.stringify({ v: 1, createdAt: T0, data: txn, ...fields });
    const entries: [string, string][] = [
      ['bad-json', '{"v":1'],
      ['not-object', '[1]'],
      ['future', entry({ v: 2, state: 'future' })],
      ['older', entry({ v: 0, state: 'older' })],
      ['no-version', entry({ v: undefined, state: 'no-version' })],
      ['shape', entry({ state: 'shape', data: { nonce: 1 } })],
      ['no-created', entry({ state: 'no-created', createdAt: undefined })],
      ['created-string', entry({ state: 'created-string', createdAt: '0' })],
      ['no-state', entry({})],
      // Copied under another state's key: must not answer for a state it was not made for.
      ['moved', entry({ state: 'elsewhere' })],
    ];
    for (const [state, raw] of entries) store.set(transactionKey(state), raw);
    for (const [state] of entries) expect(transactions.peek(state)).toBeUndefined();
    expect(store.keys()).toEqual([]);
    for (const [state, raw] of entries) store.set(transactionKey(state), raw);
    for (const [state] of entries) expect(transactions.take(state)).toBeUndefined();
    expect(store.keys()).toEqual([]);
    expect(logger.lines.join('\n')).not.toMatch(/n-1|v-1|elsewhere|tessera/);
  });

  it('prune() removes transactions older than maxAge and unusable ones, and keeps the rest', () => {
    const { store, clock, transactions } = setup();
    store.set('someone.else', 'x');
    store.set('tessera.v1.account.spa|x', 'not a transaction');
    transactions.save('old', txn);
    clock.set(T0 + 10 * MINUTE);
    transactions.save('new', txn);
    store.set(transactionKey('junk'), 'not json');
    clock.set(T0 + 16 * MINUTE);
    transactions.prune(15 * MINUTE);
    expect(transactions.peek('old')).toBeUndefined();
    expect(transactions.peek('new')).toEqual(txn);
    expect([...dump(store).keys()].sort()).toEqual(
      ['someone.else', 'tessera.v1.account.spa|x', transactionKey('new')].sort(),
    );
  });

  it('prune() keeps a transaction exactly maxAge old', () => {
    const { clock, transactions } = setup();
    transactions.save('edge', txn);
    clock.set(T0 + 15 * MINUTE);
    transactions.prune(15 * MINUTE);
    expect(transactions.peek('edge')).toEqual(txn);
    clock.set(T0 + 15 * MINUTE + 1);
    transactions.prune(15 * MINUTE);
    expect(transactions.peek('edge')).toBeUndefined();
  });

  it('rejects an empty state on save', () => {
    const { store, transactions } = setup();
    expect(() => transactions.save('', txn)).toThrow(TypeError);
    expect(store.keys()).toEqual([]);
  });
});

describe('transaction store: namespaces', () => {
  it("two clients' stores on one storage never read, take or prune each other's requests", () => {
    const store = createMemoryStore();
    const clock = fakeClock();
    const logger = recordingLogger();
    const options = { clock, logger, isTransaction: isTxn };
    const a = createTransactionStore<Txn>(store, { ...options, namespace: 'client-a' });
    const b = createTransactionStore<Txn>(store, { ...options, namespace: 'client-b' });
    const plain = createTransactionStore<Txn>(store, options);
    a.save('s1', txn);
    expect(b.peek('s1')).toBeUndefined();
    expect(b.take('s1')).toBeUndefined();
    clock.set(T0 + 120 * MINUTE);
    b.prune(MINUTE);
    plain.prune(MINUTE);
    expect(store.get(transactionKey('s1', 'client-a'))).toBeDefined();
    expect(a.take('s1')).toEqual(txn);
  });
});
