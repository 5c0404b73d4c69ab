/**
 * Renewal ahead of use (opt-in, `system.autoRenew`): the token requests the app made are
 * renewed before their tokens expire, and again whenever the tab becomes visible, comes back
 * online or is restored from the back/forward cache. Browsers throttle timers in background
 * tabs and stop them in sleeping machines, so the page events are what make it dependable; a
 * token is in any case checked when it is used, never handed out expired.
 */
import type { FlowContext } from '../flows/context.js';
import type { AuthenticationParameters, AuthResponse } from '../types.js';

/** Distinct requests remembered at most; the oldest go first. */
const REMEMBERED = 10;

/** The auto-renewer of one application instance. */
export interface AutoRenewer {
  /** Records a request that succeeded and schedules its renewal before `response` expires. */
  remember(request: AuthenticationParameters, response: AuthResponse): void;
  stop(): void;
}

export function createAutoRenewer(
  ctx: Pick<FlowContext, 'config' | 'ports'>,
  acquire: (request: AuthenticationParameters) => Promise<unknown>,
): AutoRenewer {
  const { timers, clock } = ctx.ports;
  const offset = ctx.config.tokenRenewalOffsetSeconds * 1000;
  const requests = new Map<
    string,
    { request: AuthenticationParameters; timer: unknown; expiresAt: number }
  >();
  const renew = (request: AuthenticationParameters) => void acquire(request).catch(() => undefined); // the failure event already told the app

  const renewAll = () => {
    for (const { request } of requests.values()) renew(request);
  };
  const onVisible = () => {
    if (ctx.ports.window?.document.visibilityState !== 'hidden') renewAll();
  };
  const win = ctx.ports.window;
  win?.addEventListener('visibilitychange', onVisible);
  win?.addEventListener('online', renewAll);
  win?.addEventListener('pageshow', renewAll);

  return {
    remember(request, response) {
      const key = JSON.stringify([
        response.account.homeAccountId,
        request.scopes ?? [],
        request.resource ?? [],
      ]);
      const expiresAt = response.expiresOn.getTime();
      const previous = requests.get(key);
      // A cache hit of the token already scheduled: nothing to do (this runs on every hit).
      if (previous?.expiresAt === expiresAt) return;
      if (previous !== undefined) timers.clearTimeout(previous.timer);
      requests.delete(key);
      const now = clock.now();
      // The cache serves a token until min(offset, half its life) before expiry: renew then.
      const lifetime = Math.max(0, expiresAt - now);
      const due = Math.max(0, expiresAt - Math.min(offset, lifetime / 2) - now);
      // For the account that got the token, and never forced: a renewal that is not due yet
      // is a cache hit.
      const remembered = { ...request, account: response.account, forceRefresh: false };
      const timer = timers.setTimeout(() => renew(remembered), due + 50);
      requests.set(key, { request: remembered, timer, expiresAt });
      for (const [oldKey, entry] of requests) {
        if (requests.size <= REMEMBERED) break;
        timers.clearTimeout(entry.timer);
        requests.delete(oldKey);
      }
    },
    stop() {
      for (const { timer } of requests.values()) timers.clearTimeout(timer);
      requests.clear();
      win?.removeEventListener('visibilitychange', onVisible);
      win?.removeEventListener('online', renewAll);
      win?.removeEventListener('pageshow', renewAll);
    },
  };
}
