import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/storage.js';
import { createTransactionStore } from '../../src/cache/transaction-store.js';
import { transactionKey } from '../../src/cache/keys.js';
import type { KeyValueStore } from '../../src/cache/types.js';
import { T0, dump, fakeClock, recordingLogger } from './fixtures.js';

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
  const transactions = createTransactionStore<Txn>(store, {
    clock,
    logger: recordingLogger(),
    isTransaction: isTxn,
  });
  return { store, clock, transactions };
}

const txn: Txn = { nonce: 'n-1', verifier: 'v-1' };

describe('transaction store', () => {
  it('saves under tessera.v1.txn.<state> with createdAt', async () => {
    const { store, transactions } = setup();
    await transactions.save('state-1', txn);
    const raw = await store.get('tessera.v1.txn.state-1');
    expect(raw).toBeDefined();
    expect(JSON.parse(raw ?? '{}')).toMatchObject({ v: 1, kind: 'txn', createdAt: T0, data: txn });
  });

  it('take() is single-use', async () => {
    const { transactions } = setup();
    await transactions.save('state-1', txn);
    expect(await transactions.take('state-1')).toEqual(txn);
    expect(await transactions.take('state-1')).toBeUndefined();
    expect(await transactions.peek('state-1')).toBeUndefined();
  });

  it('two overlapping take() calls hand the transaction out once', async () => {
    const { transactions } = setup();
    await transactions.save('state-1', txn);
    const results = await Promise.all([transactions.take('state-1'), transactions.take('state-1')]);
    expect(results.filter((r) => r !== undefined)).toEqual([txn]);
  });

  it('overlapping take() calls through two stores on one storage also hand it out once', async () => {
    const store = createMemoryStore();
    const a = setup(store).transactions;
    const b = setup(store).transactions;
    await a.save('s', txn);
    const results = await Promise.all([a.take('s'), b.take('s')]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
  });

  it('peek() does not consume; remove() does', async () => {
    const { transactions } = setup();
    await transactions.save('s', txn);
    expect(await transactions.peek('s')).toEqual(txn);
    expect(await transactions.peek('s')).toEqual(txn);
    await transactions.remove('s');
    expect(await transactions.take('s')).toBeUndefined();
  });

  it('an unknown state is a miss', async () => {
    const { transactions } = setup();
    await transactions.save('s', txn);
    expect(await transactions.take('other')).toBeUndefined();
    expect(await transactions.take('')).toBeUndefined();
  });

  it('a corrupt, future-version, wrong-shape or mis-keyed entry is a miss and removed', async () => {
    const { store, transactions } = setup();
    const entries: [string, string][] = [
      ['bad-json', '{"v":1'],
      ['future', JSON.stringify({ v: 99, kind: 'txn', state: 'future', createdAt: T0, data: txn })],
      [
        'shape',
        JSON.stringify({ v: 1, kind: 'txn', state: 'shape', createdAt: T0, data: { nonce: 1 } }),
      ],
      [
        'moved',
        JSON.stringify({ v: 1, kind: 'txn', state: 'elsewhere', createdAt: T0, data: txn }),
      ],
    ];
    for (const [state, raw] of entries) await store.set(transactionKey(state), raw);
    for (const [state] of entries) expect(await transactions.take(state)).toBeUndefined();
    expect(await store.keys()).toEqual([]);
  });

  it('prune() removes transactions older than maxAge and keeps the rest', async () => {
    const { store, clock, transactions } = setup();
    await store.set('someone.else', 'x');
    await transactions.save('old', txn);
    clock.set(T0 + 10 * 60_000);
    await transactions.save('new', txn);
    await store.set(transactionKey('junk'), 'not json');
    clock.set(T0 + 16 * 60_000);
    await transactions.prune(15 * 60_000);
    expect(await transactions.peek('old')).toBeUndefined();
    expect(await transactions.peek('new')).toEqual(txn);
    expect([...(await dump(store)).keys()].sort()).toEqual(['someone.else', transactionKey('new')]);
  });

  it('rejects an empty state on save', async () => {
    const { transactions } = setup();
    await expect(transactions.save('', txn)).rejects.toBeInstanceOf(TypeError);
  });
});
