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

/** How long a spent fingerprint stays marked: far longer than storage takes to reach tabs. */
export const SPENT_HOLD_MS = 30_000;

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
        ports.timers.setTimeout(release, SPENT_HOLD_MS);
      };
    },
    async wasSpent(fp) {
      const until = local.get(fp);
      if (until !== undefined && until > ports.clock.now()) return true;
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
