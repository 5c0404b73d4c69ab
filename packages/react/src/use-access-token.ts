import { useEffect, useRef, useState } from 'react';
import {
  isInteractionRequiredAuthError,
  toAuthError,
  INTERACTION_IN_PROGRESS,
  type Account,
  type AuthenticationParameters,
  type AuthError,
  type AuthResponse,
} from '@tessera/browser';
import type { MsalReactClient } from './client.js';
import { useAuthSnapshot, useMsalContext } from './context.js';
import { onPageVisible, renewalDelay } from './renewal.js';

interface Flight {
  key: string;
  promise: Promise<AuthResponse>;
}

/**
 * Where a token request stands: `idle` (nobody signed in, or `skip`), `loading` (also while a
 * popup or redirect is under way: the request waits for it), `success`, `error`.
 */
export type AccessTokenStatus = 'idle' | 'loading' | 'success' | 'error';

/** What {@link useAccessToken} returns. */
export interface AccessTokenState {
  /** The access token, when `status` is `success`. */
  token: string | null;
  /** The whole response (scopes granted, expiry, account), when `status` is `success`. */
  response: AuthResponse | null;
  /** Why it failed, when `status` is `error`; never `interaction_in_progress`. */
  error: AuthError | null;
  status: AccessTokenStatus;
}

/** Options of {@link useAccessToken}. */
export interface AccessTokenOptions {
  /**
   * Fall back to a popup or redirect when — and only when — the silent request fails with an
   * `InteractionRequiredAuthError`. Default: no fallback, the error is returned.
   */
  interactionType?: 'popup' | 'redirect';
  /** Do not ask for now (e.g. until the user opened the page that needs the token). */
  skip?: boolean;
}

/** `JSON.stringify` with sorted object keys, so equal requests written differently match. */
function stableKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** One key per account, request content and fallback. */
export function requestKey(
  account: Account,
  request: AuthenticationParameters,
  interactionType: 'popup' | 'redirect' | undefined,
): string {
  return `${account.homeAccountId}\n${interactionType ?? ''}\n${stableKey({ ...request, account: undefined })}`;
}

// Components asking for the same token at once share one call (five components, one request).
const inFlight = new WeakMap<MsalReactClient, Map<string, Promise<AuthResponse>>>();

/**
 * Silent, then — only if asked and only on an interaction-required error — interactive. A
 * redirect never resolves: the page leaves.
 */
export function acquireShared(
  instance: MsalReactClient,
  key: string,
  request: AuthenticationParameters,
  interactionType: 'popup' | 'redirect' | undefined,
): Promise<AuthResponse> {
  let calls = inFlight.get(instance);
  if (calls === undefined)
    inFlight.set(instance, (calls = new Map<string, Promise<AuthResponse>>()));
  const shared = calls.get(key);
  if (shared !== undefined) return shared;
  const promise = instance.acquireTokenSilent(request).catch(async (error: unknown) => {
    if (interactionType === undefined || !isInteractionRequiredAuthError(error)) throw error;
    if (interactionType === 'popup') return instance.acquireTokenPopup(request);
    await instance.acquireTokenRedirect(request);
    return new Promise<AuthResponse>(() => undefined);
  });
  calls.set(key, promise);
  const done = () => void calls.delete(key);
  promise.then(done, done);
  return promise;
}

/** True for the error of a second interaction while one is under way: a status, not a failure. */
export function isInteractionInProgress(error: unknown): boolean {
  return toAuthError(error).errorCode === INTERACTION_IN_PROGRESS;
}

/**
 * An access token for `request`, for the active account (or `request.account`): requested when
 * someone is signed in, again when the account or the request changes, and held back while a
 * popup or redirect is under way. Equal requests from several components make one call, and
 * StrictMode's double mount makes no second one.
 *
 * The token is kept fresh: shortly before `response.expiresOn` (a minute before, or at half the
 * remaining time for short-lived tokens) the hook asks again with `acquireTokenSilent` only: a
 * renewal runs from a timer, outside any user gesture, where a popup would be blocked and a
 * redirect would leave the page unasked. It returns the new token, with `status` staying `success` meanwhile. It also asks at once when
 * the page becomes visible after the renewal fell due (timers stop while a machine sleeps). If a
 * renewal fails while the token shown is still valid, the hook keeps it and tries once more when
 * it expires; only when that fails too does it return the error. Unmounting, or a new account
 * or request, cancels the pending renewal.
 *
 * @example
 * const { token, status, error } = useAccessToken({ scopes: ['api://orders/read'] });
 */
export function useAccessToken(
  request: AuthenticationParameters,
  options: AccessTokenOptions = {},
): AccessTokenState {
  const { instance } = useMsalContext();
  const snapshot = useAuthSnapshot();
  const account = request.account ?? snapshot.account;
  const waiting = snapshot.interaction !== null;
  const key =
    account === null || options.skip === true || waiting
      ? null
      : requestKey(account, request, options.interactionType);
  const [result, setResult] = useState<{ key: string; state: AccessTokenState } | null>(null);
  // The call this component follows: the first one, or the latest renewal. StrictMode's second
  // effect run, and a run after an interaction, join it instead of asking again.
  const flight = useRef<Flight | null>(null);

  useEffect(() => {
    if (key === null) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let dueAt: number | undefined;
    // The expiry of the token this run has shown, to tell a renewal that brought no newer one.
    let shown: Date | undefined;

    const schedule = (delay: number | undefined) => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      dueAt = undefined;
      if (delay === undefined) return;
      dueAt = Date.now() + delay;
      timer = setTimeout(renew, delay);
    };
    const renew = () => {
      schedule(undefined);
      // Components showing the same token renew at the same instant (expiresOn minus the
      // margin), so their calls meet in acquireShared while the first one is under way.
      // The interactive fallback only for the first token: a renewal runs from a timer, outside
      // any user gesture, where a popup would be blocked.
      const fallback = shown === undefined ? options.interactionType : undefined;
      const next = { key, promise: acquireShared(instance, key, request, fallback) };
      flight.current = next;
      follow(next, false);
    };
    /** Retry when the token shown expires; false when there is none still valid. */
    const retryAtExpiry = (): boolean => {
      if (shown === undefined || shown.getTime() <= Date.now()) return false;
      schedule(renewalDelay(shown, Date.now(), shown));
      return true;
    };
    const follow = (current: Flight, joined: boolean) => {
      current.promise.then(
        (response) => {
          if (!active) return;
          // A call joined after a long interaction may have settled with a token that has
          // expired since: ask for a new one instead of showing it.
          if (joined && response.expiresOn.getTime() <= Date.now()) {
            renew();
            return;
          }
          setResult({
            key,
            state: { token: response.accessToken, response, error: null, status: 'success' },
          });
          schedule(renewalDelay(response.expiresOn, Date.now(), shown));
          shown = response.expiresOn;
        },
        (error: unknown) => {
          if (isInteractionInProgress(error)) {
            // Another popup or redirect is under way: this request runs again after it.
            if (flight.current === current) flight.current = null;
            if (active) retryAtExpiry();
            return;
          }
          if (!active || retryAtExpiry()) return;
          setResult({
            key,
            state: { token: null, response: null, error: toAuthError(error), status: 'error' },
          });
        },
      );
    };

    // StrictMode runs this effect twice: the second run joins the first run's call.
    const current = flight.current;
    if (current?.key === key) follow(current, true);
    else renew();
    const stopListening = onPageVisible(() => {
      if (dueAt !== undefined && Date.now() >= dueAt) renew();
    });
    return () => {
      active = false;
      schedule(undefined);
      stopListening();
    };
    // `request` is represented by `key`: a new object with the same content asks nothing new.
  }, [key, instance]);

  if (key !== null && result?.key === key) return result.state;
  return {
    token: null,
    response: null,
    error: null,
    status:
      key !== null || (waiting && account !== null && options.skip !== true) ? 'loading' : 'idle',
  };
}
