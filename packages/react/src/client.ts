import { STARTING_SNAPSHOT, type AuthSnapshot, type UserAgentApplication } from '@tessera/browser';

/**
 * The part of `UserAgentApplication` the hooks use. Pass a `UserAgentApplication`, or any object
 * of this shape (a test fake, an instance shared with another wrapper).
 */
export type MsalReactClient = Pick<
  UserAgentApplication,
  | 'subscribe'
  | 'getSnapshot'
  | 'acquireTokenSilent'
  | 'acquireTokenPopup'
  | 'acquireTokenRedirect'
  | 'loginPopup'
  | 'loginRedirect'
  | 'logout'
  | 'logoutPopup'
  | 'getAccount'
  | 'getAllAccounts'
  | 'handleRedirectPromise'
  | 'addEventCallback'
  | 'removeEventCallback'
>;

export { InteractionStatus, interactionStatusOf } from '@tessera/browser';

/** How `useMsalAuthentication` signs in or asks for a token (msal-browser's names). */
export const InteractionType = {
  Popup: 'popup',
  Redirect: 'redirect',
  Silent: 'silent',
} as const;
export type InteractionType = (typeof InteractionType)[keyof typeof InteractionType];

/**
 * What a server render (and the first client render of a hydrated page) sees: signed out,
 * nothing in progress. Effects never act on it: they re-read the client's own snapshot.
 */
export const SERVER_SNAPSHOT: AuthSnapshot = Object.freeze({
  ...STARTING_SNAPSHOT,
  status: 'signedOut',
});
