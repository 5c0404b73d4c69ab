import { describe, expect, it } from 'vitest';
import {
  STORAGE_PREFIX,
  accessTokenKey,
  accessTokenKeyPrefix,
  accountKey,
  idTokenKey,
  parseKey,
  refreshTokenKey,
  transactionKey,
} from '../../src/cache/keys.js';

const scope = { issuer: 'https://idp.example', clientId: 'spa' };

describe('accountKey', () => {
  it('is stable for the same subject and issuer', () => {
    expect(accountKey('https://idp.example', 'alice')).toBe(
      accountKey('https://idp.example', 'alice'),
    );
    expect(accountKey('https://idp.example', 'alice')).toBe('alice|https://idp.example');
  });

  it('cannot be made ambiguous by separators inside sub or issuer', () => {
    // Without escaping, both would read "a|b|c".
    expect(accountKey('b|c', 'a')).not.toBe(accountKey('c', 'a|b'));
    expect(accountKey('x', 'a%7Cb')).not.toBe(accountKey('x', 'a|b'));
    expect(accountKey('https://idp.example', 'a.b')).not.toBe(
      accountKey('b.https://idp.example', 'a'),
    );
  });
});

describe('storage keys', () => {
  it('all carry the one versioned prefix', () => {
    const hid = accountKey(scope.issuer, 'alice');
    const keys = [
      idTokenKey(hid, scope),
      refreshTokenKey(hid, scope),
      accessTokenKey({ homeAccountId: hid, ...scope, resource: [], scopes: ['a'] }),
      transactionKey('s1'),
    ];
    expect(STORAGE_PREFIX).toBe('tessera.v1.');
    for (const key of keys) expect(key.startsWith('tessera.v1.')).toBe(true);
  });

  it('give the same access token key whatever the scope order or duplicates', () => {
    const hid = accountKey(scope.issuer, 'alice');
    const base = { homeAccountId: hid, ...scope, resource: [] };
    expect(accessTokenKey({ ...base, scopes: ['b', 'a'] })).toBe(
      accessTokenKey({ ...base, scopes: ['a', 'b', 'a'] }),
    );
  });

  it('separate resources so one resource prefix never lists another', () => {
    const hid = accountKey(scope.issuer, 'alice');
    const forA = accessTokenKey({
      homeAccountId: hid,
      ...scope,
      resource: ['https://a.example'],
      scopes: ['x'],
    });
    const prefixAB = accessTokenKeyPrefix({ homeAccountId: hid, ...scope }, [
      'https://a.example',
      'https://b.example',
    ]);
    const prefixA = accessTokenKeyPrefix({ homeAccountId: hid, ...scope }, ['https://a.example']);
    const prefixNone = accessTokenKeyPrefix({ homeAccountId: hid, ...scope }, []);
    expect(forA.startsWith(prefixA)).toBe(true);
    expect(forA.startsWith(prefixAB)).toBe(false);
    expect(forA.startsWith(prefixNone)).toBe(false);
  });

  it('parse back into kind and segments, and reject foreign keys', () => {
    const hid = accountKey(scope.issuer, 'a|b');
    expect(parseKey(refreshTokenKey(hid, scope))).toEqual({
      kind: 'refreshtoken',
      segments: [hid, scope.issuer, scope.clientId],
    });
    expect(parseKey('msal.token.keys')).toBeUndefined();
    expect(parseKey('tessera.v2.account.x')).toBeUndefined();
    expect(parseKey('tessera.v1.unknownkind.x')).toBeUndefined();
  });
});
