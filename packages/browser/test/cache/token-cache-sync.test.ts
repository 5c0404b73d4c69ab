import { describe, expect, it, vi } from 'vitest';
import { createMemoryStore, createWebStorageStore } from '../../src/cache/storage.js';
import { recordKey } from '../../src/cache/keys.js';
import { CLIENT, FakeStorage, account, atWrite, countingStore, query, setup } from './fixtures.js';

const alice = account('alice');
const bob = account('bob');
const aliceKey = recordKey(CLIENT, alice.homeAccountId);
const bobKey = recordKey(CLIENT, bob.homeAccountId);

/** A store already holding alice's and bob's records, as a previous page left them. */
function previousSession() {
  const store = createMemoryStore();
  const before = setup(store).cache;
  before.write({
    ...atWrite(alice, 'alice-at', ['api.read']),
    refreshToken: 'alice-rt',
    idToken: 'alice-id',
  });
  before.write({ ...atWrite(bob, 'bob-at', ['api.read']), refreshToken: 'bob-rt' });
  store.set('someone.else', 'x');
  store.set(recordKey('other-client', alice.homeAccountId), '{}');
  return store;
}

describe('reading the store', () => {
  it('reads it once at creation: one key listing, one get per record of this client and one for the active account', () => {
    const store = countingStore(previousSession());
    setup(store);
    expect(store.calls).toEqual({ keys: 1, get: 3, set: 0, remove: 0 });
  });

  it('serves the records it found: a reload', () => {
    const { cache } = setup(previousSession());
    expect(
      cache
        .getAccounts()
        .map((a) => a.sub)
        .sort(),
    ).toEqual(['alice', 'bob']);
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('alice-at');
    expect(cache.findAccessToken(query(bob, ['api.read']))?.secret).toBe('bob-at');
    expect(cache.getRefreshToken(alice.homeAccountId)).toBe('alice-rt');
    expect(cache.getIdToken(alice.homeAccountId)).toBe('alice-id');
    expect(cache.getAccount(alice.homeAccountId)?.authority).toBe(alice.authority);
  });

  it('serves a reload over Web Storage too', () => {
    const storage = new FakeStorage();
    setup(createWebStorageStore(storage)).cache.write({ account: alice, refreshToken: 'rt' });
    const reloaded = setup(createWebStorageStore(storage)).cache;
    expect(reloaded.getRefreshToken(alice.homeAccountId)).toBe('rt');
  });

  it('touches no storage on a hit, nor on a miss', () => {
    const store = countingStore(previousSession());
    const { cache } = setup(store);
    store.reset();
    for (let i = 0; i < 100; i++) {
      expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('alice-at');
      expect(cache.findAccessToken(query(alice, ['api.write']))).toBeUndefined();
      expect(cache.findAccessToken(query(account('carol'), ['api.read']))).toBeUndefined();
      expect(cache.getAccounts()).toHaveLength(2);
      expect(cache.getAccount(bob.homeAccountId)?.sub).toBe('bob');
      expect(cache.getRefreshToken(alice.homeAccountId)).toBe('alice-rt');
      expect(cache.getIdToken(alice.homeAccountId)).toBe('alice-id');
    }
    expect(store.calls).toEqual({ keys: 0, get: 0, set: 0, remove: 0 });
  });

  it('does not see a direct storage change until told to sync', () => {
    const store = previousSession();
    const { cache } = setup(store);
    store.remove(aliceKey);
    // The in-memory view is the cache: no read goes to storage.
    expect(cache.getRefreshToken(alice.homeAccountId)).toBe('alice-rt');
    cache.sync(aliceKey);
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
  });

  it('writes through: a write reaches the store at once and reads no storage', () => {
    const store = countingStore();
    const { cache } = setup(store);
    store.reset();
    cache.write({ account: alice, refreshToken: 'rt' });
    expect(store.calls).toEqual({ keys: 0, get: 0, set: 1, remove: 0 });
    expect(store.get(aliceKey)).toContain('"rt"');
  });
});

describe('sync: another tab changed the storage', () => {
  /** Two tabs: two caches over one store. */
  function twoTabs() {
    const store = createMemoryStore();
    return { store, mine: setup(store).cache, theirs: setup(store).cache };
  }

  it('picks up a record the other tab wrote', () => {
    const { mine, theirs } = twoTabs();
    theirs.write({ ...atWrite(alice, 'at-theirs', ['api.read']), refreshToken: 'rt-theirs' });
    expect(mine.getAccounts()).toEqual([]);
    mine.sync(aliceKey);
    expect(mine.getAccounts().map((a) => a.sub)).toEqual(['alice']);
    expect(mine.getRefreshToken(alice.homeAccountId)).toBe('rt-theirs');
    expect(mine.findAccessToken(query(alice, ['api.read']))?.secret).toBe('at-theirs');
  });

  it('picks up a rotated refresh token, and only the key it was told about', () => {
    const { mine, theirs } = twoTabs();
    theirs.write({ account: alice, refreshToken: 'rt-1' });
    theirs.write({ account: bob, refreshToken: 'bob-1' });
    mine.sync(null);
    theirs.write({ account: alice, refreshToken: 'rt-2' });
    theirs.write({ account: bob, refreshToken: 'bob-2' });
    mine.sync(aliceKey);
    expect(mine.getRefreshToken(alice.homeAccountId)).toBe('rt-2');
    expect(mine.getRefreshToken(bob.homeAccountId)).toBe('bob-1');
  });

  it('picks up a record written straight into storage (no cache in the other tab)', () => {
    const storage = new FakeStorage();
    const { cache } = setup(createWebStorageStore(storage));
    const other = new FakeStorage();
    setup(createWebStorageStore(other)).cache.write({ account: bob, refreshToken: 'bob-rt' });
    storage.setItem(bobKey, other.getItem(bobKey) ?? '');
    cache.sync(bobKey);
    expect(cache.getRefreshToken(bob.homeAccountId)).toBe('bob-rt');
  });

  it('picks up a removal', () => {
    const { mine, theirs } = twoTabs();
    theirs.write({ account: alice, refreshToken: 'rt' });
    theirs.write({ account: bob, refreshToken: 'bob-rt' });
    mine.sync(null);
    theirs.removeAccount(alice.homeAccountId);
    mine.sync(aliceKey);
    expect(mine.getAccounts().map((a) => a.sub)).toEqual(['bob']);
    expect(mine.getAccount(alice.homeAccountId)).toBeUndefined();
    expect(mine.getRefreshToken(alice.homeAccountId)).toBeUndefined();
  });

  it('picks up a removed refresh token', () => {
    const { mine, theirs } = twoTabs();
    theirs.write({ account: alice, refreshToken: 'rt' });
    mine.sync(aliceKey);
    theirs.removeRefreshToken(alice.homeAccountId);
    mine.sync(aliceKey);
    expect(mine.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(mine.getAccount(alice.homeAccountId)).toBeDefined();
  });

  it('with null, re-reads everything: a storage cleared by the other tab', () => {
    const storage = new FakeStorage();
    const store = createWebStorageStore(storage);
    const { cache } = setup(store);
    cache.write({ account: alice, refreshToken: 'rt' });
    cache.write({ account: bob, refreshToken: 'bob-rt' });
    storage.clear();
    cache.sync(null);
    expect(cache.getAccounts()).toEqual([]);
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(cache.getRefreshToken(bob.homeAccountId)).toBeUndefined();
  });

  it('with null, also picks up records added meanwhile', () => {
    const { mine, theirs } = twoTabs();
    mine.write({ account: alice, refreshToken: 'rt' });
    theirs.write({ account: bob, refreshToken: 'bob-rt' });
    mine.sync(null);
    expect(
      mine
        .getAccounts()
        .map((a) => a.sub)
        .sort(),
    ).toEqual(['alice', 'bob']);
  });

  it('drops and removes a record the other tab left unusable', () => {
    const { store, mine } = twoTabs();
    mine.write({ account: alice, refreshToken: 'rt' });
    store.set(aliceKey, '{"v":1,"account":');
    mine.sync(aliceKey);
    expect(mine.getAccounts()).toEqual([]);
    expect(store.get(aliceKey)).toBeUndefined();
  });

  it('ignores keys that are not records, and reads nothing for them', () => {
    const store = countingStore();
    const { cache } = setup(store);
    cache.write({ account: alice, refreshToken: 'rt' });
    store.reset();
    for (const key of ['app-setting', 'tessera.v1.txn.s', 'tessera.v2.account.x']) cache.sync(key);
    expect(store.calls).toEqual({ keys: 0, get: 0, set: 0, remove: 0 });
    expect(cache.getRefreshToken(alice.homeAccountId)).toBe('rt');
  });
});

describe('subscribe', () => {
  it('calls listeners after write, removals, clear and sync', () => {
    const store = createMemoryStore();
    const { cache } = setup(store);
    const listener = vi.fn();
    cache.subscribe(listener);
    const calls: [string, () => void][] = [
      ['write', () => cache.write({ account: alice, refreshToken: 'rt' })],
      ['removeRefreshToken', () => cache.removeRefreshToken(alice.homeAccountId)],
      ['removeAccount', () => cache.removeAccount(alice.homeAccountId)],
      ['clear', () => cache.clear()],
      [
        'sync(key)',
        () => {
          setup(store).cache.write({ account: bob });
          cache.sync(bobKey);
        },
      ],
      ['sync(null)', () => cache.sync(null)],
    ];
    for (const [name, call] of calls) {
      listener.mockClear();
      call();
      expect(listener, name).toHaveBeenCalledTimes(1);
    }
  });

  it('lets listeners read the new state', () => {
    const { cache } = setup();
    const seen: (string | undefined)[] = [];
    cache.subscribe(() => seen.push(cache.getRefreshToken(alice.homeAccountId)));
    cache.write({ account: alice, refreshToken: 'rt-1' });
    cache.write({ account: alice, refreshToken: 'rt-2' });
    cache.removeAccount(alice.homeAccountId);
    expect(seen).toEqual(['rt-1', 'rt-2', undefined]);
  });

  it('gives a new accounts array to a listener after a change that alters the list', () => {
    const { mine, theirs } = (() => {
      const store = createMemoryStore();
      return { mine: setup(store).cache, theirs: setup(store).cache };
    })();
    const before = mine.getAccounts();
    let inListener: readonly unknown[] | undefined;
    mine.subscribe(() => (inListener = mine.getAccounts()));
    theirs.write({ account: alice });
    mine.sync(aliceKey);
    expect(inListener).not.toBe(before);
    expect(inListener).toHaveLength(1);
  });

  it('stops calling a listener once unsubscribed, and keeps calling the others', () => {
    const { cache } = setup();
    const gone = vi.fn();
    const kept = vi.fn();
    const unsubscribe = cache.subscribe(gone);
    cache.subscribe(kept);
    cache.write({ account: alice });
    unsubscribe();
    cache.write({ account: bob });
    expect(gone).toHaveBeenCalledTimes(1);
    expect(kept).toHaveBeenCalledTimes(2);
  });

  it('does not call listeners for a write that failed', () => {
    const storage = new FakeStorage(10);
    const { cache } = setup(createWebStorageStore(storage));
    const listener = vi.fn();
    cache.subscribe(listener);
    expect(() => cache.write({ account: alice, refreshToken: 'rt' })).toThrow();
    expect(listener).not.toHaveBeenCalled();
    expect(cache.getAccounts()).toEqual([]);
  });
});
