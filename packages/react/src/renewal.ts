/**
 * When the hooks ask again for a token they show, so that it is renewed before it expires.
 *
 * The core's cache serves a token until `min(tokenRenewalOffsetSeconds, half its lifetime)`
 * before it expires and renews it after that (see `UserAgentApplication.acquireTokenSilent`), so
 * calling `acquireTokenSilent` again inside that window returns a fresh token. The hooks do not
 * know the app's offset (default 300 s): they ask {@link RENEWAL_MARGIN_MS} before expiry, or at
 * half the remaining time for short-lived tokens, which is inside the window for any offset of
 * at least that much. With a smaller offset the cache still serves the old token then; the next
 * try is at expiry, where the cache can no longer serve it.
 */

/** Ask this long before `expiresOn` at most (less than the core's default 300 s offset). */
export const RENEWAL_MARGIN_MS = 60_000;

/**
 * The shortest wait between two tries. A client that hands out a token already expired (the core
 * never does) must not make the hooks ask in a tight loop.
 */
const MIN_DELAY_MS = 1_000;

/** The wait after a renewal that brought back a token no newer and already expired. */
const RETRY_DELAY_MS = 30_000;

/**
 * `setTimeout`'s largest delay (2^31 - 1 ms, about 24.8 days): browsers fire a longer one at
 * once. A longer-lived token is asked for again after that time and served from the cache.
 */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * Milliseconds from `now` until the token that expires at `expiresOn` should be asked for again,
 * or undefined when `expiresOn` is not a valid date (nothing to schedule).
 *
 * @param previousExpiresOn - The expiry of the token before this one, when this one came from a
 *   renewal: a token no newer means the cache still served the old one (the app's renewal
 *   offset is below the margin), so the next try waits until it expires.
 */
export function renewalDelay(
  expiresOn: Date,
  now: number,
  previousExpiresOn?: Date,
): number | undefined {
  const expiresAt = expiresOn.getTime();
  if (!Number.isFinite(expiresAt)) return undefined;
  const remaining = expiresAt - now;
  let delay: number;
  if (previousExpiresOn !== undefined && expiresAt <= previousExpiresOn.getTime()) {
    delay = remaining > 0 ? remaining : RETRY_DELAY_MS;
  } else {
    delay = remaining - Math.min(RENEWAL_MARGIN_MS, remaining / 2);
  }
  return Math.min(Math.max(delay, MIN_DELAY_MS), MAX_TIMER_DELAY_MS);
}

/**
 * Calls `callback` whenever the page becomes visible again. Browsers throttle timers in
 * background tabs and stop them while the machine sleeps, so a renewal can be overdue when the
 * user comes back; the hooks check then. Returns the function that stops listening.
 */
export function onPageVisible(callback: () => void): () => void {
  if (typeof document === 'undefined') return () => undefined;
  const listener = () => {
    if (document.visibilityState !== 'hidden') callback();
  };
  document.addEventListener('visibilitychange', listener);
  return () => document.removeEventListener('visibilitychange', listener);
}
