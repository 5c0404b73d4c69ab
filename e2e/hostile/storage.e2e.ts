// Hostile storage: entries someone else wrote or broke next to a signed-in session — corrupt
// JSON, records under keys that do not describe them, impersonation, tampered expiry, foreign
// versions — and storage that throws. The app reloads (the cache reads storage once, at
// construction) and asks for a token for the forged account: nothing forged may be served.
// HOSTILE_DEFECTS=1 also runs the cases skipped as library defects.
import { describe, expect } from 'vitest';
import type { HostileConfig } from '../pages/hostile/app.js';
import { assertInvariants, popup, signIn, silent, snapshot } from './invariants.js';
import { CLIENT_ID, countCheck, hostileCase, SESSION_SCOPES, useHostileSuite } from './support.js';
import type { Case } from './support.js';

const suite = useHostileSuite('storage');

type Area = 'session' | 'local';
type Json = Record<string, unknown>;

/** `tessera.v1.account.<client>|<sub>|<issuer>` (the library escapes `%`, `|` and space). */
const escape = (v: string): string =>
  v.replaceAll('%', '%25').replaceAll('|', '%7C').replaceAll(' ', '%20');
const homeAccountId = (sub: string, issuer: string): string => `${escape(sub)}|${escape(issuer)}`;
const recordKey = (id: string): string => `tessera.v1.account.${escape(CLIENT_ID)}|${id}`;

interface Planted {
  /** Entries to write, key → raw value. */
  entries: Record<string, string>;
  /** The account the app then asks a token for. */
  askFor: string;
  /** Planted keys the library must drop (the others it must leave alone). */
  dropped: string[];
}

/**
 * Signs in, lets `plant` write entries beside the session's record (it gets that record: key
 * and parsed value), reloads the app and asks for a token for the forged account.
 */
async function storageCase(
  plant: (record: { key: string; value: Json; issuer: string }) => Planted,
  area: Area = 'session',
): Promise<Case> {
  const config: Partial<HostileConfig> = {
    cacheLocation: area === 'session' ? 'sessionStorage' : 'localStorage',
  };
  const c = await suite.open(config);
  const session = await signIn(c);
  const storage = await c.page.evaluate(() => window.hostile.storage());
  const [key, raw] = Object.entries(storage[area]).find(([k]) =>
    k.startsWith('tessera.v1.account.'),
  )!;
  const value = JSON.parse(raw) as Json;
  const issuer = (value['account'] as Json)['issuer'] as string;
  const planted = plant({ key, value, issuer });
  await c.page.evaluate(
    ({ entries, area }) => {
      const store = area === 'session' ? sessionStorage : localStorage;
      for (const [k, v] of Object.entries(entries)) store.setItem(k, v);
    },
    { entries: planted.entries, area },
  );
  const before = await snapshot(c);
  await c.page.reload();
  await c.ready();
  const outcome = await silent(c, {
    scopes: SESSION_SCOPES,
    account: { homeAccountId: planted.askFor } as never,
  });
  await assertInvariants(before, outcome, {
    error: { code: 'no_account', name: 'InteractionRequiredAuthError' },
    requests: {},
    session,
    dropped: planted.dropped.map((k) => `${area}:${k}`),
  });
  return c;
}

/** A deep copy of the session's record, as another user (mallory), consistent unless edited. */
function mallory(value: Json, issuer: string): { id: string; record: Json } {
  const id = homeAccountId('mallory-sub', issuer);
  const record = JSON.parse(JSON.stringify(value)) as Json;
  const account = record['account'] as Json;
  Object.assign(account, { homeAccountId: id, sub: 'mallory-sub' });
  Object.assign(account['idTokenClaims'] as Json, {
    sub: 'mallory-sub',
    preferred_username: 'mallory',
  });
  return { id, record };
}

describe('entries beside a signed-in session', () => {
  hostileCase('corrupt JSON under an account key', () =>
    storageCase(({ issuer }) => {
      const id = homeAccountId('mallory-sub', issuer);
      return {
        entries: { [recordKey(id)]: '{"v":1,"account":{' },
        askFor: id,
        dropped: [recordKey(id)],
      };
    }),
  );

  hostileCase('corrupt JSON in localStorage', () =>
    storageCase(({ issuer }) => {
      const id = homeAccountId('mallory-sub', issuer);
      return { entries: { [recordKey(id)]: 'undefined' }, askFor: id, dropped: [recordKey(id)] };
    }, 'local'),
  );

  hostileCase("a record copied under another account's key", () =>
    storageCase(({ value, issuer }) => {
      const id = homeAccountId('mallory-sub', issuer);
      return {
        entries: { [recordKey(id)]: JSON.stringify(value) },
        askFor: id,
        dropped: [recordKey(id)],
      };
    }),
  );

  hostileCase('an impersonating record (homeAccountId of one user, sub of another)', () =>
    storageCase(({ value, issuer }) => {
      const { id, record } = mallory(value, issuer);
      Object.assign(record['account'] as Json, { sub: 'alice-sub' });
      Object.assign((record['account'] as Json)['idTokenClaims'] as Json, { sub: 'alice-sub' });
      return {
        entries: { [recordKey(id)]: JSON.stringify(record) },
        askFor: id,
        dropped: [recordKey(id)],
      };
    }),
  );

  hostileCase('a record whose access token expiry was tampered with (not a number)', () =>
    storageCase(({ value, issuer }) => {
      const { id, record } = mallory(value, issuer);
      for (const token of record['accessTokens'] as Json[]) token['expiresAt'] = '2999-01-01';
      return {
        entries: { [recordKey(id)]: JSON.stringify(record) },
        askFor: id,
        dropped: [recordKey(id)],
      };
    }),
  );

  hostileCase('a record whose access token was cached after it expired', () =>
    storageCase(({ value, issuer }) => {
      const { id, record } = mallory(value, issuer);
      for (const token of record['accessTokens'] as Json[]) {
        token['cachedAt'] = (token['expiresAt'] as number) + 1;
      }
      return {
        entries: { [recordKey(id)]: JSON.stringify(record) },
        askFor: id,
        dropped: [recordKey(id)],
      };
    }),
  );

  hostileCase('a record of another schema version under our prefix', () =>
    storageCase(({ value, issuer }) => {
      const { id, record } = mallory(value, issuer);
      record['v'] = 2;
      return {
        entries: { [recordKey(id)]: JSON.stringify(record) },
        askFor: id,
        dropped: [recordKey(id)],
      };
    }),
  );

  hostileCase(
    'a record of another major version (tessera.v2.): never read, never removed',
    async () => {
      let foreign = '';
      const c = await storageCase(({ value, issuer }) => {
        const { id, record } = mallory(value, issuer);
        foreign = recordKey(id).replace('tessera.v1.', 'tessera.v2.');
        return { entries: { [foreign]: JSON.stringify(record) }, askFor: id, dropped: [] };
      });
      expect(await c.page.evaluate((k) => sessionStorage.getItem(k), foreign)).not.toBeNull();
    },
  );

  hostileCase('a record of another client on the same origin: not ours to serve', () =>
    storageCase(({ value, issuer }) => {
      const { id, record } = mallory(value, issuer);
      Object.assign(record['account'] as Json, { clientId: 'other-client' });
      const key = `tessera.v1.account.other-client|${id}`;
      return { entries: { [key]: JSON.stringify(record) }, askFor: id, dropped: [] };
    }),
  );
});

describe('storage that fails', () => {
  hostileCase(
    'storage that throws on every write: a typed error, nothing half-written',
    async () => {
      const c = await suite.open();
      const session = await signIn(c);
      await c.page.evaluate(() => {
        const setItem = Object.getOwnPropertyDescriptor(Storage.prototype, 'setItem')!.value as (
          this: Storage,
          key: string,
          value: string,
        ) => void;
        Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
          if (key.startsWith('tessera.v1.'))
            throw new DOMException('Quota exceeded', 'QuotaExceededError');
          setItem.call(this, key, value);
        };
      });
      const before = await snapshot(c);
      const outcome = await popup(c, { scopes: ['api://b/read'] });
      await assertInvariants(before, outcome, {
        error: { code: 'storage_write_failed', name: 'BrowserAuthError' },
        requests: {},
        session,
      });
    },
  );

  hostileCase(
    'storage that throws on every read at start: no crash, the stored session kept',
    async () => {
      const c = await suite.open();
      await signIn(c);
      // From the next load on, every read of this origin's storage throws (site data blocked).
      await c.context.addInitScript(() => {
        Storage.prototype.getItem = () => {
          throw new DOMException('denied', 'SecurityError');
        };
      });
      await c.page.reload();
      await c.ready();
      const before = await snapshot(c);
      expect(before.accounts, 'nothing readable, nothing invented').toBe('[]');
      // The record written before must stay byte for byte (compared in assertInvariants).
      expect(Object.keys(before.accountEntries)).toHaveLength(1);
      const outcome = await silent(c, { scopes: SESSION_SCOPES });
      await assertInvariants(before, outcome, {
        error: { code: 'no_account', name: 'InteractionRequiredAuthError' },
        requests: {},
      });
    },
  );
});

countCheck();
