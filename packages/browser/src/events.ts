import type { AuthError } from './errors/auth-error.js';
import type { Logger } from './logger.js';
import type { Account, AuthenticationParameters, AuthResponse } from './types.js';

/** Event names, as the seed and msal-angular's BroadcastService use them. */
export const EventType = {
  LOGIN_START: 'msal:loginStart',
  LOGIN_SUCCESS: 'msal:loginSuccess',
  LOGIN_FAILURE: 'msal:loginFailure',
  ACQUIRE_TOKEN_START: 'msal:acquireTokenStart',
  ACQUIRE_TOKEN_SUCCESS: 'msal:acquireTokenSuccess',
  ACQUIRE_TOKEN_FAILURE: 'msal:acquireTokenFailure',
  HANDLE_REDIRECT_START: 'msal:handleRedirectStart',
  HANDLE_REDIRECT_END: 'msal:handleRedirectEnd',
  LOGOUT_START: 'msal:logoutStart',
  LOGOUT_SUCCESS: 'msal:logoutSuccess',
  LOGOUT_FAILURE: 'msal:logoutFailure',
  ACCOUNT_ADDED: 'msal:accountAdded',
  ACCOUNT_REMOVED: 'msal:accountRemoved',
  ACTIVE_ACCOUNT_CHANGED: 'msal:activeAccountChanged',
  SESSION_ENDED: 'msal:sessionEnded',
  IDLE_WARNING: 'msal:idleWarning',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** How a flow reached the provider. */
export type InteractionType = 'silent' | 'popup' | 'redirect' | 'none';

/**
 * Why a session ended, in `msal:sessionEnded`:
 * - `signed_out`: sign-out in this tab;
 * - `signed_out_in_another_tab`: sign-out in another tab of this app;
 * - `refresh_token_rejected`: the provider refused the refresh token and the hidden iframe
 *   could not renew either, so only an interactive sign-in helps;
 * - `provider_session_ended`: the provider has no session for the user any more (the iframe's
 *   `prompt=none` answered `login_required`) and there is no refresh token to fall back on;
 * - `idle`: no user activity in any tab for `system.idleTimeout`.
 */
export type SessionEndReason =
  | 'signed_out'
  | 'signed_out_in_another_tab'
  | 'refresh_token_rejected'
  | 'provider_session_ended'
  | 'idle';

/** The payload of `msal:sessionEnded`: one signal, whatever ended the session. */
export interface SessionEnded {
  reason: SessionEndReason;
  account: Account;
}

/** What each event carries as `payload`. */
export interface EventPayloadMap {
  'msal:loginStart': AuthenticationParameters;
  'msal:loginSuccess': AuthResponse;
  'msal:loginFailure': null;
  'msal:acquireTokenStart': AuthenticationParameters;
  'msal:acquireTokenSuccess': AuthResponse;
  'msal:acquireTokenFailure': null;
  'msal:handleRedirectStart': null;
  'msal:handleRedirectEnd': AuthResponse | null;
  'msal:logoutStart': Account | null;
  'msal:logoutSuccess': Account | null;
  'msal:logoutFailure': null;
  'msal:accountAdded': Account;
  'msal:accountRemoved': Account | null;
  /** The new active account, or null (none set, or it signed out). */
  'msal:activeAccountChanged': Account | null;
  'msal:sessionEnded': SessionEnded;
  /** Idle sign-out is near: it happens in `remainingMs` unless the user acts in some tab. */
  'msal:idleWarning': { remainingMs: number };
}

/** One event. Failure events carry the error in `error`. */
export interface AuthEvent<T extends EventType = EventType> {
  eventType: T;
  interactionType: InteractionType;
  payload: EventPayloadMap[T];
  error: AuthError | null;
  timestamp: number;
}

/** Any event, discriminated by `eventType`. */
export type AnyAuthEvent = { [K in EventType]: AuthEvent<K> }[EventType];

/** Receives events. */
export type EventCallback = (event: AnyAuthEvent) => void;

/** Publishes library events to app callbacks; a throwing callback never breaks a flow. */
export class EventHub {
  #callbacks = new Map<string, EventCallback>();
  #nextId = 0;
  readonly #logger: Logger;
  readonly #now: () => number;

  constructor(logger: Logger, now: () => number) {
    this.#logger = logger;
    this.#now = now;
  }

  /** Registers a callback for every event; returns its id for {@link EventHub.remove}. */
  add(callback: EventCallback): string {
    const id = `cb${++this.#nextId}`;
    this.#callbacks.set(id, callback);
    return id;
  }

  remove(id: string): void {
    this.#callbacks.delete(id);
  }

  /** Registers a handler for one event type; returns the unsubscribe function. */
  on<T extends EventType>(type: T, handler: (event: AuthEvent<T>) => void): () => void {
    const id = this.add((event) => {
      if (event.eventType === type) handler(event as AuthEvent<T>);
    });
    return () => this.remove(id);
  }

  emit<T extends EventType>(
    eventType: T,
    interactionType: InteractionType,
    payload: EventPayloadMap[T],
    error: AuthError | null = null,
  ): void {
    // Most apps listen to nothing: a cache hit then builds no event at all.
    if (this.#callbacks.size === 0) return;
    const event = {
      eventType,
      interactionType,
      payload,
      error,
      timestamp: this.#now(),
    } as AnyAuthEvent;
    for (const callback of [...this.#callbacks.values()]) {
      try {
        callback(event);
      } catch {
        this.#logger.warning(`An event callback for ${eventType} threw; the flow goes on.`);
      }
    }
  }
}
