import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/storage.js';
import { recordKey } from '../../src/cache/keys.js';
import type { KeyValueStore } from '../../src/cache/types.js';
import { CLIENT, HOUR, T0, account, allValues, atWrite, dump, query, setup } from './fixtures.js';

const alice = account('alice');
const bob = account('bob');
const aliceKey = recordKey(CLIENT, alice.homeAccountId);

const validToken = {
  secret: 'secret-at',
  tokenType: 'Bearer',
  scopes: ['api.read'],
  resource: [],
  expiresAt: T0 + HOUR,
  cachedAt: T0,
};
const validRecord = {
  v: 1,
  account: alice,
  idToken: 'secret-id',
  refreshToken: 'secret-rt',
  accessTokens: [validToken],
};
const json = (value: unknown) => JSON.stringify(value);
const withAccount = (fields: Record<string, unknown>) =>
  json({ ...validRecord, account: { ...alice, ...fields } });
const withToken = (fields: Record<string, unknown>) =>
  json({ ...validRecord, accessTokens: [{ ...validToken, ...fields }] });

/** A store holding `raw` under alice's record key, and a cache created over it. */
function seeded(raw: string, key = aliceKey) {
  const store = createMemoryStore();
  store.set(key, raw);
  return setup(store);
}

describe('unusable records are a miss and are removed', () => {
  const cases: [string, string][] = [
    ['corrupt JSON', '{"v":1,"account":'],
    ['a JSON value that is not an object', '"just a string"'],
    ['a JSON array', json([validRecord])],
    ['a future schema version', json({ ...validRecord, v: 2 })],
    ['an older schema version', json({ ...validRecord, v: 0 })],
    ['no version', json({ ...validRecord, v: undefined })],
    ['a version written as a string', json({ ...validRecord, v: '1' })],
    ['no account', json({ ...validRecord, account: undefined })],
    ['no access token list', json({ ...validRecord, accessTokens: undefined })],
    ['an access token list that is not an array', json({ ...validRecord, accessTokens: {} })],
    ['a refresh token that is not a string', json({ ...validRecord, refreshToken: 42 })],
    ['an empty refresh token', json({ ...validRecord, refreshToken: '' })],
    ['an ID token that is null', json({ ...validRecord, idToken: null })],
    ['an account without authority', withAccount({ authority: undefined })],
    ['an account without issuer', withAccount({ issuer: undefined })],
    ['an account with updatedAt as a string', withAccount({ updatedAt: '0' })],
    ['an account without claims', withAccount({ idTokenClaims: undefined })],
    [
      'claims whose sub is not the account',
      withAccount({ idTokenClaims: { iss: 'x', sub: 'eve' } }),
    ],
    ['claims without iss', withAccount({ idTokenClaims: { sub: 'alice' } })],
    ['an access token without secret', withToken({ secret: undefined })],
    ['an access token whose expiry is a string', withToken({ expiresAt: '1e20' })],
    ['an access token whose expiry is not finite', withToken({ expiresAt: null })],
    ['an access token without cachedAt', withToken({ cachedAt: undefined })],
    ['an access token whose scopes are not strings', withToken({ scopes: [1] })],
    ['an access token whose resource is not a list', withToken({ resource: 'api://a' })],
    // The id must describe the account: an entry edited to pass as another user is refused.
    [
      'an account whose homeAccountId is not accountKey(issuer, sub)',
      withAccount({ homeAccountId: bob.homeAccountId }),
    ],
    [
      'an account whose sub was edited',
      withAccount({ sub: 'bob', idTokenClaims: { ...alice.idTokenClaims, sub: 'bob' } }),
    ],
  ];

  it.each(cases)('%s', (_name, raw) => {
    const { store, cache } = seeded(raw);
    expect(cache.getAccounts()).toEqual([]);
    expect(cache.getAccount(alice.homeAccountId)).toBeUndefined();
    expect(cache.findAccessToken(query(alice, ['api.read']))).toBeUndefined();
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(cache.getIdToken(alice.homeAccountId)).toBeUndefined();
    expect(store.get(aliceKey)).toBeUndefined();
  });

  it('control: the valid record used above is served whole', () => {
    const { store, cache } = seeded(json(validRecord));
    expect(cache.getAccounts().map((a) => a.sub)).toEqual(['alice']);
    expect(cache.getAccount(alice.homeAccountId)).toEqual(alice);
    expect(cache.findAccessToken(query(alice, ['api.read']))).toEqual(validToken);
    expect(cache.getRefreshToken(alice.homeAccountId)).toBe('secret-rt');
    expect(cache.getIdToken(alice.homeAccountId)).toBe('secret-id');
    expect(store.get(aliceKey)).toBe(json(validRecord));
  });

  it('control: a record without ID token, refresh token or access tokens is usable', () => {
    const raw = json({ v: 1, account: alice, accessTokens: [] });
    const { store, cache } = seeded(raw);
    expect(cache.getAccount(alice.homeAccountId)).toEqual(alice);
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(store.get(aliceKey)).toBe(raw);
  });

  it("a record stored under another account's key is a miss and removed", () => {
    // Alice's record copied under bob's key must not be handed out for bob (nor for alice).
    const bobKey = recordKey(CLIENT, bob.homeAccountId);
    const { store, cache } = seeded(json(validRecord), bobKey);
    expect(cache.getAccounts()).toEqual([]);
    expect(cache.getRefreshToken(bob.homeAccountId)).toBeUndefined();
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(store.get(bobKey)).toBeUndefined();
  });

  it("a record whose homeAccountId is not accountKey(issuer, sub), under that id's key", () => {
    // Edited to pass alice's tokens off as bob's, and filed where bob's record would be: the
    // key matches the id, but the id does not describe the account.
    const bobKey = recordKey(CLIENT, bob.homeAccountId);
    const { store, cache, logger } = seeded(
      json({ ...validRecord, account: { ...alice, homeAccountId: bob.homeAccountId } }),
      bobKey,
    );
    expect(cache.getAccounts()).toEqual([]);
    expect(cache.getAccount(bob.homeAccountId)).toBeUndefined();
    expect(cache.getRefreshToken(bob.homeAccountId)).toBeUndefined();
    expect(cache.findAccessToken(query(bob, ['api.read']))).toBeUndefined();
    expect(store.get(bobKey)).toBeUndefined();
    expect(logger.lines.join('\n')).not.toMatch(/secret-|alice|bob|tessera\.v1\./);
  });

  it("a record of this client's account written under an unescaped or altered key is a miss", () => {
    const store = createMemoryStore();
    const altered = `${aliceKey}x`;
    store.set(altered, json(validRecord));
    const { cache } = setup(store);
    expect(cache.getAccounts()).toEqual([]);
    expect(store.get(altered)).toBeUndefined();
  });

  it('one bad record does not cost the good ones', () => {
    const store = createMemoryStore();
    store.set(aliceKey, '{"v":1,');
    store.set(recordKey(CLIENT, bob.homeAccountId), json({ ...validRecord, account: bob }));
    const { cache } = setup(store);
    expect(cache.getAccounts().map((a) => a.sub)).toEqual(['bob']);
    expect(store.keys()).toEqual([recordKey(CLIENT, bob.homeAccountId)]);
  });

  it('does not log the entry, its tokens or its key', () => {
    const { cache, logger } = seeded(withToken({ expiresAt: 'leaky' }));
    expect(cache.getAccounts()).toEqual([]);
    expect(logger.lines.length).toBeGreaterThan(0);
    const log = logger.lines.join('\n');
    for (const secret of ['secret-at', 'secret-rt', 'secret-id', 'alice', 'tessera.v1.', CLIENT]) {
      expect(log).not.toContain(secret);
    }
  });

  it('logs no token or key on ordinary writes and removals', () => {
    const { cache, logger } = setup();
    cache.write({ ...atWrite(alice, 'secret-at', ['api.read']), refreshToken: 'secret-rt' });
    cache.removeRefreshToken(alice.homeAccountId);
    cache.removeAccount(alice.homeAccountId);
    cache.clear();
    expect(logger.lines.join('\n')).not.toMatch(/secret-|alice|tessera\.v1\./);
  });
});

describe('foreign keys are never touched', () => {
  const foreign: [string, string][] = [
    ['msal.account.keys', '["x"]'],
    ['tessera.v2.account.spa-client|whatever', json({ ...validRecord, v: 2 })],
    ['app-setting', 'not json at all'],
    // Looks like one of ours in content, but the key has no prefix.
    [`account.spa-client|${alice.homeAccountId}`, json(validRecord)],
    [`TESSERA.V1.account.spa-client|${alice.homeAccountId}`, json(validRecord)],
    // Ours in prefix, but not a record key: transactions and redirect state are not the cache's.
    ['tessera.v1.txn.pending-state', '{}'],
    ['tessera.v1.redirect.pending', 'garbage'],
    ['tessera.v1.probe', '1'],
  ];

  function seededWithForeign() {
    const store = createMemoryStore();
    for (const [key, value] of foreign) store.set(key, value);
    const ctx = setup(store);
    ctx.cache.write({ ...atWrite(alice, 'at', ['api.read']), refreshToken: 'rt', idToken: 'id' });
    return ctx;
  }

  function expectForeignIntact(store: KeyValueStore) {
    const held = dump(store);
    for (const [key, value] of foreign) expect(held.get(key)).toBe(value);
  }

  it('creation, reads and sync ignore them and leave them in place', () => {
    const { store, cache } = seededWithForeign();
    expect(cache.getAccounts().map((a) => a.sub)).toEqual(['alice']);
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('at');
    for (const [key] of foreign) cache.sync(key);
    cache.sync(null);
    expectForeignIntact(store);
    expect(cache.getAccounts().map((a) => a.sub)).toEqual(['alice']);
  });

  it('clear() removes all of ours and none of theirs', () => {
    const { store, cache } = seededWithForeign();
    cache.write({ account: bob, refreshToken: 'rt-bob' });
    cache.clear();
    expect([...dump(store).keys()].sort()).toEqual(foreign.map(([key]) => key).sort());
    expect(cache.getAccounts()).toEqual([]);
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(cache.getRefreshToken(bob.homeAccountId)).toBeUndefined();
  });

  it('clear() also removes records of this client it could not read', () => {
    const { store, cache } = setup();
    // Written after creation by something other than this cache, never synced.
    store.set(recordKey(CLIENT, bob.homeAccountId), json({ ...validRecord, account: bob }));
    cache.clear();
    expect(store.keys()).toEqual([]);
  });
});

describe("another client's records on the same storage", () => {
  const other = 'other-client';
  const aliceAtOther = account('alice', { clientId: other });
  const otherKey = recordKey(other, alice.homeAccountId);
  const otherRecord = json({
    v: 1,
    account: aliceAtOther,
    refreshToken: 'rt-other',
    accessTokens: [{ ...validToken, secret: 'at-other' }],
  });

  function shared() {
    const store = createMemoryStore();
    store.set(otherKey, otherRecord);
    return setup(store);
  }

  it('are neither read nor removed at creation', () => {
    const { store, cache } = shared();
    expect(cache.getAccounts()).toEqual([]);
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(cache.findAccessToken(query(alice, ['api.read']))).toBeUndefined();
    expect(store.get(otherKey)).toBe(otherRecord);
  });

  it('are neither read nor removed by sync, even when unusable', () => {
    const { store, cache } = shared();
    cache.sync(otherKey);
    cache.sync(null);
    expect(cache.getAccounts()).toEqual([]);
    expect(store.get(otherKey)).toBe(otherRecord);
    store.set(otherKey, 'corrupt');
    cache.sync(otherKey);
    cache.sync(null);
    expect(store.get(otherKey)).toBe('corrupt');
  });

  it('are left alone by write, removeAccount and clear()', () => {
    const { store, cache } = shared();
    cache.write({ ...atWrite(alice, 'at-spa', ['api.read']), refreshToken: 'rt-spa' });
    expect(store.get(otherKey)).toBe(otherRecord);
    expect(cache.getRefreshToken(alice.homeAccountId)).toBe('rt-spa');
    cache.removeAccount(alice.homeAccountId);
    expect(store.get(otherKey)).toBe(otherRecord);
    cache.write({ account: alice, refreshToken: 'rt-spa' });
    cache.clear();
    expect(dump(store)).toEqual(new Map([[otherKey, otherRecord]]));
  });

  it('are served by that client’s own cache', () => {
    const { store } = shared();
    const otherCache = setup(store, other).cache;
    expect(otherCache.getRefreshToken(alice.homeAccountId)).toBe('rt-other');
    expect(otherCache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('at-other');
  });

  it('are not touched when a client id is a prefix of the other', () => {
    const store = createMemoryStore();
    const longer = setup(store, `${CLIENT}2`).cache;
    longer.write({ account: account('alice', { clientId: `${CLIENT}2` }), refreshToken: 'rt-2' });
    const mine = setup(store).cache;
    expect(mine.getAccounts()).toEqual([]);
    mine.clear();
    expect(allValues(store)).toContain('rt-2');
  });
});

describe('removeAccount', () => {
  it('removes the account and everything held for it, and nothing of others', () => {
    const { store, cache } = setup();
    cache.write({ ...atWrite(alice, 'a-at', ['r']), refreshToken: 'a-rt', idToken: 'a-id' });
    cache.write({ ...atWrite(bob, 'b-at', ['r']), refreshToken: 'b-rt', idToken: 'b-id' });
    cache.removeAccount(alice.homeAccountId);
    const values = allValues(store);
    expect(values).not.toMatch(/a-at|a-rt|a-id/);
    expect(values).toMatch(/b-at/);
    expect(values).toMatch(/b-rt/);
    expect(values).toMatch(/b-id/);
    expect(store.get(aliceKey)).toBeUndefined();
    expect(cache.getAccounts().map((a) => a.sub)).toEqual(['bob']);
    expect(cache.getAccount(alice.homeAccountId)).toBeUndefined();
    expect(cache.findAccessToken(query(alice, ['r']))).toBeUndefined();
    expect(cache.getRefreshToken(alice.homeAccountId)).toBeUndefined();
    expect(cache.getIdToken(alice.homeAccountId)).toBeUndefined();
  });

  it('is a no-op for an unknown account', () => {
    const { store, cache } = setup();
    cache.write({ account: bob, refreshToken: 'b-rt' });
    cache.removeAccount(alice.homeAccountId);
    expect(cache.getAccounts().map((a) => a.sub)).toEqual(['bob']);
    expect(allValues(store)).toContain('b-rt');
  });
});
