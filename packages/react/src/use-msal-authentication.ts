import { useCallback, useEffect, useRef, useState } from 'react';
import {
  toAuthError,
  type AuthenticationParameters,
  type AuthError,
  type AuthResponse,
} from '@tessera/browser';
import type { InteractionType, MsalReactClient } from './client.js';
import { useAuthSnapshot, useMsalContext } from './context.js';
import type { AccountIdentifiers } from './hooks.js';
import { acquireShared, isInteractionInProgress } from './use-access-token.js';

/** What {@link useMsalAuthentication} returns (msal-react's `MsalAuthenticationResult`). */
export interface MsalAuthenticationResult {
  /** Signs in again, e.g. from a button after a popup was blocked. */
  login(
    callbackInteractionType?: InteractionType,
    callbackRequest?: AuthenticationParameters,
  ): Promise<AuthResponse | null>;
  /** Asks for a token: silently, then by `callbackInteractionType` on interaction-required. */
  acquireToken(
    callbackInteractionType?: InteractionType,
    callbackRequest?: AuthenticationParameters,
  ): Promise<AuthResponse | null>;
  /** The last response of sign-in or token acquisition. */
  result: AuthResponse | null;
  /** The last error; never `interaction_in_progress`, which is a status (`useMsal().inProgress`). */
  error: AuthError | null;
}

function signIn(
  instance: MsalReactClient,
  type: InteractionType,
  request: AuthenticationParameters,
): Promise<AuthResponse | null> {
  if (type === 'popup') return instance.loginPopup(request);
  if (type === 'redirect') return instance.loginRedirect(request).then(() => null);
  return instance.acquireTokenSilent(request);
}

/**
 * Signs the user in when nobody is (by `interactionType`), then acquires a token for
 * `authenticationRequest` silently, falling back to `interactionType` only on an
 * interaction-required error. Nothing starts while the core is starting or another interaction
 * is under way, and StrictMode's double mount starts nothing twice.
 */
export function useMsalAuthentication(
  interactionType: InteractionType,
  authenticationRequest: AuthenticationParameters = {},
  accountIdentifiers?: AccountIdentifiers,
): MsalAuthenticationResult {
  const { instance, getSnapshot } = useMsalContext();
  const snapshot = useAuthSnapshot();
  const [outcome, setOutcome] = useState<{ result: AuthResponse | null; error: AuthError | null }>({
    result: null,
    error: null,
  });
  const attempted = useRef<string | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const settle = useCallback(
    (promise: Promise<AuthResponse | null>): Promise<AuthResponse | null> =>
      promise.then(
        (result) => {
          if (mounted.current && result !== null) setOutcome({ result, error: null });
          return result;
        },
        (error: unknown) => {
          if (isInteractionInProgress(error)) return null;
          const authError = toAuthError(error);
          if (mounted.current) setOutcome({ result: null, error: authError });
          throw authError;
        },
      ),
    [],
  );

  const login = useCallback(
    (type: InteractionType = interactionType, request = authenticationRequest) =>
      settle(signIn(instance, type, request)),
    [instance, interactionType, authenticationRequest, settle],
  );

  const acquireToken = useCallback(
    (type: InteractionType = interactionType, request = authenticationRequest) => {
      const fallback = type === 'silent' ? undefined : type;
      const key = `${Math.random()}`; // an explicit call is never joined to another
      return settle(acquireShared(instance, key, request, fallback));
    },
    [instance, interactionType, authenticationRequest, settle],
  );

  const ids = accountIdentifiers;
  const account =
    ids === undefined
      ? snapshot.account
      : (snapshot.accounts.find(
          (a) =>
            (ids.homeAccountId === undefined || a.homeAccountId === ids.homeAccountId) &&
            (ids.localAccountId === undefined || a.localAccountId === ids.localAccountId) &&
            (ids.username === undefined || a.username === ids.username),
        ) ?? null);
  const step = snapshot.status === 'starting' || snapshot.interaction !== null ? null : account;

  useEffect(() => {
    // Act on the client's own snapshot, never a hydration render's server snapshot.
    const live = getSnapshot();
    if (live.status === 'starting' || live.interaction !== null) return;
    const target = step?.homeAccountId ?? '';
    if (attempted.current === target) return;
    attempted.current = target;
    if (step === null && live.error !== null) {
      // A sign-in that just failed (e.g. returning from a refused redirect): report it, and
      // leave the next attempt to the app's `login()` instead of looping.
      setOutcome({ result: null, error: live.error });
      return;
    }
    const request =
      step === null ? authenticationRequest : { ...authenticationRequest, account: step };
    const fallback = interactionType === 'silent' ? undefined : interactionType;
    const run =
      step === null
        ? signIn(instance, interactionType, request)
        : acquireShared(
            instance,
            `auth\n${target}\n${JSON.stringify(authenticationRequest)}`,
            request,
            fallback,
          );
    // Errors are in `error`; nothing is thrown at the app.
    settle(run).catch(() => undefined);
  }, [
    step,
    snapshot.status,
    instance,
    getSnapshot,
    interactionType,
    authenticationRequest,
    settle,
  ]);

  return { login, acquireToken, result: outcome.result, error: outcome.error };
}
