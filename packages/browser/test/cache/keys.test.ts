import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_PREFIX,
  redirectKey,
  STORAGE_PREFIX,
  TRANSACTION_PREFIX,
  accountKey,
  recordKey,
  transactionKey,
} from '../../src/cache/keys.js';

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
    expect(accountKey('x', 'a b')).not.toBe(accountKey('x', 'a%20b'));
    expect(accountKey('https://idp.example', 'a.b')).not.toBe(
      accountKey('b.https://idp.example', 'a'),
    );
  });
});

describe('storage keys', () => {
  it('all carry the one versioned prefix', () => {
    expect(STORAGE_PREFIX).toBe('tessera.v1.');
    const keys = [
      ACCOUNT_PREFIX,
      TRANSACTION_PREFIX,
      redirectKey('spa', 'pending'),
      redirectKey('spa', 'response'),
      transactionKey('s1', 'spa'),
      recordKey('spa', accountKey('https://idp.example', 'alice')),
      transactionKey('s1'),
    ];
    for (const key of keys) expect(key.startsWith('tessera.v1.')).toBe(true);
  });

  it('put records under tessera.v1.account.<client>|<homeAccountId>', () => {
    const hid = accountKey('https://idp.example', 'alice');
    expect(ACCOUNT_PREFIX).toBe('tessera.v1.account.');
    expect(recordKey('spa', hid)).toBe(`tessera.v1.account.spa|${hid}`);
  });

  it('put transactions under tessera.v1.txn.<state>', () => {
    expect(TRANSACTION_PREFIX).toBe('tessera.v1.txn.');
    expect(transactionKey('s1')).toBe('tessera.v1.txn.s1');
    expect(transactionKey('a|b c')).not.toBe(transactionKey('a%7Cb%20c'));
  });

  it('give different client ids or accounts never the same record key', () => {
    const pairs: [string, string][] = [
      ['spa', accountKey('https://idp.example', 'alice')],
      ['spa', accountKey('https://idp.example', 'bob')],
      ['spa', accountKey('https://other.example', 'alice')],
      ['other', accountKey('https://idp.example', 'alice')],
      // Unescaped, this would read as the first pair: a separator inside the client id must
      // not move the boundary into the account part.
      ['spa|alice', 'https://idp.example'],
      ['spa%7Calice', 'https://idp.example'],
      ['spa alice', 'x'],
      ['spa%20alice', 'x'],
      ['', 'spa|x'],
    ];
    const keys = pairs.map(([client, hid]) => recordKey(client, hid));
    expect(new Set(keys).size).toBe(pairs.length);
  });

  it("never give one client's record key the prefix of another client's records", () => {
    const hid = accountKey('https://idp.example', 'alice');
    // What the cache of client `spa` owns: keys starting with recordKey('spa', '').
    const own = recordKey('spa', '');
    for (const client of ['spa2', 'spa|x', 'sp', 'spa ', 'SPA']) {
      expect(recordKey(client, hid).startsWith(own)).toBe(false);
    }
    expect(recordKey('spa', hid).startsWith(own)).toBe(true);
  });
});

describe('per-client namespaces', () => {
  it('keep two clients apart in redirect bookkeeping and pending requests', () => {
    expect(redirectKey('a', 'pending')).not.toBe(redirectKey('b', 'pending'));
    expect(transactionKey('s1', 'a')).not.toBe(transactionKey('s1', 'b'));
    expect(transactionKey('s1', 'a|b')).not.toBe(transactionKey('b|s1', 'a'));
  });
});
