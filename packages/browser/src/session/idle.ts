/**
 * Idle sign-out (opt-in, `system.idleTimeout`): no user activity in any tab of the app for that
 * long signs the user out of every tab. Loaded only by apps that turn it on.
 */
import type { FlowContext } from '../flows/context.js';

/** What counts as the user being there. */
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;
/** How often the idle clock is read, and the most often activity is written for other tabs. */
export const IDLE_TICK_MS = 1000;

/**
 * Watches for activity here and (through `localStorage`) in the app's other tabs; fires
 * `msal:idleWarning` once per idle stretch, `idleWarning` ms before the limit, and calls
 * `signOut` when the limit is reached. Timers may be throttled in background tabs: every tab
 * checks on its own, and the sign-out of any one reaches the others. Returns the stop function.
 *
 * @param key - the shared activity key (`activityKey(clientId)` in `cache/keys.ts`).
 */
export function watchIdle(
  ctx: Pick<FlowContext, 'cache' | 'config' | 'events' | 'logger' | 'ports'>,
  key: string,
  signOut: () => Promise<void>,
): () => void {
  const win = ctx.ports.window;
  if (win === undefined) return () => undefined;
  const { clock, timers } = ctx.ports;
  const { idleTimeout, idleWarning } = ctx.config;
  const warnAfter = idleTimeout - Math.min(idleWarning, idleTimeout / 2);
  const shared = (): Storage | undefined => {
    try {
      return win.localStorage;
    } catch {
      return undefined;
    }
  };
  let last = clock.now();
  let written = 0;
  let warned = false;
  const onActivity = () => {
    last = clock.now();
    if (last - written < IDLE_TICK_MS) return;
    written = last;
    try {
      shared()?.setItem(key, String(last));
    } catch {
      // This tab still counts its own activity.
    }
  };
  const latestActivity = () => Math.max(last, Number(shared()?.getItem(key)) || 0);
  for (const type of ACTIVITY)
    win.addEventListener(type, onActivity, { capture: true, passive: true });
  const tick = () => {
    const now = clock.now();
    // Nobody signed in: nothing to end, and signing in starts a fresh stretch.
    if (ctx.cache.getAccounts().length === 0) {
      last = now;
      warned = false;
      return;
    }
    const idle = now - latestActivity();
    if (idle >= idleTimeout) {
      last = now;
      warned = false;
      void signOut().catch(() => ctx.logger.warning('Idle sign-out failed.'));
    } else if (idle < warnAfter) {
      warned = false;
    } else if (!warned) {
      warned = true;
      ctx.events.emit('msal:idleWarning', 'none', { remainingMs: idleTimeout - idle });
    }
  };
  const handle = timers.setInterval(tick, IDLE_TICK_MS);
  return () => {
    timers.clearInterval(handle);
    for (const type of ACTIVITY) win.removeEventListener(type, onActivity, { capture: true });
  };
}
