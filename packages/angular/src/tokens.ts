import { InjectionToken } from '@angular/core';
import type { UserAgentApplication } from '@tessera/browser';
import type { ResolvedMsalConfiguration } from './config';

/**
 * The part of `UserAgentApplication` the wrapper uses. Provide your own object of this shape
 * under {@link MSAL_INSTANCE} to share an application created elsewhere (or a fake in tests).
 */
export type MsalClient = Pick<
  UserAgentApplication,
  | 'acquireTokenSilent'
  | 'acquireTokenPopup'
  | 'acquireTokenRedirect'
  | 'loginPopup'
  | 'loginRedirect'
  | 'logout'
  | 'logoutPopup'
  | 'getAccount'
  | 'getAllAccounts'
  | 'handleRedirectCallbacks'
  | 'handleRedirectPromise'
  | 'addEventCallback'
  | 'removeEventCallback'
  | 'subscribe'
  | 'getSnapshot'
>;

/** The validated wrapper configuration that `MsalModule.forRoot` / `provideMsal` register. */
export const MSAL_CONFIG = new InjectionToken<ResolvedMsalConfiguration>('MSAL_CONFIG');

/**
 * The one `UserAgentApplication` of the app. By default created from {@link MSAL_CONFIG} the
 * first time it is injected; override it to bring your own instance.
 */
export const MSAL_INSTANCE = new InjectionToken<MsalClient>('MSAL_INSTANCE');
