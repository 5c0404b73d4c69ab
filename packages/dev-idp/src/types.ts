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

/** Options of {@link startDevIdp}. */
export interface DevIdpOptions {
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
  /** Also serve Entra-shaped tenant routes; `true` uses one default tenant id. */
  entra?: { tenants?: string[] } | boolean;
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
}

/** A running dev IdP. */
export interface DevIdp {
  /** The issuer identifier. */
  readonly issuer: string;
  /** The issuer's origin, e.g. `http://127.0.0.1:4000`. */
  readonly url: string;
  /** The TCP port bound. */
  readonly port: number;
  /**
   * Entra-style authority, e.g. `${url}/${tenant}`; discovery at
   * `${authority}/v2.0/.well-known/openid-configuration`. Default tenant: `common`.
   */
  entraAuthority(tenant?: string): string;
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
