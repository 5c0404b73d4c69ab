import type { ComponentType, ReactNode } from 'react';
import type { AuthSnapshot } from '@tessera/browser';
import { useAuthSnapshot } from './context.js';
import { useMsal, type AccountIdentifiers, type MsalState } from './hooks.js';

/** Props of the templates: optionally, which account must (or must not) be signed in. */
export interface MsalTemplateProps extends AccountIdentifiers {
  children?: ReactNode;
}

function matches(snapshot: AuthSnapshot, ids: AccountIdentifiers): boolean {
  return snapshot.accounts.some(
    (a) =>
      (ids.homeAccountId === undefined || a.homeAccountId === ids.homeAccountId) &&
      (ids.localAccountId === undefined || a.localAccountId === ids.localAccountId) &&
      (ids.username === undefined || a.username === ids.username),
  );
}

/** Renders its children only while an account (the one named, if any) is signed in. */
export function AuthenticatedTemplate({ children, ...ids }: MsalTemplateProps): ReactNode {
  return matches(useAuthSnapshot(), ids) ? children : null;
}

/**
 * Renders its children only when no account (the one named, if any) is signed in, once the
 * core has started and no sign-in or sign-out is under way — so a returning user does not see a
 * flash of the signed-out view.
 */
export function UnauthenticatedTemplate({ children, ...ids }: MsalTemplateProps): ReactNode {
  const snapshot = useAuthSnapshot();
  const settled = snapshot.status === 'signedOut' || snapshot.status === 'signedIn';
  return settled && !matches(snapshot, ids) ? children : null;
}

/** The prop {@link withMsal} adds. */
export interface WithMsalProps {
  msalContext: MsalState;
}

/** Gives a class component what {@link useMsal} gives a function component, as `msalContext`. */
export function withMsal<P extends WithMsalProps>(
  Component: ComponentType<P>,
): ComponentType<Omit<P, keyof WithMsalProps>> {
  function WithMsal(props: Omit<P, keyof WithMsalProps>): ReactNode {
    const msalContext = useMsal();
    return <Component {...(props as P)} msalContext={msalContext} />;
  }
  WithMsal.displayName = `withMsal(${Component.displayName ?? Component.name})`;
  return WithMsal;
}
