import { use } from 'react';
import type { AuthenticationParameters, AuthResponse } from '@tessera/browser';
import type { MsalReactClient } from './client.js';
import { useAuthSnapshot, useMsalContext } from './context.js';
import { acquireShared, requestKey, type AccessTokenOptions } from './use-access-token.js';

interface Entry {
  promise: Promise<AuthResponse>;
  response?: AuthResponse;
}

// A suspended component keeps no state, so the promise it waits for lives here, per client and
// request, until its token expires (or it failed, so the next render asks again).
const suspended = new WeakMap<MsalReactClient, Map<string, Entry>>();
const interactionEnds = new WeakMap<object, Promise<void>>();

/**
 * {@link useAccessToken} for Suspense: suspends until the token is there and returns the
 * response; a failure goes to the nearest error boundary. Returns null while nobody is signed in,
 * and suspends while a popup or redirect is under way.
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
  const account = request.account ?? snapshot.account;
  if (account === null) return null;
  if (snapshot.interaction !== null) {
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
  const key = requestKey(account, request, options.interactionType);
  let entries = suspended.get(instance);
  if (entries === undefined) suspended.set(instance, (entries = new Map<string, Entry>()));
  let entry = entries.get(key);
  if (entry?.response !== undefined && entry.response.expiresOn.getTime() <= Date.now()) {
    entry = undefined;
  }
  if (entry === undefined) {
    const fresh: Entry = {
      promise: acquireShared(instance, key, request, options.interactionType),
    };
    const table = entries;
    fresh.promise.then(
      (response) => void (fresh.response = response),
      () => void table.delete(key),
    );
    entries.set(key, (entry = fresh));
  }
  return entry.response ?? use(entry.promise);
}
