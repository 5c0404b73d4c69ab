import { describe, expect, it } from 'vitest';
import { createMemoryStore, createWebStorageStore } from '../../src/cache/storage.js';
import { createTokenCache } from '../../src/cache/token-cache.js';
import type { AccessTokenQuery, AccountEntity, KeyValueStore } from '../../src/cache/types.js';
import {
  FakeStorage,
  HOUR,
  T0,
  account,
  atWrite,
  dump,
  fakeClock,
  recordingLogger,
} from './fixtures.js';

const alice = account('alice');
const scope = { issuer: alice.issuer, clientId: alice.clientId };

function setup(store: KeyValueStore = createMemoryStore()) {
  const logger = recordingLogger();
  const cache = createTokenCache(store, { clock: fakeClock(), logger });
  return { store, cache, logger };
}

function query(who: AccountEntity, scopes: string[], resource?: string[]): AccessTokenQuery {
  return {
    homeAccountId: who.homeAccountId,
    issuer: who.issuer,
    clientId: who.clientId,
    scopes,
    resource,
    validUntilAtLeast: T0,
  };
}

async function accessTokenCount(store: KeyValueStore): Promise<number> {
  return [...(await dump(store)).keys()].filter((k) => k.startsWith('tessera.v1.accesstoken.'))
    .length;
}

describe('write: access token replacement', () => {
  it('replaces a cached token whose scopes the new one covers', async () => {
    const { cache, store } = setup();
    await cache.write(atWrite(alice, 'read-only', ['api.read']));
    await cache.write(atWrite(alice, 'read-write', ['api.read', 'api.write']));
    expect(await accessTokenCount(store)).toBe(1);
    expect((await cache.findAccessToken(query(alice, ['api.read'])))?.secret).toBe('read-write');
  });

  it('overwrites a token for the same scope set', async () => {
    const { cache, store } = setup();
    await cache.write(atWrite(alice, 'first', ['api.read'], { expiresAt: T0 + HOUR }));
    await cache.write(atWrite(alice, 'second', ['api.read'], { expiresAt: T0 + HOUR / 2 }));
    expect(await accessTokenCount(store)).toBe(1);
    expect((await cache.findAccessToken(query(alice, ['api.read'])))?.secret).toBe('second');
  });

  it('keeps tokens whose scopes the new one does not cover', async () => {
    const { cache, store } = setup();
    await cache.write(atWrite(alice, 'a', ['api.read', 'api.admin']));
    await cache.write(atWrite(alice, 'b', ['api.read', 'api.write']));
    expect(await accessTokenCount(store)).toBe(2);
    expect((await cache.findAccessToken(query(alice, ['api.admin'])))?.secret).toBe('a');
    expect((await cache.findAccessToken(query(alice, ['api.write'])))?.secret).toBe('b');
  });

  it('does not replace tokens of another resource, account or client', async () => {
    const { cache, store } = setup();
    await cache.write(atWrite(alice, 'res-a', ['read'], { resource: ['api://a'] }));
    await cache.write(atWrite(account('bob'), 'bob', ['read']));
    await cache.write(atWrite(account('alice', { clientId: 'other' }), 'other-client', ['read']));
    await cache.write(atWrite(alice, 'plain', ['read', 'write']));
    expect(await accessTokenCount(store)).toBe(4);
    expect((await cache.findAccessToken(query(alice, ['read'], ['api://a'])))?.secret).toBe(
      'res-a',
    );
  });

  it('does not grow when the same request is renewed again and again', async () => {
    const { cache, store } = setup();
    for (let i = 0; i < 20; i++) {
      await cache.write(atWrite(alice, `t${i}`, i % 2 === 0 ? ['b', 'a'] : ['a', 'b', 'openid']));
    }
    expect(await accessTokenCount(store)).toBe(1);
  });

  it('stores scopes and resources normalised', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 't', ['b a', 'a'], { resource: [' api://x ', 'api://x'] }));
    const found = await cache.findAccessToken(query(alice, ['a'], ['api://x']));
    expect(found?.scopes).toEqual(['a', 'b']);
    expect(found?.resource).toEqual(['api://x']);
    expect(found?.cachedAt).toBe(T0);
    expect(found?.homeAccountId).toBe(alice.homeAccountId);
  });

  it('removes one token by its entity', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 't', ['api.read']));
    const found = await cache.findAccessToken(query(alice, ['api.read']));
    expect(found).toBeDefined();
    if (found !== undefined) await cache.removeAccessToken(found);
    expect(await cache.findAccessToken(query(alice, ['api.read']))).toBeUndefined();
  });
});

describe('write: refresh token (rotation, RFC 9700 4.14.2)', () => {
  it('replaces the old refresh token with the rotated one, leaving no trace of the old', async () => {
    const { cache, store } = setup();
    await cache.write({ account: alice, refreshToken: 'rt-1' });
    await cache.write({ account: alice, refreshToken: 'rt-2' });
    expect(await cache.getRefreshToken(alice.homeAccountId, scope)).toBe('rt-2');
    const values = [...(await dump(store)).values()].join('\n');
    expect(values).not.toContain('rt-1');
  });

  it('removes the stored refresh token on null', async () => {
    const { cache } = setup();
    await cache.write({ account: alice, refreshToken: 'rt-1' });
    await cache.write({ account: alice, refreshToken: null });
    expect(await cache.getRefreshToken(alice.homeAccountId, scope)).toBeUndefined();
  });

  it('keeps the stored refresh token on undefined', async () => {
    const { cache } = setup();
    await cache.write({ account: alice, refreshToken: 'rt-1' });
    await cache.write({ account: alice, refreshToken: undefined, idToken: 'id-2' });
    await cache.write(atWrite(alice, 'at', ['api.read']));
    expect(await cache.getRefreshToken(alice.homeAccountId, scope)).toBe('rt-1');
  });

  it('keeps refresh tokens per client and issuer', async () => {
    const { cache } = setup();
    const otherClient = account('alice', { clientId: 'other' });
    await cache.write({ account: alice, refreshToken: 'rt-spa' });
    await cache.write({ account: otherClient, refreshToken: 'rt-other' });
    expect(await cache.getRefreshToken(alice.homeAccountId, scope)).toBe('rt-spa');
    expect(
      await cache.getRefreshToken(alice.homeAccountId, { issuer: alice.issuer, clientId: 'other' }),
    ).toBe('rt-other');
    await cache.removeRefreshToken(alice.homeAccountId, scope);
    expect(await cache.getRefreshToken(alice.homeAccountId, scope)).toBeUndefined();
    expect(
      await cache.getRefreshToken(alice.homeAccountId, { issuer: alice.issuer, clientId: 'other' }),
    ).toBe('rt-other');
  });

  it('drops the spent refresh token when the rotated one cannot be stored', async () => {
    const storage = new FakeStorage();
    const { cache, store } = setup(createWebStorageStore(storage));
    await cache.write({ account: alice, refreshToken: 'rt-1' });
    storage.setItem = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    await expect(cache.write({ account: alice, refreshToken: 'rt-2' })).rejects.toHaveProperty(
      'name',
      'SecurityError',
    );
    expect(await cache.getRefreshToken(alice.homeAccountId, scope)).toBeUndefined();
    expect([...(await dump(store)).values()].join('\n')).not.toContain('rt-1');
  });
});

describe('write: ID token and account', () => {
  it('stores the ID token and keeps it when a later write brings none', async () => {
    const { cache } = setup();
    await cache.write({ account: alice, idToken: 'id-1' });
    await cache.write(atWrite(alice, 'at', ['api.read']));
    expect(await cache.getIdToken(alice.homeAccountId, scope)).toBe('id-1');
    await cache.write({ account: alice, idToken: 'id-2' });
    expect(await cache.getIdToken(alice.homeAccountId, scope)).toBe('id-2');
  });
});

describe('write: full storage', () => {
  it('evicts the oldest access tokens to make room, then succeeds', async () => {
    const storage = new FakeStorage(2200);
    const clock = fakeClock();
    const logger = recordingLogger();
    const cache = createTokenCache(createWebStorageStore(storage), { clock, logger });
    const big = 'x'.repeat(500);
    await cache.write(atWrite(alice, `${big}-1`, ['s1']));
    clock.set(T0 + 1);
    await cache.write(atWrite(alice, `${big}-2`, ['s2']));
    clock.set(T0 + 2);
    await cache.write(atWrite(alice, `${big}-3`, ['s3']));
    clock.set(T0 + 3);
    await cache.write(atWrite(alice, `${big}-4`, ['s4']));
    expect((await cache.findAccessToken(query(alice, ['s4'])))?.secret).toBe(`${big}-4`);
    expect(await cache.findAccessToken(query(alice, ['s1']))).toBeUndefined();
    expect(logger.lines.some((l) => l.includes('full'))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain(big);
  });

  it('rejects with the quota error when nothing can be evicted', async () => {
    const { cache } = setup(createWebStorageStore(new FakeStorage(100)));
    await expect(cache.write({ account: alice, idToken: 'x'.repeat(200) })).rejects.toHaveProperty(
      'name',
      'QuotaExceededError',
    );
  });
});
