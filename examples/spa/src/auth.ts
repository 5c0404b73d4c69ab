// Everything the demo does with @tessera/browser: the application object, the seed's
// silent-then-interactive pattern, and the fetch that attaches tokens to API calls.
import {
  LogLevel,
  UserAgentApplication,
  createAuthFetch,
  isAuthError,
  type AuthResponse,
  type AuthenticationParameters,
  type FetchLike,
  type LoggerCallback,
} from '@tessera/browser';
import type { DemoConfig } from './config.js';

/** Creates the application for this page; the redirect URI is the page's own origin root. */
export function createApplication(config: DemoConfig, log: LoggerCallback): UserAgentApplication {
  const home = `${location.origin}/`;
  return new UserAgentApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      ...(config.protocolMode === undefined ? {} : { protocolMode: config.protocolMode }),
      redirectUri: home,
      postLogoutRedirectUri: home,
      navigateToLoginRequestUrl: true,
    },
    cache: { cacheLocation: config.cacheLocation },
    system: {
      tokenRenewalOffsetSeconds: config.tokenRenewalOffsetSeconds,
      logger: { loggerCallback: log, level: LogLevel.Info },
    },
  });
}

/** A request for `scopes` carrying the configured extra parameters (e.g. Auth0's audience). */
export function requestFor(config: DemoConfig, scopes: string[]): AuthenticationParameters {
  return Object.keys(config.extraQueryParameters).length === 0
    ? { scopes }
    : { scopes, extraQueryParameters: config.extraQueryParameters };
}

/** The seed's test: only this kind of failure may be fixed by a popup or a redirect. */
export function needsInteraction(error: unknown): boolean {
  return isAuthError(error) && error.errorMessage.indexOf('interaction_required') !== -1;
}

/**
 * The seed's pattern: `acquireTokenSilent`, and when that fails with `interaction_required`,
 * `acquireTokenPopup` or `acquireTokenRedirect`. Resolves null when the page is leaving for the
 * provider (the token then arrives through `handleRedirectCallbacks`).
 */
export async function acquireToken(
  app: UserAgentApplication,
  request: AuthenticationParameters,
  fallback: 'popup' | 'redirect',
  onFallback: (reason: string) => void,
): Promise<AuthResponse | null> {
  try {
    return await app.acquireTokenSilent(request);
  } catch (error) {
    if (!needsInteraction(error)) throw error;
    onFallback(isAuthError(error) ? error.errorCode : 'interaction_required');
    if (fallback === 'popup') return app.acquireTokenPopup(request);
    await app.acquireTokenRedirect(request);
    return null;
  }
}

/** `fetch` that sends a bearer token to the API (and only there). */
export function createApiFetch(app: UserAgentApplication, config: DemoConfig): FetchLike {
  if (config.apiUrl === '') return (input, init) => fetch(input, init);
  return createAuthFetch(app, {
    protectedResourceMap: [[config.apiUrl, config.scopes]],
  });
}
