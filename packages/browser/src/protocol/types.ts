import type { Clock, FetchLike, Timers } from '../ports.js';
import type { Logger } from '../logger.js';
import type { IdTokenClaims, PromptValue } from '../types.js';

/** How the authority URL maps to a discovery document. */
export type ProtocolMode = 'OIDC' | 'AAD';

/** What the protocol layer needs to talk to one provider for one client. */
export interface ProtocolClientOptions {
  /** The authority URL from configuration (an issuer, or an Entra-style `https://host/{tenant}`). */
  authority: string;
  /** `OIDC`: discovery at `{authority}/.well-known/openid-configuration`, issuer must equal the authority.
   * `AAD`: discovery at `{authority}/v2.0/.well-known/openid-configuration`, a `{tenantid}` issuer
   * template is resolved from the ID token's `tid`. */
  protocolMode: ProtocolMode;
  clientId: string;
  fetch: FetchLike;
  clock: Clock;
  logger: Logger;
  /** Allow http authorities (loopback only; config validation decides). */
  allowInsecureRequests: boolean;
  /**
   * Accepted clock skew in seconds for ID token time checks; default 300. A larger offset between
   * the provider's clock and the device's is learned from each code exchange (see
   * `createProtocolClient`).
   */
  clockToleranceSeconds?: number;
  /**
   * Time limit of each request in ms, from sending it to the last byte of the answer; default
   * 10 000. A request over the limit is aborted and fails with `network_error` (not retried).
   */
  networkTimeoutMs?: number | undefined;
  /** Timers for the time limit and the waits between retries; default the global ones. */
  timers?: Pick<Timers, 'setTimeout' | 'clearTimeout'> | undefined;
  /** A uniform random number in [0, 1) for backoff jitter; default `Math.random`. */
  random?: (() => number) | undefined;
  /**
   * Remembers the discovery document across page loads, so a cold start with a stored refresh
   * token makes one request (the token request) instead of two. Entries live under
   * `tessera.v1.metadata.<authority>` as `[fetchedAt, documentText]`; a learned offset of the
   * provider's clock under `tessera.v1.clock.<authority>`, in ms. A remembered document
   * is validated again like a fetched one on every load; a corrupt, expired or rejected one is
   * removed and the document fetched. Default: none, every load discovers.
   */
  metadataStore?: MetadataStore | undefined;
  /**
   * Whether `offline_access` (OIDC Core 11) is sent when asked for: `true` always, `false`
   * never, undefined (default) when the provider lists it in `scopes_supported` or lists none.
   */
  offlineAccess?: boolean | undefined;
  /** How long a remembered discovery document is used, in ms; default 24 h. */
  metadataMaxAgeMs?: number | undefined;
  /**
   * The discovery document given inline (msal's `auth.authorityMetadata`), as JSON text or an
   * object: then no discovery request is made. It is validated like a fetched one (issuer
   * rules, endpoint schemes); a document that fails fails every call with `discovery_failed`.
   */
  authorityMetadata?: string | Record<string, unknown> | undefined;
}

/**
 * A small synchronous key-value store, Web Storage shaped. Implementations should not throw
 * (e.g. on a full storage quota); a throwing store is treated as empty.
 */
export interface MetadataStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** The parts of the discovery document the layers above use. */
export interface ProviderInfo {
  /** `issuer` from discovery; may contain `{tenantid}` in AAD mode for multi-tenant authorities. */
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  endSessionEndpoint: string | undefined;
  /** RFC 9207 `authorization_response_iss_parameter_supported`. */
  issParameterSupported: boolean;
}

/** Input for an authorization request (OIDC Core 3.1.2.1 / RFC 6749 4.1.1). */
export interface AuthorizationRequestInput {
  redirectUri: string;
  /** Full scope list to send, already including `openid` etc. */
  scopes: string[];
  resource?: string[] | undefined;
  prompt?: PromptValue | undefined;
  loginHint?: string | undefined;
  idTokenHint?: string | undefined;
  sid?: string | undefined;
  domainHint?: string | undefined;
  claims?: string | undefined;
  responseMode?: 'query' | 'fragment' | undefined;
  extraQueryParameters?: Record<string, string> | undefined;
}

/**
 * Secrets bound to one authorization request, stored until its response comes back and then
 * deleted (single use). `state` and `nonce` carry at least 128 bits from `crypto.getRandomValues`.
 */
export interface AuthorizationSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
  /**
   * The `max_age` sent (as an extra parameter), in seconds: the ID token's `auth_time` is then
   * required and checked against it (OIDC Core 3.1.2.1, 3.1.3.7 step 13).
   */
  maxAge?: number | undefined;
}

/** A built authorization request. */
export interface AuthorizationRequest {
  url: URL;
  secrets: AuthorizationSecrets;
}

/** What is needed to finish an authorization request when its response arrives. */
export interface AuthorizationResponseContext {
  secrets: AuthorizationSecrets;
  redirectUri: string;
  /** Scopes that were requested; used when the token response omits `scope` (RFC 6749 5.1). */
  requestedScopes: string[];
  /** OIDC `max_age` sent, if any (auth_time check); default the one kept in `secrets`. */
  maxAge?: number | undefined;
}

/** A successful, fully validated token response. Wire names are gone here. */
export interface TokenResult {
  accessToken: string;
  /** Normalised: `Bearer` for `bearer` (RFC 6749 7.1 is case-insensitive). */
  tokenType: string;
  /** Absolute expiry in ms since epoch, computed from `expires_in` with the clock port. */
  expiresAt: number;
  /** Scopes granted for the access token (RFC 6749 5.1: the requested ones when omitted). */
  grantedScopes: string[];
  refreshToken: string | undefined;
  /**
   * When the refresh token stops working (ms epoch), where the provider says so: Keycloak's
   * `refresh_expires_in` (not part of RFC 6749; 0, an offline token without expiry, gives none).
   */
  refreshTokenExpiresAt: number | undefined;
  idToken: string | undefined;
  /** Validated claims (OIDC Core 3.1.3.7), present when `idToken` is. */
  idTokenClaims: IdTokenClaims | undefined;
  /** The concrete issuer (template resolved). */
  issuer: string;
}

/** Input for a refresh-token grant (RFC 6749 6). */
export interface RefreshInput {
  refreshToken: string;
  scopes: string[];
  resource?: string[] | undefined;
  /** The account's `sub`: a refreshed ID token with another `sub` is rejected (OIDC Core 12.2). */
  expectedSub: string;
  /**
   * A claims request (OIDC Core 5.5, JSON) sent with the grant, as Entra ID accepts it to meet a
   * Conditional Access or continuous-access-evaluation challenge without a new authorization.
   */
  claims?: string | undefined;
  /**
   * The account's issuer: a refreshed ID token from another is rejected (OIDC Core 12.2), e.g.
   * another tenant of an Entra `common` authority.
   */
  expectedIssuer?: string | undefined;
}

/** Input for an RP-initiated logout URL (OIDC RP-Initiated Logout 1.0, section 2). */
export interface EndSessionInput {
  idTokenHint?: string | undefined;
  postLogoutRedirectUri?: string | undefined;
  state?: string | undefined;
  logoutHint?: string | undefined;
}

/**
 * The protocol layer for one (authority, client). Knows no DOM; storage only through the
 * optional `metadataStore` port. Every method throws only Tessera errors (`ServerError`,
 * including `temporarily_unavailable` for 429/5xx; `InteractionRequiredAuthError`;
 * `ClientAuthError` with codes `state_mismatch`, `issuer_mismatch`, `invalid_id_token`,
 * `nonce_mismatch`, `invalid_response`, `network_error`, `discovery_failed`), keeping the
 * original as `cause` stripped of response bodies and tokens. Errors carry `status`,
 * `retryable`, `retryAfter`, `requestSent` and `suberror` (see `AuthError`).
 */
export interface ProtocolClient {
  /**
   * Discovery: `authorityMetadata`, else a `metadataStore` entry younger than
   * `metadataMaxAgeMs`, else one request (retried on network failure, 429, 5xx), each validated
   * alike. Kept in memory; concurrent callers share one request; a failure is not cached.
   */
  discover(): Promise<ProviderInfo>;
  /**
   * Builds the authorization URL with PKCE S256, state and nonce (RFC 7636 4.2, OIDC Core
   * 3.1.2.1); secrets: 256 bits each from `crypto.getRandomValues`, base64url encoded.
   * Parameters already in the endpoint URL are kept (RFC 6749 3.1). Typed inputs win over
   * `extraQueryParameters` of the same name; the parameters that bind the response to the request
   * and client (`client_id`, `redirect_uri`, `response_type`, `scope`, `state`, `nonce`, the PKCE
   * challenge, `request`, `request_uri`) cannot be set through them.
   *
   * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
   * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
   */
  createAuthorizationRequest(input: AuthorizationRequestInput): Promise<AuthorizationRequest>;
  /**
   * Validates an authorization response URL and exchanges the code:
   *
   * 1. oauth4webapi's `validateAuthResponse`: `state` must be the one of this request
   *    (RFC 6749 10.12), `iss` must be the provider's when present and is required when the
   *    provider advertises RFC 9207; an `error` response (InteractionRequiredAuthError /
   *    ServerError) is only trusted after both checks. For a `{tenantid}` template, `iss` may
   *    name the answering tenant: the ID token must then come from that same tenant.
   * 2. The code is exchanged with the PKCE verifier at the token endpoint (RFC 7636 4.5).
   * 3. The ID token is validated per OIDC Core 3.1.3.7 (iss, aud, azp, exp, iat, nonce, and
   *    `auth_time` against `maxAge` or a `max_age` sent as an extra parameter); it is required
   *    when `openid` was requested (3.1.3.3). `aud` may name no other audience than the client
   *    and `azp`, when present, must be the client. Times are judged on the provider's clock,
   *    estimated from this ID token's `iat` (its `nonce` makes it fresh) when the device's
   *    clock is off by more than the tolerance; the offset is kept for later refreshes.
   *
   * Nothing is returned from a response that failed any check.
   *
   * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
   */
  handleAuthorizationResponse(
    responseUrl: URL,
    context: AuthorizationResponseContext,
  ): Promise<TokenResult>;
  /**
   * Refresh-token grant (RFC 6749 6). A rotated refresh token is returned in `refreshToken`;
   * `undefined` there means the provider kept the old one valid. A refreshed ID token is
   * validated like the first, on the provider's clock as learned at sign-in, with `iat` not in
   * its future beyond the tolerance, and must name the same `sub` and issuer (OIDC Core 12.2). `invalid_grant` surfaces as ServerError with error
   * `invalid_grant` (also for a 400/401 answer without an OAuth error body), with Entra's
   * `suberror` when sent: `isRefreshTokenRejected(error)` tells whether to drop the token. A
   * network failure or timeout is not retried and has `requestSent` true: the token may be spent.
   */
  refresh(input: RefreshInput): Promise<TokenResult>;
  /**
   * The end-session URL, or undefined when the provider has no usable `end_session_endpoint`.
   * `client_id` is always sent: it lets the provider check `post_logout_redirect_uri` when no
   * `id_token_hint` is available. Parameters already in the endpoint URL are kept.
   *
   * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
   */
  createEndSessionUrl(input: EndSessionInput): Promise<URL | undefined>;
  /**
   * Revokes a refresh token (RFC 7009 2.1, with `token_type_hint=refresh_token`) when the
   * provider advertises a `revocation_endpoint`; resolves false when it does not.
   */
  revoke(refreshToken: string): Promise<boolean>;
  /**
   * Forgets the discovery document, in memory and in `metadataStore`, so the next call
   * discovers again. For when the provider's endpoints seem to have moved. The client does it
   * by itself when a remembered document's token endpoint answers 404 (then it retries once
   * with a fresh document: nothing was processed) or cannot be reached.
   */
  invalidate(): void;
}
