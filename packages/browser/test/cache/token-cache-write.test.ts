import { describe, expect, it } from 'vitest';
import { createWebStorageStore } from '../../src/cache/storage.js';
import { MAX_ACCESS_TOKENS } from '../../src/cache/token-cache.js';
import { recordKey } from '../../src/cache/keys.js';
import type { AccountRecord, KeyValueStore, TokenWrite } from '../../src/cache/types.js';
import {
  CLIENT,
  FakeStorage,
  HOUR,
  T0,
  account,
  allValues,
  atWrite,
  countingStore,
  query,
  setup,
} from './fixtures.js';

const alice = account('alice');
const bob = account('bob');
const carol = account('carol');
const aliceKey = recordKey(CLIENT, alice.homeAccountId);

/** The record as stored, parsed. */
function stored(store: KeyValueStore, key = aliceKey): AccountRecord & { v: number } {
  const raw = store.get(key);
  expect(raw).toBeDefined();
  return JSON.parse(raw ?? '') as AccountRecord & { v: number };
}

describe('write: one record per account', () => {
  it('stores account, ID token, refresh token and access token in one entry with one set', () => {
    const store = countingStore();
    const { cache } = setup(store);
    store.reset();
    cache.write({ ...atWrite(alice, 'at-1', ['api.read']), idToken: 'id-1', refreshToken: 'rt-1' });
    expect(store.calls.set).toBe(1);
    expect(store.keys()).toEqual([aliceKey]);
    const record = stored(store);
    expect(record.v).toBe(1);
    expect(record.account.homeAccountId).toBe(alice.homeAccountId);
    expect(record.account.authority).toBe(alice.authority);
    expect(record.idToken).toBe('id-1');
    expect(record.refreshToken).toBe('rt-1');
    expect(record.accessTokens.map((t) => t.secret)).toEqual(['at-1']);
  });

  it('lands a rotated refresh token and its access token in the same single write', () => {
    const store = countingStore();
    const { cache } = setup(store);
    cache.write({ ...atWrite(alice, 'at-1', ['api.read']), refreshToken: 'rt-1' });
    store.reset();
    cache.write({ ...atWrite(alice, 'at-2', ['api.read']), refreshToken: 'rt-2' });
    expect(store.calls).toMatchObject({ set: 1, remove: 0 });
    const raw = store.get(aliceKey) ?? '';
    expect(raw).toContain('rt-2');
    expect(raw).toContain('at-2');
    expect(raw).not.toContain('rt-1');
  });

  it('keeps each account in its own entry', () => {
    const { cache, store } = setup();
    cache.write({ ...atWrite(alice, 'a-at', ['r']), refreshToken: 'a-rt' });
    cache.write({ ...atWrite(bob, 'b-at', ['r']), refreshToken: 'b-rt' });
    expect(store.keys().sort()).toEqual([aliceKey, recordKey(CLIENT, bob.homeAccountId)].sort());
    expect(store.get(aliceKey)).not.toContain('b-');
  });

  it('stores scopes and resources normalised, stamped with cachedAt and updatedAt', () => {
    const { cache, clock } = setup();
    clock.set(T0 + 5);
    cache.write(atWrite(alice, 't', ['b a', 'a'], { resource: [' api://x ', 'api://x'] }));
    const found = cache.findAccessToken(
      query(alice, ['a'], { resource: ['api://x'], now: T0 + 5 }),
    );
    expect(found?.scopes).toEqual(['a', 'b']);
    expect(found?.resource).toEqual(['api://x']);
    expect(found?.cachedAt).toBe(T0 + 5);
    expect(cache.getAccount(alice.homeAccountId)?.updatedAt).toBe(T0 + 5);
  });
});

describe('write: access token replacement', () => {
  const secrets = (store: KeyValueStore) => stored(store).accessTokens.map((t) => t.secret);

  it('replaces a cached token whose scopes the new one covers', () => {
    const { cache, store } = setup();
    cache.write(atWrite(alice, 'read-only', ['api.read']));
    cache.write(atWrite(alice, 'read-write', ['api.read', 'api.write']));
    expect(secrets(store)).toEqual(['read-write']);
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('read-write');
  });

  it('overwrites a token for the same scope set', () => {
    const { cache, store } = setup();
    cache.write(atWrite(alice, 'first', ['api.read'], { expiresAt: T0 + HOUR }));
    cache.write(atWrite(alice, 'second', ['api.read'], { expiresAt: T0 + HOUR / 2 }));
    expect(secrets(store)).toEqual(['second']);
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('second');
  });

  it('keeps tokens whose scopes the new one does not cover', () => {
    const { cache, store } = setup();
    cache.write(atWrite(alice, 'a', ['api.read', 'api.admin']));
    cache.write(atWrite(alice, 'b', ['api.read', 'api.write']));
    expect(secrets(store)).toEqual(['a', 'b']);
    expect(cache.findAccessToken(query(alice, ['api.admin']))?.secret).toBe('a');
    expect(cache.findAccessToken(query(alice, ['api.write']))?.secret).toBe('b');
  });

  it('does not replace tokens of another resource or another account', () => {
    const { cache, store } = setup();
    cache.write(atWrite(alice, 'res-a', ['read'], { resource: ['api://a'] }));
    cache.write(atWrite(bob, 'bob', ['read']));
    cache.write(atWrite(alice, 'plain', ['read', 'write']));
    expect(secrets(store)).toEqual(['res-a', 'plain']);
    expect(cache.findAccessToken(query(alice, ['read'], { resource: ['api://a'] }))?.secret).toBe(
      'res-a',
    );
    expect(cache.findAccessToken(query(bob, ['read']))?.secret).toBe('bob');
  });

  it('does not grow when the same request is renewed again and again', () => {
    const { cache, store } = setup();
    for (let i = 0; i < 20; i++) {
      cache.write(atWrite(alice, `t${i}`, i % 2 === 0 ? ['b', 'a'] : ['a', 'b', 'openid']));
    }
    expect(secrets(store)).toEqual(['t19']);
  });

  it(`keeps at most MAX_ACCESS_TOKENS (${MAX_ACCESS_TOKENS}) per account, the oldest going first`, () => {
    expect(MAX_ACCESS_TOKENS).toBe(50);
    const { cache, store } = setup();
    for (let i = 0; i < 60; i++) cache.write(atWrite(alice, `t${i}`, [`scope-${i}`]));
    const kept = secrets(store);
    expect(kept).toHaveLength(50);
    expect(kept[0]).toBe('t10');
    expect(kept.at(-1)).toBe('t59');
    for (let i = 0; i < 10; i++) {
      expect(cache.findAccessToken(query(alice, [`scope-${i}`]))).toBeUndefined();
    }
    for (let i = 10; i < 60; i++) {
      expect(cache.findAccessToken(query(alice, [`scope-${i}`]))?.secret).toBe(`t${i}`);
    }
    // Per account: bob still gets his own room.
    cache.write(atWrite(bob, 'bob-0', ['scope-0']));
    expect(cache.findAccessToken(query(bob, ['scope-0']))?.secret).toBe('bob-0');
    expect(secrets(store)).toHaveLength(50);
  });

  it('counts a renewed token as the newest', () => {
    const { cache } = setup();
    for (let i = 0; i < MAX_ACCESS_TOKENS; i++) cache.write(atWrite(alice, `t${i}`, [`s${i}`]));
    // Renewing s0 moves it to the back; the next new scope evicts s1 instead.
    cache.write(atWrite(alice, 't0-renewed', ['s0']));
    cache.write(atWrite(alice, 'extra', ['extra']));
    expect(cache.findAccessToken(query(alice, ['s0']))?.secret).toBe('t0-renewed');
    expect(cache.findAccessToken(query(alice, ['s1']))).toBeUndefined();
    expect(cache.findAccessToken(query(alice, ['s2']))?.secret).toBe('t2');
  });
});

describe('write: refresh token (rotation, RFC 9700 4.14.2)', () => {
  it('replaces the old refresh token with the rotated one, leaving no trace of the old', () => {
    const { cache, store } = setup();
    cache.write({ account: alice, refreshToken: 'rt-1' });
    cache.write({ account: alice, refreshToken: 'rt-2' });
    expect(cache.getRefreshToken(alice.homeAccountId)).toBe('rt-2');
    expect(allValues(store)).not.toContain('rt-1');
  });

  it('removes the stored refresh token on null', () => {
    const { cache, store } = setup();
    cache.write({ account: alice, refreshToken: 'rt-1' });
    cache.write({ account: alice, refreshToken: null });
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(allValues(store)).not.toContain('rt-1');
    expect(cache.getAccount(alice.homeAccountId)).toBeDefined();
  });

  it('keeps the stored refresh token on undefined', () => {
    const { cache } = setup();
    cache.write({ account: alice, refreshToken: 'rt-1' });
    cache.write({ account: alice, refreshToken: undefined, idToken: 'id-2' });
    cache.write(atWrite(alice, 'at', ['api.read']));
    expect(cache.getRefreshToken(alice.homeAccountId)).toBe('rt-1');
  });

  it('keeps refresh tokens per account', () => {
    const { cache } = setup();
    cache.write({ account: alice, refreshToken: 'rt-alice' });
    cache.write({ account: bob, refreshToken: 'rt-bob' });
    cache.removeRefreshToken(alice.homeAccountId);
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(cache.getRefreshToken(bob.homeAccountId)).toBe('rt-bob');
  });

  it('removeRefreshToken removes it from storage and keeps the rest of the record', () => {
    const { cache, store } = setup();
    cache.write({ ...atWrite(alice, 'at', ['api.read']), idToken: 'id', refreshToken: 'rt-1' });
    cache.removeRefreshToken(alice.homeAccountId);
    expect(allValues(store)).not.toContain('rt-1');
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('at');
    expect(cache.getIdToken(alice.homeAccountId)).toBe('id');
    // For an unknown account, nothing happens.
    cache.removeRefreshToken(carol.homeAccountId);
    expect(store.keys()).toEqual([aliceKey]);
  });

  it('drops the spent refresh token when the rotated one cannot be stored', () => {
    const storage = new FakeStorage();
    const { cache, store } = setup(createWebStorageStore(storage));
    cache.write({ account: alice, refreshToken: 'rt-1' });
    storage.setItem = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    expect(() => cache.write({ account: alice, refreshToken: 'rt-2' })).toThrow(
      expect.objectContaining({ name: 'SecurityError' }),
    );
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(allValues(store)).not.toContain('rt-1');
    expect(allValues(store)).not.toContain('rt-2');
  });
});

describe('write: ID token and account', () => {
  it('stores the ID token and keeps it when a later write brings none', () => {
    const { cache } = setup();
    cache.write({ account: alice, idToken: 'id-1' });
    cache.write(atWrite(alice, 'at', ['api.read']));
    expect(cache.getIdToken(alice.homeAccountId)).toBe('id-1');
    cache.write({ account: alice, idToken: 'id-2' });
    expect(cache.getIdToken(alice.homeAccountId)).toBe('id-2');
  });

  it('replaces the account entity (claims, authority) with the written one', () => {
    const { cache } = setup();
    cache.write({ account: alice });
    const moved = {
      ...alice,
      authority: 'https://idp.example/other-tenant',
      idTokenClaims: { ...alice.idTokenClaims, name: 'Alice' },
    };
    cache.write({ account: moved });
    expect(cache.getAccount(alice.homeAccountId)?.authority).toBe(
      'https://idp.example/other-tenant',
    );
    expect(cache.getAccount(alice.homeAccountId)?.idTokenClaims.name).toBe('Alice');
    expect(cache.getAccounts()).toHaveLength(1);
  });
});

describe('write: full storage', () => {
  const big = (tag: string) => `${tag}-${'x'.repeat(500)}`;

  const aliceWrite: TokenWrite = {
    ...atWrite(alice, big('alice-at'), ['api.read']),
    refreshToken: 'alice-rt',
  };
  const bobWrite: TokenWrite = {
    ...atWrite(bob, big('bob-at'), ['api.read']),
    refreshToken: 'bob-rt',
  };
  const carolWrite: TokenWrite = {
    ...atWrite(carol, big('carol-at'), ['api.read']),
    refreshToken: 'carol-rt',
  };

  /** Characters a series of writes takes in an empty, unbounded storage. */
  function costOf(...writes: TokenWrite[]): number {
    const storage = new FakeStorage();
    const { cache } = setup(createWebStorageStore(storage));
    for (const write of writes) cache.write(write);
    return storage.used;
  }
  const before = costOf(aliceWrite, bobWrite);
  const carolCost = costOf(aliceWrite, bobWrite, carolWrite) - before;
  // What dropping one of these access tokens frees.
  const tokenCost = costOf(aliceWrite) - costOf({ account: alice, refreshToken: 'alice-rt' });

  function fullStorage(room: number) {
    const storage = new FakeStorage();
    const ctx = setup(createWebStorageStore(storage));
    ctx.cache.write(aliceWrite);
    ctx.cache.write(bobWrite);
    expect(storage.used).toBe(before);
    storage.quota = before + room;
    return { storage, ...ctx };
  }

  it("evicts other accounts' access tokens to make room, then succeeds", () => {
    // Carol's record fits once one other access token is gone, not before.
    const { storage, cache, logger } = fullStorage(carolCost - tokenCost / 2);
    cache.write(carolWrite);

    expect(cache.findAccessToken(query(carol, ['api.read']))?.secret).toBe(big('carol-at'));
    expect(cache.getRefreshToken(carol.homeAccountId)).toBe('carol-rt');
    // One other account lost its access tokens, in memory and in storage; the other kept them.
    const stillServed = [alice, bob].filter(
      (who) => cache.findAccessToken(query(who, ['api.read'])) !== undefined,
    );
    expect(stillServed).toHaveLength(1);
    const values = allValues(createWebStorageStore(storage));
    expect(values).toContain(big('carol-at'));
    expect([big('alice-at'), big('bob-at')].filter((at) => values.includes(at))).toHaveLength(1);
    // No one lost a refresh token or an account.
    for (const rt of ['alice-rt', 'bob-rt', 'carol-rt']) expect(values).toContain(rt);
    expect(cache.getRefreshToken(alice.homeAccountId)).toBe('alice-rt');
    expect(cache.getRefreshToken(bob.homeAccountId)).toBe('bob-rt');
    expect(setup(createWebStorageStore(storage)).cache.getAccounts()).toHaveLength(3);

    expect(logger.lines.some((l) => l.includes('full'))).toBe(true);
    const log = logger.lines.join('\n');
    for (const secret of ['alice', 'bob', 'carol', 'xxxxxxxx', 'tessera.v1.']) {
      expect(log).not.toContain(secret);
    }
  });

  it('evicts as many accounts as it takes', () => {
    const { cache } = fullStorage(carolCost - tokenCost * 1.5);
    cache.write(carolWrite);
    expect(cache.findAccessToken(query(carol, ['api.read']))?.secret).toBe(big('carol-at'));
    expect(cache.findAccessToken(query(alice, ['api.read']))).toBeUndefined();
    expect(cache.findAccessToken(query(bob, ['api.read']))).toBeUndefined();
    expect(cache.getAccounts()).toHaveLength(3);
  });

  it('control: with room to spare, nothing is evicted', () => {
    const { cache } = fullStorage(carolCost);
    cache.write(carolWrite);
    for (const who of [alice, bob, carol]) {
      expect(cache.findAccessToken(query(who, ['api.read']))).toBeDefined();
    }
  });

  it('throws the QuotaExceededError when nothing can be evicted, dropping the spent record', () => {
    const storage = new FakeStorage();
    const { cache, logger } = setup(createWebStorageStore(storage));
    cache.write({ ...atWrite(alice, 'at-1', ['api.read']), refreshToken: 'rt-1' });
    // Bob holds no access token: nothing of his can go.
    cache.write({ account: bob, refreshToken: 'rt-bob' });
    storage.quota = storage.used + 50;
    expect(() =>
      cache.write({ ...atWrite(alice, big('at-2'), ['api.read']), refreshToken: 'rt-2' }),
    ).toThrow(expect.objectContaining({ name: 'QuotaExceededError' }));

    // With rotation, rt-1 is spent: it must be neither in storage nor handed out.
    const values = allValues(createWebStorageStore(storage));
    expect(values).not.toContain('rt-1');
    expect(values).not.toContain('rt-2');
    expect(storage.getItem(aliceKey)).toBeNull();
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    // A reload finds no record of alice either; bob is untouched.
    const reloaded = setup(createWebStorageStore(storage)).cache;
    expect(reloaded.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(reloaded.getRefreshToken(bob.homeAccountId)).toBe('rt-bob');
    expect(logger.lines.join('\n')).not.toMatch(/rt-|at-|tessera\.v1\./);
  });

  it('throws the QuotaExceededError for a record that fits in no storage at all', () => {
    const { cache } = setup(createWebStorageStore(new FakeStorage(100)));
    expect(() => cache.write({ account: alice, idToken: 'x'.repeat(200) })).toThrow(
      expect.objectContaining({ name: 'QuotaExceededError' }),
    );
    expect(cache.getAccounts()).toEqual([]);
  });

  it('does not evict when the error is not a full storage', () => {
    const storage = new FakeStorage();
    const { cache } = setup(createWebStorageStore(storage));
    cache.write(atWrite(bob, 'bob-at', ['api.read']));
    storage.setItem = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    expect(() => cache.write(atWrite(alice, 'alice-at', ['api.read']))).toThrow(
      expect.objectContaining({ name: 'SecurityError' }),
    );
    expect(cache.findAccessToken(query(bob, ['api.read']))?.secret).toBe('bob-at');
  });
});

describe("write: the refresh token's expiry, where the provider said it", () => {
  it('goes with its refresh token: stored, read back, kept, replaced and dropped with it', () => {
    const store = countingStore();
    const { cache } = setup(store);
    cache.write({
      ...atWrite(alice, 'at-1', ['api.read']),
      refreshToken: 'rt-1',
      refreshTokenExpiresAt: T0 + HOUR,
    });
    expect(cache.getRefreshTokenExpiry(alice.homeAccountId)).toBe(T0 + HOUR);
    expect(setup(store).cache.getRefreshTokenExpiry(alice.homeAccountId)).toBe(T0 + HOUR);

    // A response without a new refresh token keeps both.
    cache.write(atWrite(alice, 'at-2', ['api.read']));
    expect(cache.getRefreshTokenExpiry(alice.homeAccountId)).toBe(T0 + HOUR);
    // A rotated one without an expiry: the old expiry does not describe it.
    cache.write({ ...atWrite(alice, 'at-3', ['api.read']), refreshToken: 'rt-2' });
    expect(cache.getRefreshTokenExpiry(alice.homeAccountId)).toBeUndefined();

    cache.write({
      ...atWrite(alice, 'at-4', ['api.read']),
      refreshToken: 'rt-3',
      refreshTokenExpiresAt: T0 + 2 * HOUR,
    });
    cache.removeRefreshToken(alice.homeAccountId);
    expect(cache.getRefreshTokenExpiry(alice.homeAccountId)).toBeUndefined();
    expect(stored(store).refreshTokenExpiresAt).toBeUndefined();
  });

  it('is refused when stored as something other than a number', () => {
    const store = countingStore();
    const { cache } = setup(store);
    cache.write({ ...atWrite(alice, 'at-1', ['api.read']), refreshToken: 'rt-1' });
    store.set(aliceKey, JSON.stringify({ ...stored(store), refreshTokenExpiresAt: 'soon' }));
    expect(setup(store).cache.getAccount(alice.homeAccountId)).toBeUndefined();
  });
});
