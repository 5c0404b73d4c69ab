import type { Logger } from '../../src/logger.js';
import type {
  AccessTokenQuery,
  AccountEntity,
  KeyValueStore,
  TokenWrite,
} from '../../src/cache/types.js';
import { accountKey } from '../../src/cache/keys.js';
import { createMemoryStore } from '../../src/cache/storage.js';
import { createTokenCache } from '../../src/cache/token-cache.js';

export const ISSUER = 'https://idp.example';
export const AUTHORITY = 'https://idp.example/tenant';
export const CLIENT = 'spa-client';
export const T0 = 1_700_000_000_000;
export const HOUR = 3_600_000;

/** A clock the test moves by hand. */
export function fakeClock(start = T0): { now: () => number; set: (t: number) => void } {
  let t = start;
  return { now: () => t, set: (next) => (t = next) };
}

/** A logger that keeps its lines, to check that nothing secret is logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (message: string) => {
    lines.push(message);
  };
  return { lines, error: push, warning: push, info: push, verbose: push };
}

export function account(
  sub: string,
  options: { issuer?: string; authority?: string; clientId?: string } = {},
): AccountEntity {
  const issuer = options.issuer ?? ISSUER;
  const clientId = options.clientId ?? CLIENT;
  return {
    homeAccountId: accountKey(issuer, sub),
    issuer,
    authority: options.authority ?? AUTHORITY,
    clientId,
    sub,
    idTokenClaims: { iss: issuer, sub, aud: clientId, exp: T0 / 1000 + 3600, iat: T0 / 1000 },
    updatedAt: 0,
  };
}

/** A write of one access token (no refresh token, no ID token). */
export function atWrite(
  who: AccountEntity,
  secret: string,
  scopes: string[],
  options: { resource?: string[]; expiresAt?: number } = {},
): TokenWrite {
  return {
    account: who,
    accessToken: {
      secret,
      tokenType: 'Bearer',
      scopes,
      resource: options.resource ?? [],
      expiresAt: options.expiresAt ?? T0 + HOUR,
    },
  };
}

/**
 * A lookup as the flows make it: `scopes` already reduced to the non-OIDC ones, normalised; no
 * resource; `now` at T0 and a five-minute renewal offset unless told otherwise.
 */
export function query(
  who: AccountEntity,
  scopes: string[],
  extra: Partial<AccessTokenQuery> = {},
): AccessTokenQuery {
  return {
    homeAccountId: who.homeAccountId,
    scopes,
    resource: [],
    now: T0,
    renewalOffsetMs: 5 * 60_000,
    ...extra,
  };
}

/** A token cache of {@link CLIENT} over a store (memory unless given), with a hand-moved clock. */
export function setup(store: KeyValueStore = createMemoryStore(), clientId = CLIENT) {
  const clock = fakeClock();
  const logger = recordingLogger();
  const cache = createTokenCache(store, { clientId, clock, logger });
  return { store, clock, logger, cache };
}

/** Every key and value the store holds, for assertions on what was written or removed. */
export function dump(store: KeyValueStore): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of store.keys()) {
    const value = store.get(key);
    if (value !== undefined) out.set(key, value);
  }
  return out;
}

/** Every value the store holds, joined: for "this secret is (not) stored anywhere". */
export function allValues(store: KeyValueStore): string {
  return [...dump(store).values()].join('\n');
}

/** A store that counts the calls made to another one. */
export function countingStore(inner: KeyValueStore = createMemoryStore()): KeyValueStore & {
  calls: { get: number; set: number; remove: number; keys: number };
  reset: () => void;
} {
  const calls = { get: 0, set: 0, remove: 0, keys: 0 };
  return {
    calls,
    reset: () => {
      calls.get = calls.set = calls.remove = calls.keys = 0;
    },
    get: (key) => {
      calls.get += 1;
      return inner.get(key);
    },
    set: (key, value) => {
      calls.set += 1;
      inner.set(key, value);
    },
    remove: (key) => {
      calls.remove += 1;
      inner.remove(key);
    },
    keys: () => {
      calls.keys += 1;
      return inner.keys();
    },
  };
}

/** A tiny in-memory `Storage`, optionally with a byte budget like a real browser quota. */
export class FakeStorage implements Storage {
  #items = new Map<string, string>();
  /** Characters (keys and values) the storage holds at most; may be changed at any time. */
  quota: number;
  constructor(quota = Infinity) {
    this.quota = quota;
  }
  get length(): number {
    return this.#items.size;
  }
  /** Characters held now (keys and values), as the quota counts them. */
  get used(): number {
    let n = 0;
    for (const [k, v] of this.#items) n += k.length + v.length;
    return n;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    const old = this.#items.get(key);
    const used = this.used - (old === undefined ? 0 : key.length + old.length);
    if (used + key.length + value.length > this.quota) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    this.#items.set(key, value);
  }
  [name: string]: unknown;
}
