import {
  ClientConfigurationError,
  INVALID_CONFIGURATION,
  parseProtectedResourceMap,
  type CacheLocation,
  type Configuration,
  type ProtectedResource,
  type ProtectedResourceMapInput,
} from '@tessera/browser';

/** How the wrapper asks the user to interact when it has to. */
export type MsalInteractionType = 'popup' | 'redirect';

/**
 * URL → scopes, in any form users write it: a `Map`, an array of `[url, scopes]` pairs, a plain
 * object, or a single `[url, scopes]` pair. `null` scopes mark a URL as unprotected.
 */
export type MsalProtectedResourceMap =
  ProtectedResourceMapInput | readonly [string, readonly string[] | null];

/**
 * The Angular-only options: the second argument of `MsalModule.forRoot(configuration, ...)` and
 * `provideMsal(configuration, ...)`, or flat keys of the seed's configuration object.
 */
export interface MsalAngularConfiguration {
  /**
   * Use popups instead of redirects: `MsalGuard` signs in with a popup, and `MsalInterceptor`
   * falls back to `acquireTokenPopup` when a silent request needs interaction. Default false.
   */
  popUp?: boolean;
  /**
   * Scopes requested at sign-in (`MsalGuard`, `MsalService.loginPopup()` / `loginRedirect()`).
   * Whatever the value, the scopes of `protectedResourceMap` are also consented to at sign-in
   * (as `extraScopesToConsent`), so later silent requests for them need no second prompt.
   */
  consentScopes?: string[];
  /**
   * URL → scopes. Only requests to matching URLs get a token; matching is by parsed URL
   * (scheme, host and port exact, path on segment boundaries), never by string prefix.
   */
  protectedResourceMap?: MsalProtectedResourceMap;
  /** URLs that never get a token, even inside a protected entry. */
  unprotectedResources?: string[];
  /** Extra query parameters for every authorization request the wrapper makes (`a=1&b=2` or an object). */
  extraQueryParameters?: Record<string, string> | string;
  /**
   * What `MsalInterceptor` does when the silent request fails with an interaction-required
   * error: `'popup'`, `'redirect'`, or `'none'` (the error goes to the `HttpClient` caller).
   * Default: `'popup'` when {@link MsalAngularConfiguration.popUp} is true, else `'none'`.
   */
  interactionFallback?: MsalInteractionType | 'none';
}

/**
 * The seed's flat configuration (msal-angular 0.x shape):
 * `MsalModule.forRoot({ clientID, authority, protectedResourceMap, ... })`.
 */
export interface MsalFlatConfiguration extends MsalAngularConfiguration {
  /** The application (client) id registered at the provider. Required. */
  clientID: string;
  /** The provider's issuer URL (any OIDC provider) or an Entra-style authority. */
  authority?: string;
  /** Where the provider sends responses; default the current page. */
  redirectUri?: string | (() => string);
  /** Where the provider sends the user after sign-out; default `redirectUri`. */
  postLogoutRedirectUri?: string | (() => string);
  /** Default `sessionStorage`. */
  cacheLocation?: CacheLocation;
  /** After a redirect, return to the page that started it. Default true. */
  navigateToLoginRequestUrl?: boolean;
  /** Accepted for msal compatibility; discovery validates the issuer. */
  validateAuthority?: boolean;
  /** Accepted for msal compatibility; request state never needs cookies. */
  storeAuthStateInCookie?: boolean;
  /** Hidden-iframe timeout in ms. */
  loadFrameTimeout?: number;
  /** Renew access tokens this many seconds before they expire. */
  tokenRenewalOffsetSeconds?: number;
}

/** Configuration after validation: what the services, interceptor and guard read. */
export interface ResolvedMsalConfiguration {
  /** The core configuration the `UserAgentApplication` is created with. */
  readonly configuration: Configuration;
  readonly popUp: boolean;
  readonly consentScopes: readonly string[];
  /**
   * Scopes of `protectedResourceMap` not in `consentScopes`: consented to at sign-in as
   * `extraScopesToConsent`.
   */
  readonly extraScopesToConsent: readonly string[];
  /** Parsed once, by `@tessera/browser`'s `parseProtectedResourceMap`. */
  readonly protectedResources: readonly ProtectedResource[];
  /** Parsed once, by the same parser, with `null` scopes. */
  readonly unprotectedResources: readonly ProtectedResource[];
  readonly extraQueryParameters: Readonly<Record<string, string>> | undefined;
  readonly interactionFallback: MsalInteractionType | 'none';
}

function fail(message: string): never {
  throw new ClientConfigurationError(INVALID_CONFIGURATION, message);
}

function isCoreConfiguration(value: object): value is Configuration {
  return 'auth' in value;
}

type ResourcePair = readonly [string, readonly string[] | null];

function isSinglePair(map: unknown): map is ResourcePair {
  return (
    Array.isArray(map) &&
    map.length === 2 &&
    typeof map[0] === 'string' &&
    (map[1] === null || Array.isArray(map[1]))
  );
}

/** Accepts a single `[url, scopes]` pair as well as the forms the core parser takes. */
function toResourceMapInput(map: MsalProtectedResourceMap): ProtectedResourceMapInput {
  return isSinglePair(map) ? [map] : map;
}

function stringList(field: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    fail(`${field} must be an array of strings.`);
  }
  return [...(value as string[])];
}

function queryParameters(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    return Object.fromEntries(new URLSearchParams(value.replace(/^[?&]/, '')));
  }
  if (typeof value !== 'object' || value === null) {
    fail('extraQueryParameters must be a query string or an object of strings.');
  }
  return { ...(value as Record<string, string>) };
}

/** The core configuration from the seed's flat keys. */
function fromFlat(flat: MsalFlatConfiguration): Configuration {
  // Runtime courtesy for JavaScript callers who write the core's spelling `clientId`.
  const clientId =
    (flat.clientID as string | undefined) ?? (flat as { clientId?: string }).clientId ?? '';
  return {
    auth: {
      clientId,
      ...(flat.authority !== undefined && { authority: flat.authority }),
      ...(flat.redirectUri !== undefined && { redirectUri: flat.redirectUri }),
      ...(flat.postLogoutRedirectUri !== undefined && {
        postLogoutRedirectUri: flat.postLogoutRedirectUri,
      }),
      ...(flat.navigateToLoginRequestUrl !== undefined && {
        navigateToLoginRequestUrl: flat.navigateToLoginRequestUrl,
      }),
      ...(flat.validateAuthority !== undefined && { validateAuthority: flat.validateAuthority }),
    },
    cache: {
      ...(flat.cacheLocation !== undefined && { cacheLocation: flat.cacheLocation }),
      ...(flat.storeAuthStateInCookie !== undefined && {
        storeAuthStateInCookie: flat.storeAuthStateInCookie,
      }),
    },
    system: {
      ...(flat.loadFrameTimeout !== undefined && { loadFrameTimeout: flat.loadFrameTimeout }),
      ...(flat.tokenRenewalOffsetSeconds !== undefined && {
        tokenRenewalOffsetSeconds: flat.tokenRenewalOffsetSeconds,
      }),
    },
  };
}

/**
 * Validates the wrapper's configuration once, at `forRoot` / `provideMsal` time, so a malformed
 * map fails at start-up with the entry named, not at the first HTTP request. Accepts the seed's
 * flat keys, or the core's `{ auth, cache, system }` shape plus the Angular options.
 *
 * @throws ClientConfigurationError `invalid_configuration` for a malformed
 *   `protectedResourceMap`, `unprotectedResources`, `consentScopes` or `extraQueryParameters`.
 *   The core validates the rest when the `UserAgentApplication` is created.
 */
export function resolveMsalConfiguration(
  config: MsalFlatConfiguration | Configuration,
  angularConfig: MsalAngularConfiguration = {},
): ResolvedMsalConfiguration {
  if (typeof config !== 'object' || config === null) {
    fail('Pass a configuration object, e.g. MsalModule.forRoot({ clientID: "..." }).');
  }
  const core = isCoreConfiguration(config);
  // Angular options may sit beside `auth` too; the second argument wins.
  const angular: MsalAngularConfiguration = {
    ...(config as MsalAngularConfiguration),
    ...angularConfig,
  };
  const unprotected = stringList('unprotectedResources', angular.unprotectedResources);
  const popUp = angular.popUp === true;
  const fallback = angular.interactionFallback ?? (popUp ? 'popup' : 'none');
  if (fallback !== 'popup' && fallback !== 'redirect' && fallback !== 'none') {
    fail('interactionFallback must be "popup", "redirect" or "none".');
  }
  const consentScopes = stringList('consentScopes', angular.consentScopes);
  const protectedResources =
    angular.protectedResourceMap === undefined
      ? []
      : parseProtectedResourceMap(toResourceMapInput(angular.protectedResourceMap));
  const mapped = new Set(protectedResources.flatMap((resource) => resource.scopes ?? []));
  return {
    configuration: core ? config : fromFlat(config),
    popUp,
    consentScopes,
    extraScopesToConsent: [...mapped].filter((scope) => !consentScopes.includes(scope)),
    protectedResources,
    unprotectedResources: parseProtectedResourceMap(unprotected.map((url) => [url, null])),
    extraQueryParameters: queryParameters(angular.extraQueryParameters),
    interactionFallback: fallback,
  };
}
