import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/storage.js';
import { createTokenCache } from '../../src/cache/token-cache.js';
import type { AccessTokenQuery, AccountEntity } from '../../src/cache/types.js';
import {
  CLIENT,
  HOUR,
  ISSUER,
  T0,
  account,
  atWrite,
  dump,
  fakeClock,
  recordingLogger,
} from './fixtures.js';

function setup() {
  const store = createMemoryStore();
  const clock = fakeClock();
  const cache = createTokenCache(store, { clock, logger: recordingLogger() });
  return { store, clock, cache };
}

function query(
  who: AccountEntity,
  scopes: string[],
  extra: Partial<AccessTokenQuery> = {},
): AccessTokenQuery {
  return {
    homeAccountId: who.homeAccountId,
    issuer: who.issuer,
    clientId: who.clientId,
    scopes,
    validUntilAtLeast: T0 + 5 * 60_000,
    ...extra,
  };
}

const alice = account('alice');

describe('findAccessToken: scopes', () => {
  it('finds a token whose granted scopes are a superset of the request', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'at-rw', ['api.read', 'api.write']));
    expect((await cache.findAccessToken(query(alice, ['api.read'])))?.secret).toBe('at-rw');
  });

  it('misses when the request asks for more than was granted', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'at-r', ['api.read']));
    expect(await cache.findAccessToken(query(alice, ['api.read', 'api.write']))).toBeUndefined();
  });

  it('ignores requested OIDC scopes the grant did not echo', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'at-r', ['api.read']));
    const found = await cache.findAccessToken(
      query(alice, ['openid', 'profile', 'offline_access', 'api.read']),
    );
    expect(found?.secret).toBe('at-r');
  });

  it('matches scopes case-sensitively (RFC 6749 3.3)', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'at', ['User.Read']));
    expect(await cache.findAccessToken(query(alice, ['user.read']))).toBeUndefined();
    expect((await cache.findAccessToken(query(alice, ['User.Read'])))?.secret).toBe('at');
  });

  it('serves an OIDC-only request only from an OIDC-only token', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'api-token', ['api.read']));
    expect(await cache.findAccessToken(query(alice, ['openid', 'profile']))).toBeUndefined();
    await cache.write(atWrite(alice, 'userinfo-token', ['openid', 'profile']));
    expect((await cache.findAccessToken(query(alice, ['openid'])))?.secret).toBe('userinfo-token');
    expect((await cache.findAccessToken(query(alice, ['api.read'])))?.secret).toBe('api-token');
  });

  it('prefers the matching token that expires last', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'late', ['api.read', 'x'], { expiresAt: T0 + 2 * HOUR }));
    await cache.write(atWrite(alice, 'early', ['api.read', 'y'], { expiresAt: T0 + HOUR }));
    expect((await cache.findAccessToken(query(alice, ['api.read'])))?.secret).toBe('late');
  });
});

describe('findAccessToken: resources (RFC 8707)', () => {
  it('never returns a token for one resource when another is asked for', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'for-a', ['read'], { resource: ['api://a'] }));
    expect(
      await cache.findAccessToken(query(alice, ['read'], { resource: ['api://b'] })),
    ).toBeUndefined();
    expect(await cache.findAccessToken(query(alice, ['read']))).toBeUndefined();
    expect(
      (await cache.findAccessToken(query(alice, ['read'], { resource: ['api://a'] })))?.secret,
    ).toBe('for-a');
  });

  it('keeps api://a/read and api://b/read apart', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'token-a', ['api://a/read']));
    expect(await cache.findAccessToken(query(alice, ['api://b/read']))).toBeUndefined();
    await cache.write(atWrite(alice, 'token-b', ['api://b/read']));
    expect((await cache.findAccessToken(query(alice, ['api://a/read'])))?.secret).toBe('token-a');
    expect((await cache.findAccessToken(query(alice, ['api://b/read'])))?.secret).toBe('token-b');
  });

  it('does not serve a resource-less request from a token bound to a resource, nor the reverse', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'plain', ['read']));
    expect(
      await cache.findAccessToken(query(alice, ['read'], { resource: ['api://a'] })),
    ).toBeUndefined();
  });

  it('matches a resource set regardless of order, but not a subset of it', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'ab', ['read'], { resource: ['api://b', 'api://a'] }));
    const both = await cache.findAccessToken(
      query(alice, ['read'], { resource: ['api://a', 'api://b'] }),
    );
    expect(both?.secret).toBe('ab');
    expect(
      await cache.findAccessToken(query(alice, ['read'], { resource: ['api://a'] })),
    ).toBeUndefined();
  });
});

describe('findAccessToken: isolation', () => {
  it('keeps several accounts apart', async () => {
    const { cache } = setup();
    const bob = account('bob');
    await cache.write(atWrite(alice, 'alice-token', ['api.read']));
    await cache.write(atWrite(bob, 'bob-token', ['api.read']));
    expect((await cache.findAccessToken(query(alice, ['api.read'])))?.secret).toBe('alice-token');
    expect((await cache.findAccessToken(query(bob, ['api.read'])))?.secret).toBe('bob-token');
    expect(await cache.findAccessToken(query(account('carol'), ['api.read']))).toBeUndefined();
  });

  it('keeps issuers apart for the same sub', async () => {
    const { cache } = setup();
    const aliceElsewhere = account('alice', { issuer: 'https://other-idp.example' });
    await cache.write(atWrite(alice, 'idp-1', ['api.read']));
    expect(await cache.findAccessToken(query(aliceElsewhere, ['api.read']))).toBeUndefined();
    // Same homeAccountId, but asking at another issuer must not match either.
    expect(
      await cache.findAccessToken(
        query(alice, ['api.read'], { issuer: 'https://other-idp.example' }),
      ),
    ).toBeUndefined();
  });

  it('keeps clients apart', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'client-1', ['api.read']));
    expect(
      await cache.findAccessToken(query(alice, ['api.read'], { clientId: 'other-client' })),
    ).toBeUndefined();
    expect(
      (await cache.findAccessToken(query(alice, ['api.read'], { clientId: CLIENT })))?.secret,
    ).toBe('client-1');
  });
});

describe('findAccessToken: expiry', () => {
  it('misses a token that expires within the renewal offset', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'short', ['api.read'], { expiresAt: T0 + 2 * 60_000 }));
    // Offset 5 minutes: the token would expire while in use.
    expect(
      await cache.findAccessToken(
        query(alice, ['api.read'], { validUntilAtLeast: T0 + 5 * 60_000 }),
      ),
    ).toBeUndefined();
    // Offset 1 minute: still good.
    expect(
      (await cache.findAccessToken(query(alice, ['api.read'], { validUntilAtLeast: T0 + 60_000 })))
        ?.secret,
    ).toBe('short');
  });

  it('treats expiresAt itself as already expired', async () => {
    const { cache } = setup();
    await cache.write(atWrite(alice, 'edge', ['api.read'], { expiresAt: T0 + HOUR }));
    expect(
      await cache.findAccessToken(query(alice, ['api.read'], { validUntilAtLeast: T0 + HOUR })),
    ).toBeUndefined();
  });

  it('prunes expired tokens when reading', async () => {
    const { cache, clock, store } = setup();
    await cache.write(atWrite(alice, 'old', ['api.read'], { expiresAt: T0 + HOUR }));
    clock.set(T0 + 2 * HOUR);
    expect(
      await cache.findAccessToken(query(alice, ['api.read'], { validUntilAtLeast: T0 + 2 * HOUR })),
    ).toBeUndefined();
    const left = [...(await dump(store)).keys()];
    expect(left.some((key) => key.startsWith('tessera.v1.accesstoken.'))).toBe(false);
    expect(left.some((key) => key.startsWith('tessera.v1.account.'))).toBe(true);
  });

  it('does not store a token that has already expired', async () => {
    const { cache, store } = setup();
    await cache.write(atWrite(alice, 'dead', ['api.read'], { expiresAt: T0 - 1 }));
    const left = [...(await dump(store)).keys()];
    expect(left.some((key) => key.startsWith('tessera.v1.accesstoken.'))).toBe(false);
  });
});

describe('accounts', () => {
  it('lists accounts, filtered by issuer and client, most recently written first', async () => {
    const { cache, clock } = setup();
    const bob = account('bob');
    const carol = account('carol', { clientId: 'other-client' });
    await cache.write({ account: alice });
    clock.set(T0 + 1000);
    await cache.write({ account: bob });
    await cache.write({ account: carol });
    expect((await cache.getAccounts({ clientId: CLIENT })).map((a) => a.sub)).toEqual([
      'bob',
      'alice',
    ]);
    expect((await cache.getAccounts({ issuer: ISSUER })).length).toBe(3);
    expect(await cache.getAccounts({ issuer: 'https://nowhere.example' })).toEqual([]);
    const stored = await cache.getAccount(bob.homeAccountId);
    expect(stored?.updatedAt).toBe(T0 + 1000);
    expect(stored?.idTokenClaims.sub).toBe('bob');
  });

  it('tells apart the same user at two clients with a filter', async () => {
    const { cache } = setup();
    const atOther = account('alice', { clientId: 'other-client' });
    await cache.write({ account: alice });
    await cache.write({ account: atOther });
    expect(
      (await cache.getAccount(alice.homeAccountId, { clientId: 'other-client' }))?.clientId,
    ).toBe('other-client');
    expect((await cache.getAccount(alice.homeAccountId, { clientId: CLIENT }))?.clientId).toBe(
      CLIENT,
    );
  });
});
