import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AuthSnapshot } from '@tessera/browser';
import { SERVER_SNAPSHOT, type MsalReactClient } from './client.js';

/** What `MsalProvider` shares: the client and stable store functions over it. */
export interface MsalContextValue {
  instance: MsalReactClient;
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => AuthSnapshot;
}

export const MsalContext = createContext<MsalContextValue | null>(null);

/** The provider's value; throws a clear error outside an `MsalProvider`. */
export function useMsalContext(): MsalContextValue {
  const value = useContext(MsalContext);
  if (value === null) {
    throw new Error('@tessera/react: wrap the app in <MsalProvider instance={app}>.');
  }
  return value;
}

const serverSnapshot = () => SERVER_SNAPSHOT;

/**
 * The core's state snapshot, re-rendering only when it changes. No state of our own: the core's
 * snapshot is the one source.
 */
export function useAuthSnapshot(): AuthSnapshot {
  const { subscribe, getSnapshot } = useMsalContext();
  return useSyncExternalStore(subscribe, getSnapshot, serverSnapshot);
}
