/** Claims of a validated ID token (OIDC Core 2); unknown claims are kept. */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  name?: string;
  preferred_username?: string;
  email?: string;
  sid?: string;
  /** Entra ID tenant id. */
  tid?: string;
  /** Entra ID object id. */
  oid?: string;
  [claim: string]: unknown;
}

/**
 * A signed-in user, as seen by this app. `homeAccountId` is stable for the same user at the
 * same provider; pass the account back in requests to choose between several.
 */
export interface Account {
  /** Stable key: the subject at the issuer. */
  homeAccountId: string;
  /** The subject (`oid` on Entra ID, else `sub`). */
  localAccountId: string;
  /** Host of the issuer, e.g. `login.microsoftonline.com`. */
  environment: string;
  /** Issuer of the account's ID token. */
  issuer: string;
  /** Entra ID tenant id (`tid`), or empty. */
  tenantId: string;
  /** `preferred_username`, else `email`, else `sub`. */
  username: string;
  /** Display name, when the provider gave one. */
  name: string | undefined;
  /** Claims of the latest ID token. */
  idTokenClaims: IdTokenClaims;
  /** msal 1.x name of {@link Account.localAccountId}. */
  accountIdentifier: string;
  /** msal 1.x name of {@link Account.homeAccountId}. */
  homeAccountIdentifier: string;
  /** msal 1.x name of {@link Account.username}. */
  userName: string;
}

/** The `prompt` values of OIDC Core 3.1.2.1 (and `create`, Initiating User Registration 1.0). */
export type PromptValue = 'login' | 'none' | 'consent' | 'select_account' | 'create';

/**
 * A token request: the seed's `AuthenticationParameters`. Every field is optional; `scopes`
 * is what nearly every call sets.
 */
export interface AuthenticationParameters {
  /** Scopes the access token is for, e.g. `["user.read"]` or `["api://demo/read"]`. */
  scopes?: string[];
  /** More scopes to consent to now, without getting a token for them. */
  extraScopesToConsent?: string[];
  /** Which account; default: the only signed-in account. */
  account?: Account;
  /** Another authority for this request. */
  authority?: string;
  /** OIDC `prompt` (Core 3.1.2.1). */
  prompt?: PromptValue;
  /** OIDC `login_hint` (Core 3.1.2.1). */
  loginHint?: string;
  /** Session id hint (`sid`) for silent requests. */
  sid?: string;
  /** Entra ID `domain_hint`. */
  domainHint?: string;
  /** OIDC `claims` request parameter (Core 5.5), a JSON string. */
  claims?: string;
  /** msal 1.x name of {@link AuthenticationParameters.claims}. */
  claimsRequest?: string;
  /** RFC 8707 resource indicator(s). */
  resource?: string | string[];
  /** Extra query parameters for the authorization request. */
  extraQueryParameters?: Record<string, string>;
  /** Skip the cache and go to the provider. */
  forceRefresh?: boolean;
  /** Redirect URI for this request; default `auth.redirectUri`. */
  redirectUri?: string;
  /** Where a redirect flow returns the user (same origin); default the current page. */
  redirectStartPage?: string;
  /** App state returned as `accountState` in the response. */
  state?: string;
  /** Correlation id for logs and errors; default a random one. */
  correlationId?: string;
}

/** The token a request produced, from the cache or the provider. */
export interface AuthResponse {
  /** The access token, to send as `Authorization: Bearer <accessToken>`. */
  accessToken: string;
  /** `Bearer` (or `DPoP` later). */
  tokenType: string;
  /** Scopes actually granted, which may be fewer than requested. */
  scopes: string[];
  /** When the access token expires. */
  expiresOn: Date;
  /** The raw ID token, or empty when none is held. */
  idToken: string;
  /** The claims of the ID token. */
  idTokenClaims: IdTokenClaims;
  /** The account the tokens belong to. */
  account: Account;
  /** Entra ID tenant id, or empty. */
  tenantId: string;
  /** msal 1.x: the account's `localAccountId`. */
  uniqueId: string;
  /** The `state` the app passed in the request, or empty. */
  accountState: string;
  /** True when served from the cache without a network request. */
  fromCache: boolean;
  /** Correlation id of the request. */
  correlationId: string;
}
