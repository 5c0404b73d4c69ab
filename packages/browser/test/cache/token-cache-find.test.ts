import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/storage.js';
import { HOUR, T0, account, atWrite, query, setup } from './fixtures.js';

const alice = account('alice');
const MINUTE = 60_000;

describe('findAccessToken: scopes', () => {
  it('finds a token whose granted scopes are a superset of the request', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'at-rw', ['api.read', 'api.write']));
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('at-rw');
    expect(cache.findAccessToken(query(alice, ['api.read', 'api.write']))?.secret).toBe('at-rw');
  });

  it('misses when the request asks for more than was granted', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'at-r', ['api.read']));
    expect(cache.findAccessToken(query(alice, ['api.read', 'api.write']))).toBeUndefined();
  });

  it('serves a request whose OIDC scopes were left out of the grant (the query omits them)', () => {
    const { cache } = setup();
    // Requested: openid profile offline_access api.read; the flows query with `api.read` only.
    cache.write(atWrite(alice, 'at-r', ['api.read']));
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('at-r');
  });

  it('serves a request from a token whose grant also echoes OIDC scopes', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'at', ['openid', 'profile', 'api.read']));
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('at');
  });

  it('matches scopes without regard to case: Entra grants User.Read for user.read', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'at', ['User.Read']));
    expect(cache.findAccessToken(query(alice, ['user.read']))?.secret).toBe('at');
    expect(cache.findAccessToken(query(alice, ['User.Read']))?.secret).toBe('at');
    expect(cache.findAccessToken(query(alice, ['user.readwrite']))).toBeUndefined();
  });

  it('serves an OIDC-only request (no resource scopes) only from an OIDC-only token', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'api-token', ['api.read']));
    expect(cache.findAccessToken(query(alice, []))).toBeUndefined();
    cache.write(atWrite(alice, 'userinfo-token', ['openid', 'profile']));
    expect(cache.findAccessToken(query(alice, []))?.secret).toBe('userinfo-token');
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('api-token');
  });

  it("keeps the provider's spelling of the granted scopes", () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'at', ['User.Read']));
    expect(cache.findAccessToken(query(alice, ['user.read']))?.scopes).toEqual(['User.Read']);
  });

  it('prefers the matching token that expires last', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'late', ['api.read', 'x'], { expiresAt: T0 + 2 * HOUR }));
    cache.write(atWrite(alice, 'early', ['api.read', 'y'], { expiresAt: T0 + HOUR }));
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('late');
    // Whatever order they were written in.
    const other = setup().cache;
    other.write(atWrite(alice, 'early', ['api.read', 'y'], { expiresAt: T0 + HOUR }));
    other.write(atWrite(alice, 'late', ['api.read', 'x'], { expiresAt: T0 + 2 * HOUR }));
    expect(other.findAccessToken(query(alice, ['api.read']))?.secret).toBe('late');
  });
});

describe('findAccessToken: resources (RFC 8707)', () => {
  it('never returns a token for one resource when another is asked for', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'for-a', ['read'], { resource: ['api://a'] }));
    expect(
      cache.findAccessToken(query(alice, ['read'], { resource: ['api://b'] })),
    ).toBeUndefined();
    expect(cache.findAccessToken(query(alice, ['read']))).toBeUndefined();
    expect(cache.findAccessToken(query(alice, ['read'], { resource: ['api://a'] }))?.secret).toBe(
      'for-a',
    );
  });

  it('keeps api://a/read and api://b/read apart', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'token-a', ['api://a/read']));
    expect(cache.findAccessToken(query(alice, ['api://b/read']))).toBeUndefined();
    cache.write(atWrite(alice, 'token-b', ['api://b/read']));
    expect(cache.findAccessToken(query(alice, ['api://a/read']))?.secret).toBe('token-a');
    expect(cache.findAccessToken(query(alice, ['api://b/read']))?.secret).toBe('token-b');
  });

  it('does not serve a resource-bound request from a token without one', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'plain', ['read']));
    expect(
      cache.findAccessToken(query(alice, ['read'], { resource: ['api://a'] })),
    ).toBeUndefined();
    expect(cache.findAccessToken(query(alice, ['read']))?.secret).toBe('plain');
  });

  it('matches a resource set written in any order, but not a subset of it', () => {
    const { cache } = setup();
    // Written unsorted; the query carries the normalised (sorted) list.
    cache.write(atWrite(alice, 'ab', ['read'], { resource: ['api://b', ' api://a '] }));
    const both = cache.findAccessToken(
      query(alice, ['read'], { resource: ['api://a', 'api://b'] }),
    );
    expect(both?.secret).toBe('ab');
    expect(
      cache.findAccessToken(query(alice, ['read'], { resource: ['api://a'] })),
    ).toBeUndefined();
  });
});

describe('findAccessToken: isolation', () => {
  it('keeps several accounts apart', () => {
    const { cache } = setup();
    const bob = account('bob');
    cache.write(atWrite(alice, 'alice-token', ['api.read']));
    cache.write(atWrite(bob, 'bob-token', ['api.read']));
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('alice-token');
    expect(cache.findAccessToken(query(bob, ['api.read']))?.secret).toBe('bob-token');
    expect(cache.findAccessToken(query(account('carol'), ['api.read']))).toBeUndefined();
  });

  it('keeps issuers apart for the same sub', () => {
    const { cache } = setup();
    const aliceElsewhere = account('alice', { issuer: 'https://other-idp.example' });
    cache.write(atWrite(alice, 'idp-1', ['api.read']));
    expect(cache.findAccessToken(query(aliceElsewhere, ['api.read']))).toBeUndefined();
    cache.write(atWrite(aliceElsewhere, 'idp-2', ['api.read']));
    expect(cache.findAccessToken(query(alice, ['api.read']))?.secret).toBe('idp-1');
    expect(cache.findAccessToken(query(aliceElsewhere, ['api.read']))?.secret).toBe('idp-2');
  });

  it("keeps clients apart: one client's cache never serves another client's token", () => {
    const store = createMemoryStore();
    const spa = setup(store).cache;
    const other = setup(store, 'other-client').cache;
    other.write(atWrite(account('alice', { clientId: 'other-client' }), 'other-at', ['api.read']));
    spa.sync(null);
    expect(spa.findAccessToken(query(alice, ['api.read']))).toBeUndefined();
    // Nor after a reload.
    expect(setup(store).cache.getAccounts()).toEqual([]);
    expect(other.findAccessToken(query(alice, ['api.read']))?.secret).toBe('other-at');
  });
});

describe('findAccessToken: expiry and renewal offset', () => {
  it('misses a token that expires within the renewal offset', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'at', ['api.read'], { expiresAt: T0 + HOUR }));
    const at = (now: number, offset: number) =>
      cache.findAccessToken(query(alice, ['api.read'], { now, renewalOffsetMs: offset }));
    // 4 minutes left: within a 5-minute offset, outside a 1-minute one.
    expect(at(T0 + HOUR - 4 * MINUTE, 5 * MINUTE)).toBeUndefined();
    expect(at(T0 + HOUR - 4 * MINUTE, MINUTE)?.secret).toBe('at');
  });

  it('treats expiresAt itself as already expired', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'edge', ['api.read'], { expiresAt: T0 + HOUR }));
    const at = (now: number) =>
      cache.findAccessToken(query(alice, ['api.read'], { now, renewalOffsetMs: 0 }));
    expect(at(T0 + HOUR - 1)?.secret).toBe('edge');
    expect(at(T0 + HOUR)).toBeUndefined();
    expect(at(T0 + 2 * HOUR)).toBeUndefined();
  });

  it('caps the offset at half the lifetime: a 60 s token with a 300 s offset is served for 30 s', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'short', ['api.read'], { expiresAt: T0 + 60_000 }));
    const at = (now: number) =>
      cache.findAccessToken(query(alice, ['api.read'], { now, renewalOffsetMs: 300_000 }));
    expect(at(T0)?.secret).toBe('short');
    expect(at(T0 + 29_000)?.secret).toBe('short');
    expect(at(T0 + 30_000)).toBeUndefined();
    expect(at(T0 + 31_000)).toBeUndefined();
  });

  it('keeps the full offset when it is under half the lifetime: 3600 s token, 300 s offset', () => {
    const { cache } = setup();
    cache.write(atWrite(alice, 'long', ['api.read'], { expiresAt: T0 + 3_600_000 }));
    const at = (now: number) =>
      cache.findAccessToken(query(alice, ['api.read'], { now, renewalOffsetMs: 300_000 }));
    expect(at(T0 + 3_299_000)?.secret).toBe('long');
    expect(at(T0 + 3_301_000)).toBeUndefined();
  });

  it('measures the lifetime from when the token was cached, not from now', () => {
    const { cache, clock } = setup();
    clock.set(T0 + 10 * MINUTE);
    // Cached at T0+10min, lives 2 min: half is 1 min.
    cache.write(atWrite(alice, 'late', ['api.read'], { expiresAt: T0 + 12 * MINUTE }));
    const at = (now: number) =>
      cache.findAccessToken(query(alice, ['api.read'], { now, renewalOffsetMs: 5 * MINUTE }));
    expect(at(T0 + 11 * MINUTE - 1)?.secret).toBe('late');
    expect(at(T0 + 11 * MINUTE)).toBeUndefined();
  });

  it('drops expired tokens from the record on the next write', () => {
    const { cache, clock, store } = setup();
    cache.write(atWrite(alice, 'old', ['api.read'], { expiresAt: T0 + HOUR }));
    clock.set(T0 + 2 * HOUR);
    cache.write(atWrite(alice, 'new', ['api.write'], { expiresAt: T0 + 3 * HOUR }));
    const raw = [...store.keys()].map((key) => store.get(key)).join('\n');
    expect(raw).not.toContain('old');
    expect(raw).toContain('new');
  });

  it('does not store a token that has already expired', () => {
    const { cache, store } = setup();
    cache.write({ ...atWrite(alice, 'dead', ['api.read'], { expiresAt: T0 - 1 }), idToken: 'id' });
    cache.write(atWrite(alice, 'at-exp', ['api.read'], { expiresAt: T0 }));
    expect(
      cache.findAccessToken(query(alice, ['api.read'], { now: T0 - 10 * HOUR })),
    ).toBeUndefined();
    const raw = [...store.keys()].map((key) => store.get(key)).join('\n');
    expect(raw).not.toContain('dead');
    expect(raw).not.toContain('at-exp');
    expect(cache.getAccount(alice.homeAccountId)).toBeDefined();
  });

  it('misses for an unknown account', () => {
    const { cache } = setup();
    expect(cache.findAccessToken(query(alice, ['api.read']))).toBeUndefined();
  });
});

describe('accounts', () => {
  it('lists accounts, most recently written first', () => {
    const { cache, clock } = setup();
    const bob = account('bob');
    cache.write({ account: alice });
    clock.set(T0 + 1000);
    cache.write({ account: bob });
    expect(cache.getAccounts().map((a) => a.sub)).toEqual(['bob', 'alice']);
    clock.set(T0 + 2000);
    cache.write(atWrite(alice, 'at', ['api.read']));
    expect(cache.getAccounts().map((a) => a.sub)).toEqual(['alice', 'bob']);
    const stored = cache.getAccount(bob.homeAccountId);
    expect(stored?.updatedAt).toBe(T0 + 1000);
    expect(stored?.idTokenClaims.sub).toBe('bob');
    expect(stored?.authority).toBe(bob.authority);
    expect(cache.getAccount(account('carol').homeAccountId)).toBeUndefined();
  });

  it('returns the same array until something changes', () => {
    const { cache } = setup();
    cache.write({ account: alice });
    const first = cache.getAccounts();
    expect(cache.getAccounts()).toBe(first);
    cache.write({ account: account('bob') });
    const second = cache.getAccounts();
    expect(second).not.toBe(first);
    expect(cache.getAccounts()).toBe(second);
  });

  it('keeps the ID token and hands it out per account', () => {
    const { cache } = setup();
    cache.write({ account: alice, idToken: 'id-alice' });
    cache.write({ account: account('bob'), idToken: 'id-bob' });
    expect(cache.getIdToken(alice.homeAccountId)).toBe('id-alice');
    expect(cache.getIdToken(account('bob').homeAccountId)).toBe('id-bob');
    expect(cache.getIdToken(account('carol').homeAccountId)).toBeUndefined();
  });
});

describe('renewalDue', () => {
  it('is true when no access token of the account is outside its renewal window', () => {
    const { cache } = setup();
    const carol = account('carol');
    expect(cache.renewalDue(carol.homeAccountId, T0, 0)).toBe(true);
    cache.write(atWrite(carol, 'at', ['api.read'], { expiresAt: T0 + HOUR }));
    expect(cache.renewalDue(carol.homeAccountId, T0, 0)).toBe(false);
    // Within the window (capped at half the lifetime): due.
    expect(cache.renewalDue(carol.homeAccountId, T0 + HOUR / 2 + 1, 24 * HOUR)).toBe(true);
    expect(cache.renewalDue(carol.homeAccountId, T0 + HOUR, 0)).toBe(true);
  });
});
