import { useMemo, type ReactNode } from 'react';
import type { MsalReactClient } from './client.js';
import { MsalContext, type MsalContextValue } from './context.js';

/** Props of {@link MsalProvider}. */
export interface MsalProviderProps {
  /** The app's one `UserAgentApplication` (create it once, outside any component). */
  instance: MsalReactClient;
  children?: ReactNode;
}

/**
 * Makes `instance` available to the hooks below it. The core handles a redirect response by
 * itself when it is created, once per page load, so the provider starts nothing and StrictMode's
 * double mount cannot handle a redirect twice. To return to the right route without a reload,
 * give the core a `system.navigationClient` that calls your router.
 */
export function MsalProvider({ instance, children }: MsalProviderProps): ReactNode {
  const value = useMemo<MsalContextValue>(
    () => ({
      instance,
      subscribe: (listener) => instance.subscribe(listener),
      getSnapshot: () => instance.getSnapshot(),
    }),
    [instance],
  );
  return <MsalContext value={value}>{children}</MsalContext>;
}
