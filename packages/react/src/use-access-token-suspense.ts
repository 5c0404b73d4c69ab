import { use, useEffect, useReducer, type ReactPromise } from 'react';
import type { AuthenticationParameters, AuthResponse } from '@tessera/browser';
import type { MsalReactClient } from './client.js';
import { useAuthSnapshot, useMsalContext } from './context.js';
import { onPageVisible, renewalDelay } from './renewal.js';
import { acquireShared, requestKey, type AccessTokenOptions } from './use-access-token.js';

/**
 * A promise as React's `use` reads it (`ReactPromise`): `use` returns `value` (or throws
 * `reason`) at once when `status` says the promise settled, and instruments a promise itself
 * only when `status` is unset. Marking our promises as they settle lets the render after a
 * renewal read the new token synchronously (no fallback), so every render of a reader can call
 * `use` — React warns when a replayed render skips a `use` that suspended.
 */
type Readable<T> = Promise<T> & ReactPromise<T>;

function readable<T>(promise: Promise<T>): Readable<T> {
  // Block bodies: returning the promise itself from a handler would re-reject it, unhandled.
  promise.then(
    (value) => {
      void Object.assign(promise, { status: 'fulfilled', value });
    },
    (reason: unknown) => {
      void Object.assign(promise, { status: 'rejected', reason });
    },
  );
  return promise;
}

/** What the readers of one request share. */
interface Entry {
  /** What readers `use`: the first request, then each renewal once it brought a token. */
  promise: Readable<AuthResponse>;
  /** The token `promise` gave, once it did. */
  response: AuthResponse | undefined;
  /** The expiry of the token before the latest renewal: tells a renewal that brought no newer one. */
  previous: Date | undefined;
  /** The renewal under way, shared by every reader whose timer fires. */
  renewal: Promise<AuthResponse> | undefined;
  /** Mounted readers, re-rendered when a renewal brings a new token. */
  readonly listeners: Set<() => void>;
}

// A suspended component keeps no state, so the promise it waits for lives here, per client and
// request: until it failed (so the next render asks again), renewed before its token expires by
// the mounted readers' timers, and asked for again if it expired all the same (no reader was
// mounted, a renewal failed, the machine slept): an expired token is never served.
const suspended = new WeakMap<MsalReactClient, Map<string, Entry>>();
const interactionEnds = new WeakMap<object, Promise<void>>();

function expired(response: AuthResponse): boolean {
  return response.expiresOn.getTime() <= Date.now();
}

/** The entry of `key`, asking for a token when it has none yet or its token expired. */
function entryFor(
  instance: MsalReactClient,
  key: string,
  request: AuthenticationParameters,
  interactionType: 'popup' | 'redirect' | undefined,
): Entry {
  let table = suspended.get(instance);
  if (table === undefined) suspended.set(instance, (table = new Map<string, Entry>()));
  const existing = table.get(key);
  if (existing !== undefined && (existing.response === undefined || !expired(existing.response))) {
    return existing; // a token to show, or the first request under way
  }
  const promise = readable(acquireShared(instance, key, request, interactionType));
  let entry: Entry;
  if (existing === undefined) {
    entry = {
      promise,
      response: undefined,
      previous: undefined,
      renewal: undefined,
      listeners: new Set(),
    };
    table.set(key, entry);
  } else {
    // The same entry, so its mounted readers keep listening.
    entry = existing;
    entry.promise = promise;
    entry.response = undefined;
    entry.previous = undefined;
  }
  const entries = table;
  promise.then(
    (response) => {
      if (entry.promise === promise) entry.response = response;
    },
    () => {
      if (entries.get(key) === entry && entry.promise === promise) entries.delete(key);
    },
  );
  return entry;
}

/**
 * Asks again for the token of `entry`, once for all its readers; on success the readers
 * re-render with the new token, without suspending.
 */
function renewEntry(
  instance: MsalReactClient,
  key: string,
  entry: Entry,
  request: AuthenticationParameters,
  interactionType: 'popup' | 'redirect' | undefined,
): Promise<AuthResponse> {
  if (entry.renewal !== undefined) return entry.renewal;
  const base = entry.promise;
  const renewal = readable(acquireShared(instance, key, request, interactionType));
  entry.renewal = renewal;
  renewal.then(
    (response) => {
      entry.renewal = undefined;
      // Reset meanwhile (its token expired first): the new request's answer is the one shown.
      if (entry.promise !== base || entry.response === undefined) return;
      entry.previous = entry.response.expiresOn;
      entry.response = response;
      entry.promise = renewal; // settled and marked: readers read it without suspending
      for (const listener of [...entry.listeners]) listener();
    },
    () => {
      entry.renewal = undefined;
    },
  );
  return renewal;
}

/**
 * {@link useAccessToken} for Suspense: suspends until the token is there and returns the
 * response; a failure goes to the nearest error boundary. Returns null while nobody is signed in,
 * and suspends while a popup or redirect is under way.
 *
 * The token is kept fresh as {@link useAccessToken} keeps it: shortly before it expires, the
 * mounted readers ask again (one call for all of them) and re-render with the new response,
 * without suspending. A failed renewal keeps the token until it expires; a token that has
 * expired is never returned — the reader suspends while it is asked for again, and a failure
 * then goes to the error boundary.
 *
 * @example
 * <Suspense fallback={<Spinner />}><Orders /></Suspense>
 * function Orders() { const { accessToken } = useAccessTokenSuspense({ scopes: ['api'] })!; ... }
 */
export function useAccessTokenSuspense(
  request: AuthenticationParameters,
  options: Omit<AccessTokenOptions, 'skip'> = {},
): AuthResponse | null {
  const { instance, subscribe } = useMsalContext();
  const snapshot = useAuthSnapshot();
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const account = request.account ?? snapshot.account;
  if (account !== null && snapshot.interaction !== null) {
    // Wait for the interaction to end: one promise per interaction (the snapshot keeps the same
    // object while it lasts), so every render waits on the same one.
    let ended = interactionEnds.get(snapshot.interaction);
    if (ended === undefined) {
      ended = new Promise<void>((resolve) => {
        const stop = subscribe(() => {
          stop();
          resolve();
        });
      });
      interactionEnds.set(snapshot.interaction, ended);
    }
    use(ended);
  }
  const key = account === null ? null : requestKey(account, request, options.interactionType);
  const entry =
    key === null ? undefined : entryFor(instance, key, request, options.interactionType);
  const response = entry === undefined ? null : use(entry.promise);

  useEffect(() => {
    if (key === null || entry === undefined || response === null) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let due: { at: number; run: () => void } | undefined;
    const schedule = (delay: number | undefined, run: () => void) => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      due = undefined;
      if (delay === undefined) return;
      due = { at: Date.now() + delay, run };
      timer = setTimeout(run, delay);
    };
    const renew = () => {
      schedule(undefined, renew);
      // Another reader's timer fired first and its renewal already landed: this reader
      // re-renders with that token and schedules from it, asking nothing.
      if (entry.response !== response) return;
      renewEntry(instance, key, entry, request, options.interactionType).catch(() => {
        // Keep the token while it is valid. When it expires, re-render: the render finds it
        // expired, asks again and suspends, and a failure then reaches the error boundary.
        if (active) schedule(Math.max(0, response.expiresOn.getTime() - Date.now()), rerender);
      });
    };
    entry.listeners.add(rerender);
    schedule(renewalDelay(response.expiresOn, Date.now(), entry.previous), renew);
    const stopListening = onPageVisible(() => {
      if (due !== undefined && Date.now() >= due.at) due.run();
    });
    return () => {
      active = false;
      schedule(undefined, renew);
      entry.listeners.delete(rerender);
      stopListening();
    };
    // `request` is represented by `key`.
  }, [instance, key, entry, response]);

  return response;
}
