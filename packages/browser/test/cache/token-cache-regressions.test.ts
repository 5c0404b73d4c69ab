import { describe, expect, it, vi } from 'vitest';
import { recordKey } from '../../src/cache/keys.js';
import { createMemoryStore, createWebStorageStore } from '../../src/cache/storage.js';
import { CLIENT, FakeStorage, HOUR, T0, account, atWrite, query, setup } from './fixtures.js';

const alice = account('alice');

describe('cache defects found by review', () => {
  it('a write that finally fails leaves this tab seeing what storage holds, and says so', () => {
    const storage = new FakeStorage();
    const { cache } = setup(createWebStorageStore(storage));
    cache.write({ ...atWrite(alice, 'at-1', ['api.read']), idToken: 'id-1', refreshToken: 'rt-1' });
    const listener = vi.fn();
    cache.subscribe(listener);
    storage.quota = storage.used + 10;
    expect(() =>
      cache.write({ ...atWrite(alice, 'x'.repeat(500), ['api.read']), refreshToken: 'rt-2' }),
    ).toThrow();
    expect(cache.getAccounts()).toEqual(setup(createWebStorageStore(storage)).cache.getAccounts());
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(listener).toHaveBeenCalled();
  });

  it("a storage event for another client's record changes nothing here", () => {
    const { cache } = setup();
    cache.write({ account: alice });
    const before = cache.getAccounts();
    const listener = vi.fn();
    cache.subscribe(listener);
    cache.sync(recordKey('other-client', alice.homeAccountId));
    expect(listener).not.toHaveBeenCalled();
    expect(cache.getAccounts()).toBe(before);
  });

  it('a token stored as cached after it expired is never served', () => {
    const store = createMemoryStore();
    store.set(
      recordKey(CLIENT, alice.homeAccountId),
      JSON.stringify({
        v: 1,
        account: alice,
        accessTokens: [
          {
            secret: 'expired',
            tokenType: 'Bearer',
            scopes: ['api.read'],
            resource: [],
            expiresAt: T0 - 1000,
            cachedAt: T0 + HOUR,
          },
        ],
      }),
    );
    const { cache } = setup(store);
    expect(cache.findAccessToken(query(alice, ['api.read'], { now: T0 }))).toBeUndefined();
  });

  it('refuses to write an account of another client, which a reload would drop', () => {
    const store = createMemoryStore();
    const { cache } = setup(store);
    expect(() =>
      cache.write({ account: account('alice', { clientId: 'other' }), refreshToken: 'rt' }),
    ).toThrow(TypeError);
    expect(store.keys()).toEqual([]);
  });
});
