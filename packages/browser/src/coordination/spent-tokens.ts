import { toHex } from '../hex.js';
import type { Clock, Timers } from '../ports.js';
import { lockName, readLocks } from './lock-manager.js';

/**
 * Which refresh tokens were already sent, known at once in every tab of the origin.
 *
 * Tabs may live in different processes, and a rotated refresh token written to `localStorage`
 * by one tab reaches another a moment later. Sending the old one again is a replay, and
 * providers revoke the whole grant on reuse (RFC 9700 4.14.2). Web Locks are granted by the
 * browser process without that lag, so a token's fingerprint is held as a lock while it is
 * being spent and for a while after.
 */
export interface SpentTokenRegistry {
  /**
   * Records that the token with this fingerprint is being sent now. Call the returned function
   * when the answer is in: `true` when the token was rotated (it stays marked for
   * {@link SPENT_HOLD_MS}), `false` when it is still valid or was not used (unmarked at once).
   */
  markSpent(fingerprint: string): (rotated: boolean) => void;
  /** True when any tab marked the fingerprint within the hold time. */
  wasSpent(fingerprint: string): Promise<boolean>;
}

/** How long a spent fingerprint stays held as a lock: far longer than storage takes to reach tabs. */
export const SPENT_HOLD_MS = 30_000;

/**
 * How long a rotated token's fingerprint is remembered in `localStorage`: a duplicated tab
 * (whose `sessionStorage` is a copy taken at duplication) may try the old token days later.
 */
export const SPENT_RECORD_MS = 7 * 24 * 3_600_000;

/** Fingerprints remembered at most; the oldest go first. */
export const SPENT_RECORD_LIMIT = 200;

/** The `localStorage` key of the remembered fingerprints (not secrets: truncated hashes). */
export const SPENT_RECORD_KEY = 'tessera.v1.spent';

/** A fingerprint of a secret for lock names: never the secret itself. */
export async function fingerprint(secret: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return toHex(new Uint8Array(digest).slice(0, 12));
}

/** Over Web Locks when the window has them (every tab sees it), else in this tab's memory. */
export function createSpentTokenRegistry(
  win: Window | undefined,
  ports: { timers: Timers; clock: Clock },
): SpentTokenRegistry {
  const locks = readLocks(win);
  const local = new Map<string, number>();
  const name = (fp: string) => lockName(`spent.${fp}`);
  // Shared by every tab of the origin whatever the cache location, and it survives reloads:
  // the only place a duplicated tab can learn that its copy of a refresh token was spent.
  const shared = (): Storage | undefined => {
    try {
      return win?.localStorage;
    } catch {
      return undefined;
    }
  };
  const readRecord = (): [string, number][] => {
    try {
      const parsed: unknown = JSON.parse(shared()?.getItem(SPENT_RECORD_KEY) ?? '{}');
      const now = ports.clock.now();
      return Object.entries(parsed as Record<string, unknown>).filter(
        (e): e is [string, number] => typeof e[1] === 'number' && e[1] > now,
      );
    } catch {
      return [];
    }
  };
  const remember = (fp: string) => {
    const entries = readRecord().filter(([f]) => f !== fp);
    entries.push([fp, ports.clock.now() + SPENT_RECORD_MS]);
    try {
      shared()?.setItem(
        SPENT_RECORD_KEY,
        JSON.stringify(Object.fromEntries(entries.slice(-SPENT_RECORD_LIMIT))),
      );
    } catch {
      // Best effort: locks and this tab's memory still cover the common case.
    }
  };
  return {
    markSpent(fp) {
      local.set(fp, Number.POSITIVE_INFINITY);
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      void locks?.request(name(fp), {}, () => held).catch(() => undefined);
      return (rotated) => {
        if (!rotated) {
          local.delete(fp);
          release();
          return;
        }
        local.set(fp, ports.clock.now() + SPENT_HOLD_MS);
        remember(fp);
        ports.timers.setTimeout(release, SPENT_HOLD_MS);
      };
    },
    async wasSpent(fp) {
      const until = local.get(fp);
      if (until !== undefined && until > ports.clock.now()) return true;
      if (readRecord().some(([f]) => f === fp)) return true;
      if (locks === undefined) return false;
      try {
        const result = await locks.request(name(fp), { ifAvailable: true }, (lock) =>
          Promise.resolve(lock === null),
        );
        return result === true;
      } catch {
        return false;
      }
    },
  };
}
