/**
 * @tessera/react — React bindings for `@tessera/browser`, with msal-react's names:
 * `MsalProvider`, `useMsal`, `useAccount`, `useIsAuthenticated`, `useMsalAuthentication`,
 * `AuthenticatedTemplate`, `UnauthenticatedTemplate`, `withMsal`; plus `useAccessToken` and
 * `useAuthFetch`. State comes from the core's snapshot through `useSyncExternalStore`.
 * @packageDocumentation
 */
export { MsalProvider } from './provider.js';
export type { MsalProviderProps } from './provider.js';
export {
  InteractionStatus,
  InteractionType,
  interactionStatusOf,
  SERVER_SNAPSHOT,
} from './client.js';
export type { MsalReactClient } from './client.js';
export { useAuthSnapshot } from './context.js';
export { useMsal, useAccount, useIsAuthenticated } from './hooks.js';
export type { MsalState, AccountIdentifiers } from './hooks.js';
export { useMsalAuthentication } from './use-msal-authentication.js';
export type { MsalAuthenticationResult } from './use-msal-authentication.js';
export { useAccessToken } from './use-access-token.js';
export { useAccessTokenSuspense } from './use-access-token-suspense.js';
export type {
  AccessTokenOptions,
  AccessTokenState,
  AccessTokenStatus,
} from './use-access-token.js';
export { useAuthFetch } from './use-auth-fetch.js';
export { AuthenticatedTemplate, UnauthenticatedTemplate, withMsal } from './templates.js';
export type { MsalTemplateProps, WithMsalProps } from './templates.js';
