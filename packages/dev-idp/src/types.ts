// Public types of @tessera/dev-idp. Everything here is re-exported from index.ts.

/** A fixture account that can sign in at the dev IdP. */
export interface DevIdpUser {
  /** Login name typed into the form; also the `preferred_username` claim. */
  username: string;
  /** Password checked by the login form. */
  password: string;
  /** Subject identifier (`sub`). Default: the username. */
  sub?: string;
  /** Display name (`name` claim, scope `profile`). */
  name: string;
  /** Email address (`email` claim, scope `email`). */
  email: string;
}

/** A public (browser) client registered at the dev IdP: no secret, PKCE S256 required. */
export interface DevIdpClient {
  /** The `client_id`. */
  clientId: string;
  /** Exact redirect URIs the client may use; their origins are also allowed by CORS. */
  redirectUris: string[];
  /** Exact `post_logout_redirect_uri` values accepted at the end-session endpoint. */
  postLogoutRedirectUris?: string[];
  /** Default true: the client may use the refresh_token grant and gets refresh tokens. */
  refreshTokens?: boolean;
}

/** A protected resource (API) whose scopes clients may request. */
export interface DevIdpResource {
  /** Resource indicator and `aud` of its access tokens, e.g. `api://demo`. */
  audience: string;
  /** The scopes it accepts, e.g. `['api://demo/read', 'api://demo/write']`. */
  scopes: string[];
}

/** Lifetimes in seconds. */
export interface DevIdpTtl {
  /** Access token lifetime (default 3600; minimum 2). */
  accessToken?: number;
  /** ID token lifetime (default 3600). */
  idToken?: number;
  /** Refresh token lifetime, counted from the first token of a grant (default 86400). */
  refreshToken?: number;
  /** Provider-side browser session lifetime (default 86400). */
  session?: number;
}

/**
 * Automatic mode: no pages are shown; the user signs in and consents by itself. `consent` is
 * `'all'` (default: every requested scope) or the scopes to grant; `openid` is always granted
 * and every other requested scope not in the list is rejected. A `login_hint` naming a known
 * user signs in that user instead of `username`.
 */
export interface DevIdpAutoLogin {
  /** The user to sign in (must be one of the configured users). */
  username: string;
  /** Which requested scopes to grant (default `'all'`). */
  consent?: 'all' | string[];
}

/**
 * Which real provider's quirks the dev IdP reproduces, offline, so that clients can be tested
 * against them:
 *
 * - `plain`: a standards-only OpenID provider at `${url}` (the default).
 * - `entra`: Microsoft Entra ID: tenant-in-path authorities (GUIDs, `common`, `organizations`,
 *   `consumers`, tenant domain names with a GUID issuer, B2C user-flow paths), scopes matched
 *   case-insensitively and granted in their canonical spelling (`user.read` → `User.Read`, a
 *   Microsoft Graph-like resource), `scp` in access tokens, and claims challenges (`claims` on the
 *   token endpoint, e.g. `acrs`) honoured in access tokens.
 * - `auth0`: issuer with a trailing slash, Auth0's endpoint paths, the `audience` parameter
 *   choosing the API (no audience: an opaque token for userinfo only).
 * - `keycloak`: issuer and endpoints under `/realms/{realm}` with Keycloak's
 *   `/protocol/openid-connect/...` paths, access tokens for 5 minutes.
 * - `google`: no `offline_access` in `scopes_supported`, no refresh tokens, `offline_access`
 *   refused with `invalid_scope`, no end-session endpoint: renewal only through `prompt=none`.
 */
export type DevIdpProfile = 'plain' | 'entra' | 'auth0' | 'keycloak' | 'google';

/** Entra-shaped authorities, see {@link DevIdpOptions.entra}. */
export interface DevIdpEntraOptions {
  /** Tenant ids served at `${url}/{tenant}` (default: one GUID tenant). */
  tenants?: string[];
  /**
   * Profile `entra` only: tenant domain names served at `${url}/{domain}`, each mapped to the
   * tenant id whose issuer (`${url}/{tenant-id}/v2.0`) and endpoints its discovery document
   * names, as Entra does, e.g. `{ "contoso.onmicrosoft.com": "<tenant GUID>" }`. A tenant id not in
   * `tenants` is served too. Default: `contoso.onmicrosoft.com` for the first tenant.
   */
  domains?: Record<string, string>;
  /**
   * Profile `entra` only: Azure AD B2C user flows (policies) served under every domain at
   * `${url}/{domain}/{policy}`, with the issuer `${url}/{tenant-id}/v2.0/` (trailing slash, as
   * B2C's) and a `tfp` claim naming the policy. Default `["B2C_1_signin"]`; `[]` for none.
   */
  b2cPolicies?: string[];
}

/** Keycloak settings, see {@link DevIdpOptions.keycloak}. */
export interface DevIdpKeycloakOptions {
  /** The realm: issuer `${url}/realms/{realm}` (default `demo`). */
  realm?: string;
}

/** Options of {@link startDevIdp}. */
export interface DevIdpOptions {
  /**
   * Which provider's behaviour to reproduce (default `plain`); see {@link DevIdpProfile}. Profile
   * defaults (e.g. Keycloak's 300 s access tokens) give way to options given explicitly.
   */
  profile?: DevIdpProfile;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Listen address (default `127.0.0.1`). */
  host?: string;
  /**
   * Issuer identifier (default `http://<host>:<port>`). `{port}` in the value is replaced by the
   * port actually bound, e.g. `http://localhost:{port}` for cross-site setups on port 0.
   */
  issuer?: string;
  /** Registered clients (default: `tessera-demo` with redirect URIs http://127.0.0.1:5173/ and http://localhost:5173/). */
  clients?: DevIdpClient[];
  /** Fixture users (default: alice/alice-password and bob/bob-password). */
  users?: DevIdpUser[];
  /** Protected resources (default: `api://demo` with scopes `api://demo/read` and `api://demo/write`). */
  resources?: DevIdpResource[];
  /** Token and session lifetimes in seconds. */
  ttl?: DevIdpTtl;
  /** Default true: each refresh returns a new refresh token and the used one is rejected afterwards. */
  rotateRefreshTokens?: boolean;
  /** Automatic mode (see {@link DevIdpAutoLogin}); `false` (default) shows the login and consent pages. */
  autoLogin?: DevIdpAutoLogin | false;
  /** Send `Cross-Origin-Opener-Policy: same-origin` on the login/consent pages and authorization responses. */
  coop?: boolean;
  /**
   * Also serve Entra-shaped tenant routes (profiles `plain` and `entra`; the `entra` profile
   * always serves them); `true` uses one default tenant id.
   */
  entra?: DevIdpEntraOptions | boolean;
  /** Profile `keycloak` only: the realm. */
  keycloak?: DevIdpKeycloakOptions;
  /** Receives log lines (errors and protocol error summaries). Default: server errors to stderr. */
  logger?: (line: string) => void;
}

/** Request counters, see {@link DevIdp.stats}. */
export interface DevIdpStats {
  /** POST requests to any token endpoint. */
  tokenRequests: number;
  /** The same, by `grant_type` (`(none)` when missing). */
  tokenRequestsByGrant: Record<string, number>;
  /** Requests to any authorization endpoint (not counting interaction resumes). */
  authorizationRequests: number;
  /**
   * Token requests that carried a `claims` parameter (a claims challenge being answered); the
   * `entra` profile honours it, the others ignore it.
   */
  tokenRequestsWithClaims: number;
}

/** One authority a dev IdP serves, see {@link DevIdp.authorities}. */
export interface DevIdpAuthority {
  /**
   * What it is: `issuer` (the profile's own issuer: plain, Auth0, Keycloak realm or Google),
   * `tenant` (Entra tenant id), `common` / `organizations` (multi-tenant, `{tenantid}` issuer
   * template), `consumers`, `domain` (Entra tenant by domain name) or `b2c` (a B2C user flow).
   */
  readonly kind: 'issuer' | 'tenant' | 'common' | 'organizations' | 'consumers' | 'domain' | 'b2c';
  /** The authority a client is configured with, e.g. `${url}/contoso.onmicrosoft.com`. */
  readonly authority: string;
  /** Where its discovery document is. */
  readonly discoveryUrl: string;
  /** The `issuer` its discovery document names (tokens carry it as `iss`). */
  readonly issuer: string;
}

/** A running dev IdP. */
export interface DevIdp {
  /** The issuer identifier. */
  readonly issuer: string;
  /** The issuer's origin, e.g. `http://127.0.0.1:4000`. */
  readonly url: string;
  /** The TCP port bound. */
  readonly port: number;
  /** The profile it runs (see {@link DevIdpProfile}). */
  readonly profile: DevIdpProfile;
  /**
   * The authority a client of this profile is configured with: the issuer for `plain` and
   * `google`, the issuer with its trailing slash for `auth0`, the realm URL
   * (`${url}/realms/{realm}`) for `keycloak`, and the first tenant's `${url}/{tenant-id}` for
   * `entra`.
   */
  readonly authority: string;
  /** Every authority served, the profile's own issuer first. */
  readonly authorities: readonly DevIdpAuthority[];
  /**
   * Entra-style authority, e.g. `${url}/${tenant}`; discovery at
   * `${authority}/v2.0/.well-known/openid-configuration`. Default tenant: `common`. With the
   * `entra` profile `tenant` may also be `organizations`, `consumers` or a configured domain name
   * (e.g. `contoso.onmicrosoft.com`). Throws {@link DevIdpConfigError} for a tenant not served.
   */
  entraAuthority(tenant?: string): string;
  /**
   * The tenant id (GUID) whose issuer an Entra authority's discovery names and whose tokens carry
   * it as `tid`: the id itself, the tenant of a domain name, the consumer tenant
   * `9188040d-6c67-4c5b-b112-36a304b66dad` for `consumers`, and the first tenant for `common` and
   * `organizations` (whose users sign in there). Throws {@link DevIdpConfigError} like
   * {@link DevIdp.entraAuthority}.
   */
  entraTenantId(tenant?: string): string;
  /**
   * Profile `entra`: the authority of a B2C user flow, `${url}/{domain}/{policy}`; discovery at
   * `${authority}/v2.0/.well-known/openid-configuration`, issuer `${url}/{tenant-id}/v2.0/`.
   * Defaults: the first configured policy and domain. Throws {@link DevIdpConfigError} for a policy
   * or domain not served.
   */
  b2cAuthority(policy?: string, domain?: string): string;
  /** Counters since start or the last {@link DevIdp.resetStats}. */
  stats(): DevIdpStats;
  /** Sets every counter to zero. */
  resetStats(): void;
  /** End every provider-side session: a later prompt=none authorization gets error=login_required. */
  endSessions(): Promise<void>;
  /** Switch automatic mode at run time (tests). Throws {@link DevIdpConfigError} for an unknown user. */
  setAutoLogin(mode: DevIdpOptions['autoLogin']): void;
  /** Turns the Cross-Origin-Opener-Policy header on or off. */
  setCoop(on: boolean): void;
  /** Stops listening and drops open connections; safe to call more than once. */
  close(): Promise<void>;
}
