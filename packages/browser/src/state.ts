import type { AuthError } from './errors/auth-error.js';
import { toAccount } from './flows/account.js';
import { defaultAccount } from './flows/silent-cache.js';
import type { FlowContext } from './flows/context.js';
import type { Account } from './types.js';

/**
 * Where the app's authentication stands:
 * - `starting`: the library is still handling a redirect response or reading its cache;
 * - `signedOut`: no account is signed in here;
 * - `signedIn`: at least one account is signed in;
 * - `interacting`: a popup or redirect (sign-in, token or sign-out) is under way in this tab.
 */
export type AuthStatus = 'starting' | 'signedOut' | 'signedIn' | 'interacting';

/** The interactive flow under way in this tab. */
export interface AuthInteraction {
  kind: 'login' | 'acquireToken' | 'logout';
  type: 'popup' | 'redirect';
}

/**
 * One immutable picture of the app's authentication, from
 * `UserAgentApplication.getSnapshot()`: the same object until something changes, so it can feed
 * React's `useSyncExternalStore` or an Angular signal directly.
 */
export interface AuthSnapshot {
  readonly status: AuthStatus;
  /**
   * The account calls without `account` are for (`getAccount()`): the active account, else the
   * only signed-in one; null when signed out or when several are signed in and none is active.
   */
  readonly account: Account | null;
  /** Every signed-in account, most recently signed in first. */
  readonly accounts: readonly Account[];
  /**
   * When the session of `account` ends, where the provider said so: the expiry of its refresh
   * token (Keycloak's `refresh_expires_in`). Null when unknown — most providers do not say — or
   * when there is no refresh token; a renewal that rotates the token moves it.
   */
  readonly sessionExpiresOn: Date | null;
  /** The popup or redirect under way, or null. */
  readonly interaction: Readonly<AuthInteraction> | null;
  /** The error of the last failed flow (silent ones too); a later success clears it. */
  readonly error: AuthError | null;
}

/** The snapshot before start-up finished, and the one to render on a server. */
export const STARTING_SNAPSHOT: AuthSnapshot = Object.freeze({
  status: 'starting',
  account: null,
  accounts: [],
  sessionExpiresOn: null,
  interaction: null,
  error: null,
});

/** Holds the snapshot and tells subscribers when it changed. */
export interface AuthState {
  getSnapshot(): AuthSnapshot;
  subscribe(listener: () => void): () => void;
}

/**
 * Builds the snapshot from what already reports every transition — the events the flows emit
 * and the cache's change notices — so it can never disagree with them. Created on first use:
 * apps that read no state pay for no event objects.
 */
export function createAuthState(
  ctx: Pick<FlowContext, 'cache' | 'events'>,
  isReady: () => boolean,
  ready: Promise<void>,
): AuthState {
  const listeners = new Set<() => void>();
  let interaction: AuthInteraction | null = null;
  let error: AuthError | null = null;
  let snapshot = STARTING_SNAPSHOT;

  // The cache's account list: a new array exactly when an account (or its tokens) changed.
  let seen: unknown;

  function update(): void {
    const raw = ctx.cache.getAccounts();
    const status: AuthStatus = interaction
      ? 'interacting'
      : !isReady()
        ? 'starting'
        : raw.length > 0
          ? 'signedIn'
          : 'signedOut';
    const s = snapshot;
    // Same content, same object: subscribers re-render only on a real change.
    const current = defaultAccount(ctx);
    const account = current === undefined ? null : toAccount(current);
    const ends =
      current === undefined ? undefined : ctx.cache.getRefreshTokenExpiry(current.homeAccountId);
    if (
      raw === seen &&
      account === s.account &&
      ends === s.sessionExpiresOn?.getTime() &&
      status === s.status &&
      interaction === s.interaction &&
      error === s.error
    ) {
      return;
    }
    seen = raw;
    const accounts = raw.map(toAccount);
    snapshot = Object.freeze({
      status,
      account,
      accounts,
      sessionExpiresOn: ends === undefined ? null : new Date(ends),
      interaction,
      error,
    });
    for (const listener of listeners) listener();
  }

  ctx.events.add((event) => {
    const match = /(login|acquireToken|logout)(Start|Success|Failure)/.exec(event.eventType);
    if (match === null) return;
    const kind = match[1] as AuthInteraction['kind'];
    const phase = match[2];
    const type = event.interactionType;
    if (type === 'popup' || type === 'redirect') {
      interaction = phase === 'Start' ? { kind, type } : null;
    }
    if (phase !== 'Start') error = event.error;
    update();
  });
  ctx.cache.subscribe(update);
  void ready.then(update);
  update();
  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
