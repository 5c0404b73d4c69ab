import * as codes from './error-codes.js';

/** Brand shared across realms: an error thrown in an iframe fails `instanceof` here. */
const BRAND = Symbol.for('tessera.auth_error');

/** What every Tessera error carries besides `message`. */
export interface AuthErrorOptions {
  cause?: unknown;
  correlationId?: string | undefined;
  /** HTTP status of the provider's answer, when there was one. */
  status?: number | undefined;
  /** Default: true for status 429 and 5xx, else false. */
  retryable?: boolean;
  /** From `Retry-After`, in ms. */
  retryAfter?: number | undefined;
  /** Default false. */
  requestSent?: boolean;
  /** Microsoft Entra ID's refinement of an OAuth `error`. */
  suberror?: string | undefined;
}

/**
 * Base of every error Tessera throws. Use `errorCode` (a stable snake_case constant from
 * `error-codes`) to decide what to do; `errorMessage` is for people.
 */
export class AuthError extends Error {
  /** Literal so minifiers cannot mangle it. */
  override name: string = 'AuthError';
  /** Stable snake_case code. */
  declare readonly errorCode: string;
  /** Human readable text. Contains `interaction_required` only for {@link InteractionRequiredAuthError}. */
  declare readonly errorMessage: string;
  /** Correlation id of the request that failed, when there was one. */
  declare readonly correlationId: string | undefined;
  /** HTTP status of the provider's answer; undefined when no answer was read. */
  declare readonly status: number | undefined;
  /**
   * Whether trying the same operation again later may succeed without any change: true for
   * `network_error` (unreachable, reset, no answer within `system.networkTimeout`) and for
   * answers with status 429 or 5xx (`temporarily_unavailable`, RFC 6749 4.1.2.1 / RFC 9110
   * 15.6.4); false for rejections and failed checks, which repeat the same way.
   */
  declare readonly retryable: boolean;
  /**
   * Milliseconds the provider asked to wait before the next attempt (`Retry-After`, RFC 9110
   * 10.2.3), when its last answer carried one. The protocol layer waits up to 5 s by itself; an
   * error with a longer `retryAfter` means: do not ask again before then.
   */
  declare readonly retryAfter: number | undefined;
  /**
   * True when a token request (authorization code or refresh token grant) was sent and no answer
   * was read (network failure or timeout): the provider may have processed it. A refresh token
   * sent that way may have been rotated and must be treated as possibly spent; re-sending it
   * could be taken for a replay and revoke the grant (RFC 9700 4.14.2). Never set for requests
   * that are safe to repeat (discovery).
   */
  declare readonly requestSent: boolean;
  /**
   * The `suberror` member of a provider's error response (Microsoft Entra ID), e.g.
   * `basic_action` or `bad_token`, when present. See {@link isRefreshTokenRejected}.
   */
  declare readonly suberror: string | undefined;
  readonly [BRAND] = true;

  /**
   * This error's entry in the error reference (what happened, the likely cause, what to do),
   * relative to the repository root: `docs/errors.md#<errorCode>`.
   */
  get docs(): string {
    return 'docs/errors.md#' + this.errorCode;
  }

  constructor(
    errorCode: string,
    errorMessage: string,
    { cause, ...details }: AuthErrorOptions = {},
  ) {
    super(`${errorCode}: ${errorMessage}`, cause === undefined ? {} : { cause });
    const status = details.status ?? 0;
    // Defaults first; what the options give overrides them.
    Object.assign(
      this,
      { errorCode, errorMessage, retryable: status == 429 || status > 499, requestSent: false },
      details,
    );
  }
}

/**
 * Only this class may trigger an interactive fallback: its `errorMessage` always starts with
 * `interaction_required`, so the seed's `errorMessage.indexOf("interaction_required")` test
 * is true exactly when a popup or redirect can fix the failure.
 */
export class InteractionRequiredAuthError extends AuthError {
  override name = 'InteractionRequiredAuthError';
  constructor(errorCode: string, detail: string, options: AuthErrorOptions = {}) {
    super(errorCode, `${codes.INTERACTION_REQUIRED}: ${detail}`, options);
  }
}

/** Fields of an OAuth 2.0 error response (RFC 6749 5.2, 4.1.2.1). */
export interface ServerErrorDetails {
  error: string;
  errorDescription?: string | undefined;
  errorUri?: string | undefined;
  status?: number | undefined;
  /** Microsoft Entra ID's refinement of `error`. */
  suberror?: string | undefined;
}

/**
 * The provider answered with an OAuth error that no user interaction can fix. An answer with
 * status 429 or 5xx and no OAuth error body is reported as `temporarily_unavailable`
 * (RFC 6749 4.1.2.1 names it as the 503 of the redirect channel) with `retryable` true.
 */
export class ServerError extends AuthError {
  override name = 'ServerError';
  declare readonly error: string;
  declare readonly errorDescription: string | undefined;
  declare readonly errorUri: string | undefined;
  constructor(
    { error, errorDescription, errorUri, status, suberror }: ServerErrorDetails,
    options: AuthErrorOptions = {},
  ) {
    // Errors that are not interaction-required never carry the marker the seed's check looks
    // for, even when a provider echoes it in free text.
    super(
      error,
      (errorDescription ?? 'The provider returned an error.').replaceAll(
        codes.INTERACTION_REQUIRED,
        'interaction-required',
      ),
      { status, suberror, ...options },
    );
    Object.assign(this, { error, errorDescription, errorUri });
  }
}

/** A response failed a protocol or security check (state, iss, ID token, shape). */
export class ClientAuthError extends AuthError {
  override name = 'ClientAuthError';
}

/** The browser could not do its part: popup blocked or closed, timeout, interaction in progress. */
export class BrowserAuthError extends AuthError {
  override name = 'BrowserAuthError';
}

/** The app's configuration or request is wrong; the message names the field and the fix. */
export class ClientConfigurationError extends AuthError {
  override name = 'ClientConfigurationError';
}

/** True for any Tessera error, also one created in another realm (iframe, popup). */
export function isAuthError(value: unknown): value is AuthError {
  // `Object()` turns primitives into wrappers without the brand, and null into `{}`.
  return value instanceof AuthError || (Object(value) as { [BRAND]?: unknown })[BRAND] === true;
}

/** True when a user interaction (popup or redirect) can fix the failure. */
export function isInteractionRequiredAuthError(
  value: unknown,
): value is InteractionRequiredAuthError {
  return isAuthError(value) && value.name === 'InteractionRequiredAuthError';
}

/** OAuth/OIDC `error` values that a user interaction can fix (OIDC Core 3.1.2.6). */
const INTERACTION_ERRORS: readonly string[] = [
  codes.INTERACTION_REQUIRED,
  codes.LOGIN_REQUIRED,
  codes.CONSENT_REQUIRED,
  codes.ACCOUNT_SELECTION_REQUIRED,
];

/**
 * Maps an OAuth error response to the error class that tells the caller what to do next:
 * interaction-required errors become {@link InteractionRequiredAuthError}, the rest
 * {@link ServerError}.
 */
export function fromOAuthError(
  details: ServerErrorDetails,
  options: AuthErrorOptions = {},
): AuthError {
  if (INTERACTION_ERRORS.includes(details.error)) {
    return new InteractionRequiredAuthError(
      details.error,
      details.errorDescription ?? `The provider answered ${details.error}.`,
      { status: details.status, suberror: details.suberror, ...options },
    );
  }
  return new ServerError(details, options);
}

/**
 * Whether a failed refresh-token grant means the refresh token itself is dead, so it must be
 * dropped: `invalid_grant` (RFC 6749 5.2) with no `suberror`, or with Entra's `bad_token` /
 * `token_expired`. Entra's other suberrors (`basic_action`, `additional_action`,
 * `message_only`, `consent_required`, `user_password_expired`, `protection_policy_required`,
 * `client_mismatch`, `device_authentication_failed`, and any new one) report a condition of
 * this request, e.g. a Conditional Access step-up for one resource: the refresh token stays
 * good for other requests, as in MSAL, which drops it only on `bad_token`.
 */
export function isRefreshTokenRejected(error: unknown): boolean {
  return (
    isAuthError(error) &&
    error.errorCode == codes.INVALID_GRANT &&
    [undefined, 'bad_token', 'token_expired'].includes(error.suberror)
  );
}

/** Wraps anything thrown into an {@link AuthError}, keeping the original as `cause`. */
export function toAuthError(value: unknown, options: AuthErrorOptions = {}): AuthError {
  if (isAuthError(value)) return value;
  return new AuthError(codes.UNEXPECTED_ERROR, 'An unexpected error occurred.', {
    ...options,
    cause: value,
  });
}
