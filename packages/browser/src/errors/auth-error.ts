import * as codes from './error-codes.js';

/** Brand shared across realms: an error thrown in an iframe fails `instanceof` here. */
const BRAND = Symbol.for('tessera.auth_error');

/** What every Tessera error carries besides `message`. */
export interface AuthErrorOptions {
  cause?: unknown;
  correlationId?: string;
}

/**
 * Base of every error Tessera throws. Use `errorCode` (a stable snake_case constant from
 * `error-codes`) to decide what to do; `errorMessage` is for people.
 */
export class AuthError extends Error {
  /** Literal so minifiers cannot mangle it. */
  override name: string = 'AuthError';
  /** Stable snake_case code. */
  readonly errorCode: string;
  /** Human readable text. Contains `interaction_required` only for {@link InteractionRequiredAuthError}. */
  readonly errorMessage: string;
  /** Correlation id of the request that failed, when there was one. */
  readonly correlationId: string | undefined;
  readonly [BRAND] = true;

  constructor(errorCode: string, errorMessage: string, options: AuthErrorOptions = {}) {
    super(
      `${errorCode}: ${errorMessage}`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.correlationId = options.correlationId;
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
}

/** The provider answered with an OAuth error that no user interaction can fix. */
export class ServerError extends AuthError {
  override name = 'ServerError';
  readonly error: string;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;
  readonly status: number | undefined;
  constructor(details: ServerErrorDetails, options: AuthErrorOptions = {}) {
    super(
      details.error,
      withoutInteractionMarker(details.errorDescription ?? 'The provider returned an error.'),
      options,
    );
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.errorUri = details.errorUri;
    this.status = details.status;
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
  return (
    typeof value === 'object' &&
    value !== null &&
    (value instanceof AuthError || (value as { [BRAND]?: unknown })[BRAND] === true)
  );
}

/** True when a user interaction (popup or redirect) can fix the failure. */
export function isInteractionRequiredAuthError(
  value: unknown,
): value is InteractionRequiredAuthError {
  return isAuthError(value) && value.name === 'InteractionRequiredAuthError';
}

/**
 * Errors that are not interaction-required must never carry the marker the seed's check
 * looks for, even when a provider echoes it in free text.
 */
function withoutInteractionMarker(text: string): string {
  return text.split(codes.INTERACTION_REQUIRED).join('interaction-required');
}

/** OAuth/OIDC `error` values that a user interaction can fix (OIDC Core 3.1.2.6). */
const INTERACTION_ERRORS: ReadonlySet<string> = new Set([
  codes.INTERACTION_REQUIRED,
  codes.LOGIN_REQUIRED,
  codes.CONSENT_REQUIRED,
  codes.ACCOUNT_SELECTION_REQUIRED,
]);

/**
 * Maps an OAuth error response to the error class that tells the caller what to do next:
 * interaction-required errors become {@link InteractionRequiredAuthError}, the rest
 * {@link ServerError}.
 */
export function fromOAuthError(
  details: ServerErrorDetails,
  options: AuthErrorOptions = {},
): AuthError {
  if (INTERACTION_ERRORS.has(details.error)) {
    return new InteractionRequiredAuthError(
      details.error,
      details.errorDescription ?? `The provider answered ${details.error}.`,
      options,
    );
  }
  return new ServerError(details, options);
}

/** Wraps anything thrown into an {@link AuthError}, keeping the original as `cause`. */
export function toAuthError(value: unknown, options: AuthErrorOptions = {}): AuthError {
  if (isAuthError(value)) return value;
  return new AuthError(codes.UNEXPECTED_ERROR, 'An unexpected error occurred.', {
    ...options,
    cause: value,
  });
}
