/**
 * Stable error codes. Each is exported on its own so bundlers drop the ones an app never
 * references; callers compare `error.errorCode` against these, never against message text.
 */

// --- interaction required: a user interaction (popup or redirect) can fix these -------------
/** The provider needs the user to interact (OIDC Core 3.1.2.6). */
export const INTERACTION_REQUIRED = 'interaction_required';
/** The provider has no session for the user (OIDC Core 3.1.2.6). */
export const LOGIN_REQUIRED = 'login_required';
/** The user has not consented to the requested scopes (OIDC Core 3.1.2.6). */
export const CONSENT_REQUIRED = 'consent_required';
/** The provider needs the user to pick an account (OIDC Core 3.1.2.6). */
export const ACCOUNT_SELECTION_REQUIRED = 'account_selection_required';
/** No signed-in account is known to this app, so nothing can be acquired silently. */
export const NO_ACCOUNT = 'no_account';
/** The refresh token was rejected (`invalid_grant`, RFC 6749 5.2) and the hidden iframe could not renew. */
export const REFRESH_TOKEN_EXPIRED = 'refresh_token_expired';

// --- server: OAuth error responses (ServerError) ----------------------------------------------
/**
 * The grant (authorization code or refresh token) is invalid, expired, revoked or was issued to
 * another client (RFC 6749 5.2). Also reported for a refresh-token grant answered 400/401 with
 * an empty or non-JSON body, as some providers answer for revoked refresh tokens.
 */
export const INVALID_GRANT = 'invalid_grant';
/**
 * The provider answered 503, another 5xx or 429 without an OAuth error, after the allowed
 * retries (RFC 6749 4.1.2.1 defines this error for the redirect channel's 503). `retryable` is
 * true; `retryAfter` holds a wait the provider asked for that was too long to wait here.
 */
export const TEMPORARILY_UNAVAILABLE = 'temporarily_unavailable';

// --- browser: the window, popup or iframe could not do its part ------------------------------
/** The user closed the popup before it finished. */
export const USER_CANCELLED = 'user_cancelled';
/** The popup could not be opened (a blocker, or `window.open` returned nothing). */
export const POPUP_WINDOW_ERROR = 'popup_window_error';
/** A popup or hidden iframe did not report back within its timeout. */
export const MONITOR_WINDOW_TIMEOUT = 'monitor_window_timeout';
/** Another popup or redirect of this app is already running. */
export const INTERACTION_IN_PROGRESS = 'interaction_in_progress';
/** The method needs a browser feature that is missing (Web Crypto, storage). */
export const BROWSER_UNSUPPORTED = 'browser_unsupported';
/**
 * The browser refused to store tokens or a pending request (storage full, or blocked by a
 * privacy setting); the original error is the `cause`.
 */
export const STORAGE_WRITE_FAILED = 'storage_write_failed';
/**
 * The app was loaded inside one of the library's own popups or hidden iframes (its page is the
 * redirect URI): that window only hands the response back, and starts no flow of its own.
 */
export const BLOCK_NESTED_FLOWS = 'block_nested_flows';

// --- client: the response failed a protocol or security check --------------------------------
/** `state` in the response did not match a request this app made (RFC 6749 10.12). */
export const STATE_MISMATCH = 'state_mismatch';
/** `iss` in the authorization response did not match the provider (RFC 9207 2.4). */
export const ISSUER_MISMATCH = 'issuer_mismatch';
/**
 * The ID token failed a check of OIDC Core 3.1.3.7 (iss, aud, azp, exp, iat, nonce, auth_time),
 * or a refreshed one named another user or issuer (12.2). Also for an ID token issued more than
 * a day away from the device's clock: the device's date and time need fixing.
 */
export const INVALID_ID_TOKEN = 'invalid_id_token';
/** The ID token `nonce` did not match the request (OIDC Core 3.1.3.7 step 11). */
export const NONCE_MISMATCH = 'nonce_mismatch';
/**
 * A provider response broke the protocol (missing fields, wrong types, bad JSON), or a token
 * request was answered with a redirect (a `system.ports.fetch` must not follow redirects).
 */
export const INVALID_RESPONSE = 'invalid_response';
/**
 * No answer from the provider: unreachable, connection reset, or no complete answer within
 * `system.networkTimeout`. `retryable` is true; for token requests `requestSent` is true.
 */
export const NETWORK_ERROR = 'network_error';
/**
 * The provider's discovery document was invalid, redirected, or its `issuer` is not the
 * authority exactly (RFC 8414 3.3, OIDC Discovery 4.3; a trailing slash counts): the message
 * names the issuer to configure.
 */
export const DISCOVERY_FAILED = 'discovery_failed';
/** A response arrived for which this app holds no pending request (replayed or foreign). */
export const NO_PENDING_REQUEST = 'no_pending_request';
/** Anything the library did not expect; `cause` holds the original. */
export const UNEXPECTED_ERROR = 'unexpected_error';

// --- configuration: the app's setup is wrong; fix the code, do not retry -------------------
/** `auth.clientId` is missing or empty. */
export const MISSING_CLIENT_ID = 'missing_client_id';
/** `auth.authority` is not an https URL (http allowed only on loopback). */
export const INVALID_AUTHORITY = 'invalid_authority';
/** `auth.redirectUri` (or `postLogoutRedirectUri`) is not a URL on the page's origin. */
export const INVALID_REDIRECT_URI = 'invalid_redirect_uri';
/** `cache.cacheLocation` is not one of `sessionStorage`, `localStorage`, `memory`. */
export const INVALID_CACHE_LOCATION = 'invalid_cache_location';
/** A request parameter is invalid (e.g. `scopes` not an array of strings). */
export const INVALID_REQUEST_PARAMETER = 'invalid_request_parameter';
/** A configuration value is invalid; the message names the field and the fix. */
export const INVALID_CONFIGURATION = 'invalid_configuration';
