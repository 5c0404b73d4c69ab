import type { Logger } from '../../src/logger.js';
import type { AccountEntity, KeyValueStore, TokenWrite } from '../../src/cache/types.js';
import { accountKey } from '../../src/cache/keys.js';

export const ISSUER = 'https://idp.example';
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
  options: { issuer?: string; clientId?: string } = {},
): AccountEntity {
  const issuer = options.issuer ?? ISSUER;
  return {
    homeAccountId: accountKey(issuer, sub),
    issuer,
    clientId: options.clientId ?? CLIENT,
    sub,
    idTokenClaims: { iss: issuer, sub, aud: CLIENT, exp: T0 / 1000 + 3600, iat: T0 / 1000 },
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

/** Every key and value the store holds, for assertions on what was written or removed. */
export async function dump(store: KeyValueStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await store.keys()) {
    const value = await store.get(key);
    if (value !== undefined) out.set(key, value);
  }
  return out;
}

/** A tiny in-memory `Storage`, optionally with a byte budget like a real browser quota. */
export class FakeStorage implements Storage {
  #items = new Map<string, string>();
  #quota: number;
  constructor(quota = Infinity) {
    this.#quota = quota;
  }
  get length(): number {
    return this.#items.size;
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
    const others = [...this.#items].filter(([k]) => k !== key);
    const used = others.reduce((n, [k, v]) => n + k.length + v.length, 0);
    if (used + key.length + value.length > this.#quota) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    this.#items.set(key, value);
  }
  [name: string]: unknown;
}
