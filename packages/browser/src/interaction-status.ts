import type { AuthSnapshot } from './state.js';

/**
 * msal's `InteractionStatus` values (`@azure/msal-browser`), which msal-angular's `inProgress$`
 * and msal-react's `inProgress` report: `startup` until the core has handled any redirect
 * response and read its cache, then the kind of popup or redirect under way (`login`,
 * `acquireToken`, `logout`), else `none`. Silent renewals are not interactions. The framework
 * wrappers share this one definition.
 */
export const InteractionStatus = {
  Startup: 'startup',
  Login: 'login',
  AcquireToken: 'acquireToken',
  Logout: 'logout',
  None: 'none',
} as const;
export type InteractionStatus = (typeof InteractionStatus)[keyof typeof InteractionStatus];

/** The {@link InteractionStatus} a snapshot stands for. */
export function interactionStatusOf(snapshot: AuthSnapshot): InteractionStatus {
  if (snapshot.interaction !== null) return snapshot.interaction.kind;
  return snapshot.status === 'starting' ? InteractionStatus.Startup : InteractionStatus.None;
}
