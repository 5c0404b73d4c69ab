import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/storage.js';
import { createTokenCache } from '../../src/cache/token-cache.js';
import { accessTokenKey, accountStorageKey, refreshTokenKey } from '../../src/cache/keys.js';
import type { AccessTokenQuery } from '../../src/cache/types.js';
import { HOUR, T0, account, atWrite, dump, fakeClock, recordingLogger } from './fixtures.js';

const alice = account('alice');
const scope = { issuer: alice.issuer, clientId: alice.clientId };
const atParts = {
  homeAccountId: alice.homeAccountId,
  ...scope,
  resource: [],
  scopes: ['api.read'],
};
const readQuery: AccessTokenQuery = {
  homeAccountId: alice.homeAccountId,
  ...scope,
  scopes: ['api.read'],
  validUntilAtLeast: T0,
};

function setup() {
  const store = createMemoryStore();
  const logger = recordingLogger();
  const cache = createTokenCache(store, { clock: fakeClock(), logger });
  return { store, cache, logger };
}

const validAccessToken = {
  v: 1,
  kind: 'accesstoken',
  ...atParts,
  secret: 'secret-at',
  tokenType: 'Bearer',
  expiresAt: T0 + HOUR,
  cachedAt: T0,
};

describe('unusable entries are a miss and are removed', () => {
  const cases: [string, string][] = [
    ['corrupt JSON', '{"v":1,"kind":"accesstoken",'],
    ['a JSON value that is not an object', '"just a string"'],
    ['a future schema version', JSON.stringify({ ...validAccessToken, v: 99 })],
    ['no version', JSON.stringify({ ...validAccessToken, v: undefined })],
    ['another kind', JSON.stringify({ ...validAccessToken, kind: 'refreshtoken' })],
    ['a missing field', JSON.stringify({ ...validAccessToken, secret: undefined })],
    ['a field of the wrong type', JSON.stringify({ ...validAccessToken, expiresAt: '1e20' })],
    ['scopes that are not strings', JSON.stringify({ ...validAccessToken, scopes: [1] })],
  ];

  it.each(cases)('access token: %s', async (_name, raw) => {
    const { store, cache } = setup();
    const key = accessTokenKey(atParts);
    await store.set(key, raw);
    await expect(cache.findAccessToken(readQuery)).resolves.toBeUndefined();
    expect(await store.get(key)).toBeUndefined();
  });

  it('control: the valid entry used above is found', async () => {
    const { store, cache } = setup();
    await store.set(accessTokenKey(atParts), JSON.stringify(validAccessToken));
    expect((await cache.findAccessToken(readQuery))?.secret).toBe('secret-at');
  });

  it('an entry stored under a key that does not describe it', async () => {
    const { store, cache } = setup();
    // A token of bob's copied under alice's key must not be handed out as alice's.
    const bob = account('bob');
    const key = accessTokenKey(atParts);
    await store.set(key, JSON.stringify({ ...validAccessToken, homeAccountId: bob.homeAccountId }));
    expect(await cache.findAccessToken(readQuery)).toBeUndefined();
    expect(await store.get(key)).toBeUndefined();
  });

  it('refresh token and account entries with a future version', async () => {
    const { store, cache } = setup();
    const rtKey = refreshTokenKey(alice.homeAccountId, scope);
    const accountKey = accountStorageKey(alice.homeAccountId, scope);
    await store.set(rtKey, JSON.stringify({ v: 99, kind: 'refreshtoken', secret: 'rt' }));
    await store.set(accountKey, JSON.stringify({ ...alice, v: 99, kind: 'account' }));
    expect(await cache.getRefreshToken(alice.homeAccountId, scope)).toBeUndefined();
    expect(await cache.getAccounts()).toEqual([]);
    expect(await cache.getAccount(alice.homeAccountId)).toBeUndefined();
    expect(await store.keys()).toEqual([]);
  });

  it('does not log the entry or its key', async () => {
    const { store, cache, logger } = setup();
    await store.set(accessTokenKey(atParts), '{"secret":"leaky-secret"');
    await cache.findAccessToken(readQuery);
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.join('\n')).not.toContain('leaky-secret');
    expect(logger.lines.join('\n')).not.toContain('alice');
  });
});

describe('foreign keys are never touched', () => {
  const foreign: [string, string][] = [
    ['msal.account.keys', '["x"]'],
    ['tessera.v2.accesstoken.whatever', JSON.stringify({ ...validAccessToken, v: 2 })],
    ['app-setting', 'not json at all'],
    // Looks like one of ours in content, but the key has no prefix.
    ['accesstoken.alice', JSON.stringify(validAccessToken)],
  ];

  async function seeded() {
    const ctx = setup();
    for (const [key, value] of foreign) await ctx.store.set(key, value);
    await ctx.cache.write({
      ...atWrite(alice, 'at', ['api.read']),
      refreshToken: 'rt',
      idToken: 'id',
    });
    return ctx;
  }

  it('reads ignore them and leave them in place', async () => {
    const { store, cache } = await seeded();
    expect((await cache.getAccounts()).map((a) => a.sub)).toEqual(['alice']);
    expect((await cache.findAccessToken(readQuery))?.secret).toBe('at');
    const held = await dump(store);
    for (const [key, value] of foreign) expect(held.get(key)).toBe(value);
  });

  it('clear() removes all of ours and none of theirs', async () => {
    const { store, cache } = await seeded();
    await store.set('tessera.v1.txn.pending-state', '{}');
    await cache.clear();
    const held = await dump(store);
    expect([...held.keys()].sort()).toEqual(
      [...foreign.map(([key]) => key), 'tessera.v1.txn.pending-state'].sort(),
    );
    expect(await cache.getRefreshToken(alice.homeAccountId, scope)).toBeUndefined();
  });
});

describe('removeAccount', () => {
  it('removes the account and everything held for it, and nothing of others', async () => {
    const { store, cache } = setup();
    const bob = account('bob');
    await cache.write({ ...atWrite(alice, 'a-at', ['r']), refreshToken: 'a-rt', idToken: 'a-id' });
    await cache.write({ ...atWrite(bob, 'b-at', ['r']), refreshToken: 'b-rt', idToken: 'b-id' });
    await cache.removeAccount(alice.homeAccountId);
    const values = [...(await dump(store)).values()].join('\n');
    expect(values).not.toMatch(/a-at|a-rt|a-id/);
    expect(values).toMatch(/b-at/);
    expect(values).toMatch(/b-rt/);
    expect(values).toMatch(/b-id/);
    expect((await cache.getAccounts()).map((a) => a.sub)).toEqual(['bob']);
  });

  it('with a filter, removes only what one client holds', async () => {
    const { cache } = setup();
    const atOther = account('alice', { clientId: 'other' });
    await cache.write({ account: alice, refreshToken: 'rt-spa' });
    await cache.write({ account: atOther, refreshToken: 'rt-other' });
    await cache.removeAccount(alice.homeAccountId, { clientId: 'other' });
    expect((await cache.getAccounts()).map((a) => a.clientId)).toEqual([alice.clientId]);
    expect(await cache.getRefreshToken(alice.homeAccountId, scope)).toBe('rt-spa');
  });
});
