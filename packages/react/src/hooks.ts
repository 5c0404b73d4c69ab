import type { Account, AuthSnapshot } from '@tessera/browser';
import { interactionStatusOf, type InteractionStatus, type MsalReactClient } from './client.js';
import { useAuthSnapshot, useMsalContext } from './context.js';

/** What {@link useMsal} returns (msal-react's `IMsalContext`). */
export interface MsalState {
  /** The client given to `MsalProvider`. */
  instance: MsalReactClient;
  /** Every signed-in account, most recently signed in first. */
  accounts: readonly Account[];
  /** The interaction under way; wait for `none` before acting on `accounts`. */
  inProgress: InteractionStatus;
}

/** Fields that identify an account; any one given must match (msal-react's `AccountIdentifiers`). */
export interface AccountIdentifiers {
  homeAccountId?: string;
  localAccountId?: string;
  username?: string;
}

/** The client, the accounts and what is in progress; re-renders when any of them changes. */
export function useMsal(): MsalState {
  const { instance } = useMsalContext();
  const snapshot = useAuthSnapshot();
  return { instance, accounts: snapshot.accounts, inProgress: interactionStatusOf(snapshot) };
}

function find(snapshot: AuthSnapshot, ids: AccountIdentifiers | undefined): Account | null {
  if (ids === undefined) return snapshot.account;
  const keys = (['homeAccountId', 'localAccountId', 'username'] as const).filter(
    (key) => ids[key] !== undefined,
  );
  // msal-react's idiom `useAccount(accounts[0] || {})`: no identifiers means no account.
  if (keys.length === 0) return null;
  return snapshot.accounts.find((a) => keys.every((key) => a[key] === ids[key])) ?? null;
}

/**
 * The signed-in account matching `accountIdentifiers`, or, without them, the active account
 * (the only one, else the most recent); null when there is none.
 */
export function useAccount(accountIdentifiers?: AccountIdentifiers): Account | null {
  return find(useAuthSnapshot(), accountIdentifiers);
}

/** True when an account (the one matching `matchAccount`, if given) is signed in. */
export function useIsAuthenticated(matchAccount?: AccountIdentifiers): boolean {
  const snapshot = useAuthSnapshot();
  return matchAccount === undefined
    ? snapshot.accounts.length > 0
    : find(snapshot, matchAccount) !== null;
}
