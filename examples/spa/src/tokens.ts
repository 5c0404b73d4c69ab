// The tokens this page has received, with a live expiry countdown. The library keeps the real
// cache; this list mirrors what its responses said (scopes granted, expiry, where it came from),
// kept in sessionStorage so it survives the redirect flows. No token string is stored here.
import type { AuthResponse } from '@tessera/browser';
import { chips, h, show } from './dom.js';
import { clockTime, duration } from './format.js';
import { decodeJwtPayload } from './jwt.js';

const STORAGE_KEY = 'tessera-demo.tokens.v1';

export interface AccessTokenRecord {
  /** Sorted granted scopes: one entry per scope set, as the library caches them. */
  key: string;
  scopes: string[];
  tokenType: string;
  /** ms since epoch. */
  expiresOn: number;
  /** When the token was issued (its `iat`, else when it was first seen), ms. */
  issuedAt: number;
  /** When the library last handed it out, ms. */
  servedAt: number;
  fromCache: boolean;
  /** Decoded payload, or null for an opaque token. */
  claims: Record<string, unknown> | null;
}

export interface IdTokenRecord {
  expiresOn: number;
  issuedAt: number;
  claims: Record<string, unknown>;
}

interface Saved {
  idToken: IdTokenRecord | null;
  accessTokens: AccessTokenRecord[];
  latestKey: string | null;
}

/** What the countdown shows for a token. */
export type Phase = 'valid' | 'due' | 'expired';

export class TokenStore {
  #saved: Saved = { idToken: null, accessTokens: [], latestKey: null };
  readonly #listeners = new Set<() => void>();

  constructor() {
    try {
      const raw = sessionStorage.getItem(STORAGE_KEY);
      if (raw !== null) this.#saved = JSON.parse(raw) as Saved;
    } catch {
      // A corrupt entry is simply forgotten.
    }
  }

  get idToken(): IdTokenRecord | null {
    return this.#saved.idToken;
  }

  get accessTokens(): readonly AccessTokenRecord[] {
    return this.#saved.accessTokens;
  }

  /** The access token received most recently. */
  get latest(): AccessTokenRecord | undefined {
    return this.#saved.accessTokens.find((t) => t.key === this.#saved.latestKey);
  }

  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  /** Records a response: its ID token and its access token (replacing the same scope set). */
  record(response: AuthResponse): void {
    const now = Date.now();
    const idClaims = response.idTokenClaims as unknown as Record<string, unknown>;
    if (typeof response.idTokenClaims.exp === 'number') {
      this.#saved.idToken = {
        expiresOn: response.idTokenClaims.exp * 1000,
        issuedAt: (response.idTokenClaims.iat ?? now / 1000) * 1000,
        claims: idClaims,
      };
    }
    if (response.accessToken !== '') {
      const scopes = [...response.scopes].sort();
      const key = scopes.join(' ');
      const claims = decodeJwtPayload(response.accessToken);
      const previous = this.#saved.accessTokens.find((t) => t.key === key);
      const expiresOn = response.expiresOn.getTime();
      const iat = claims?.['iat'];
      const sameToken = previous !== undefined && previous.expiresOn === expiresOn;
      const record: AccessTokenRecord = {
        key,
        scopes,
        tokenType: response.tokenType,
        expiresOn,
        issuedAt:
          typeof iat === 'number'
            ? iat * 1000
            : sameToken
              ? previous.issuedAt
              : Math.min(now, expiresOn),
        servedAt: now,
        fromCache: response.fromCache,
        claims,
      };
      this.#saved.accessTokens = [record, ...this.#saved.accessTokens.filter((t) => t.key !== key)];
      this.#saved.latestKey = key;
    }
    this.#changed();
  }

  clear(): void {
    this.#saved = { idToken: null, accessTokens: [], latestKey: null };
    this.#changed();
  }

  #changed(): void {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.#saved));
    } catch {
      // Storage full or blocked: the list still works for this page.
    }
    for (const listener of this.#listeners) listener();
  }
}

/** Where a token stands, given the renewal offset. */
export function phaseOf(expiresOn: number, now: number, renewalOffsetMs: number): Phase {
  if (now >= expiresOn) return 'expired';
  return now >= expiresOn - renewalOffsetMs ? 'due' : 'valid';
}

function tokenItem(
  kind: string,
  expiresOn: number,
  issuedAt: number,
  scopes: readonly string[] | null,
  meta: string,
  renewalOffsetMs: number,
): HTMLLIElement {
  const label = scopes === null ? kind : `${kind} for ${scopes.join(' ')}`;
  return h(
    'li',
    {
      class: 'token',
      'data-expires': String(expiresOn),
      'data-issued': String(issuedAt),
      'data-offset': String(renewalOffsetMs),
      'aria-label': label,
    },
    h(
      'div',
      { class: 'token-head' },
      h('span', { class: 'token-kind' }, kind),
      h('span', { class: 'countdown' }),
    ),
    h('div', { class: 'bar', 'aria-hidden': 'true' }, h('div', { class: 'bar-fill' })),
    scopes === null ? null : chips(scopes),
    h('p', { class: 'token-meta' }, meta),
  );
}

/** Renders the list; {@link tickCountdowns} then keeps the countdowns current. */
export function renderTokens(list: HTMLElement, store: TokenStore, renewalOffsetMs: number): void {
  const items: HTMLLIElement[] = [];
  for (const token of store.accessTokens) {
    const source = token.fromCache ? 'from the cache' : 'from the provider';
    const format = token.claims === null ? 'opaque' : 'JWT';
    items.push(
      tokenItem(
        'Access token',
        token.expiresOn,
        token.issuedAt,
        token.scopes,
        `${token.tokenType} · ${format} · expires ${clockTime(token.expiresOn)} · last served ${source} at ${clockTime(token.servedAt)}`,
        renewalOffsetMs,
      ),
    );
  }
  const id = store.idToken;
  if (id !== null) {
    items.push(
      tokenItem(
        'ID token',
        id.expiresOn,
        id.issuedAt,
        null,
        `expires ${clockTime(id.expiresOn)}`,
        0,
      ),
    );
  }
  if (items.length === 0) show(list, h('li', { class: 'empty' }, 'No token yet.'));
  else show(list, ...items);
  tickCountdowns(list, Date.now());
}

/** Updates every countdown and bar in `list` for `now`. */
export function tickCountdowns(list: HTMLElement, now: number): void {
  for (const item of list.querySelectorAll<HTMLElement>('li[data-expires]')) {
    const expiresOn = Number(item.dataset['expires']);
    const issuedAt = Number(item.dataset['issued']);
    const offset = Number(item.dataset['offset']);
    const phase = phaseOf(expiresOn, now, offset);
    item.dataset['phase'] = phase;
    const countdown = item.querySelector('.countdown');
    if (countdown !== null) {
      countdown.textContent =
        phase === 'expired'
          ? `expired ${duration(now - expiresOn)} ago`
          : phase === 'due'
            ? `${duration(expiresOn - now)} left · renewal due`
            : `${duration(expiresOn - now)} left`;
    }
    const fill = item.querySelector<HTMLElement>('.bar-fill');
    if (fill !== null) {
      const lifetime = Math.max(1, expiresOn - issuedAt);
      const left = Math.min(1, Math.max(0, (expiresOn - now) / lifetime));
      fill.style.width = `${(left * 100).toFixed(1)}%`;
    }
  }
}
