import * as oauth from 'oauth4webapi';
import {
  ClientAuthError,
  ServerError,
  fromOAuthError,
  isAuthError,
  toAuthError,
} from '../errors/auth-error.js';
import {
  DISCOVERY_FAILED,
  INVALID_GRANT,
  INVALID_ID_TOKEN,
  INVALID_RESPONSE,
  NETWORK_ERROR,
  NONCE_MISMATCH,
  TEMPORARILY_UNAVAILABLE,
} from '../errors/error-codes.js';
import type { AuthError, ServerErrorDetails } from '../errors/auth-error.js';

/**
 * Which protocol step failed; the same oauth4webapi code means different things per step.
 * The token requests are named by their `grant_type`.
 */
export type ProtocolStage = 'discovery' | 'authorization_code' | 'refresh_token';

/** What the mapper needs to know about the step that failed. */
export interface ErrorContext {
  stage: ProtocolStage;
  /** The nonce the ID token must carry, when one was sent: a missing one is then a mismatch. */
  nonce?: string | undefined;
  /** The clock port's time, to read an HTTP-date `Retry-After`; default `Date.now()`. */
  now?: number | undefined;
  /** The code of a failed check when the caller knows which it was (authorization response). */
  code?: string | undefined;
}

/**
 * Translates anything thrown by oauth4webapi (or by `fetch` underneath it) into a Tessera error,
 * keeping the original as `cause` with its data reduced to {@link SAFE_FIELDS}. Decisions use
 * oauth4webapi's error classes and structured `cause` data, never message text.
 *
 * | thrown | becomes |
 * |---|---|
 * | Tessera error | itself |
 * | OAuth error: `ResponseBodyError` (RFC 6749 5.2), `AuthorizationResponseError`, `WWWAuthenticateChallengeError` | `fromOAuthError`: `InteractionRequiredAuthError` or `ServerError`, with `status` and `suberror` |
 * | fetch `TypeError`, abort/timeout | `ClientAuthError` `network_error`, `retryable`; `requestSent` for token requests |
 * | status 429 or 5xx without an OAuth error body | `ServerError` `temporarily_unavailable`, `retryable`, `retryAfter` |
 * | refresh grant: status 400/401 without an OAuth error body | `ServerError` `invalid_grant` |
 * | anything else while discovering | `ClientAuthError` `discovery_failed` |
 * | claim check failed (`claim` in the cause): `nonce` | `ClientAuthError` `nonce_mismatch` |
 * | other claim or time checks, missing/mistyped claims, unexpected `alg` | `ClientAuthError` `invalid_id_token` (`nonce_mismatch` when the nonce is the one missing) |
 * | other shape/parse/status failures, unsupported operations | `ClientAuthError` `invalid_response` (or `context.code`) |
 * | anything else | `AuthError` `unexpected_error` |
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export function mapProtocolError(
  error: unknown,
  { stage, nonce, now = Date.now(), code }: ErrorContext,
): AuthError {
  if (isAuthError(error)) return error;
  const discovery = stage == 'discovery';
  const cause = field(error, 'cause');
  // The HTTP answer, when there was one: on an OAuth error, or as the cause of a status failure.
  const response = field(error, 'response') ?? cause;
  const status = response instanceof Response ? response.status : undefined;
  // Structured causes tell an ID token problem apart from a token response problem: claim checks
  // carry `claim` and/or `claims`, algorithm checks the JWT `header`. Read before scrubbing.
  const claim = field(cause, 'claim');
  const claims = field(cause, 'claims');
  // A JWT that does not even split into three parts comes back as the JWS string itself.
  const idToken =
    claim ?? claims ?? field(cause, 'header') ?? (typeof cause == 'string' || undefined);
  const challenge =
    error instanceof oauth.WWWAuthenticateChallengeError &&
    // RFC 6749 5.2: a failed client authentication is answered 401 + WWW-Authenticate.
    safeFields({ error: 'invalid_client', ...error.cause[0]?.parameters });
  const safe = scrub(error);
  const oauthError =
    challenge ||
    ((error instanceof oauth.ResponseBodyError ||
      error instanceof oauth.AuthorizationResponseError) &&
      safe);
  const options = {
    cause: error,
    status,
    retryAfter: response instanceof Response ? retryAfterMs(response, now) : undefined,
  };

  if (oauthError) return fromOAuthError(oauthError, options);
  // `fetch` rejects with a plain `TypeError` (oauth4webapi's argument errors carry a `code`),
  // an abort or timeout with a `DOMException` of that name.
  if (
    error instanceof TypeError
      ? !field(error, 'code')
      : /^(Abort|Timeout|Network)Error$/.test(field(error, 'name') as string)
  ) {
    return new ClientAuthError(
      NETWORK_ERROR,
      discovery
        ? 'No answer from the provider.'
        : 'No answer; the token request may have been processed.',
      { ...options, retryable: true, requestSent: !discovery },
    );
  }
  // Deployed providers answer a revoked refresh token with a bare 400/401: the grant was refused.
  const server =
    // (`undefined > 499` is false: no answer is not a 5xx.)
    status == 429 || status! > 499
      ? TEMPORARILY_UNAVAILABLE
      : stage == 'refresh_token' && (status == 400 || status == 401)
        ? INVALID_GRANT
        : undefined;
  if (server) {
    return new ServerError(
      {
        error: server,
        errorDescription: `HTTP ${status}: ${server == INVALID_GRANT ? 'refresh token refused' : 'try again later'}.`,
      },
      options,
    );
  }
  // oauth4webapi's own failures all have an `OAUTH_` code (its argument errors `ERR_`).
  if (!discovery && !/^OAUTH_/.test(field(error, 'code') as string)) return toAuthError(error);
  code = discovery
    ? DISCOVERY_FAILED
    : (claim ? claim == 'nonce' : claims && nonce && !field(claims, 'nonce'))
      ? NONCE_MISMATCH
      : idToken
        ? INVALID_ID_TOKEN
        : (code ?? INVALID_RESPONSE);
  // The code says what failed; oauth4webapi's reason (which names no values) says why.
  return new ClientAuthError(
    code,
    `${discovery ? 'Check the authority' : 'Response rejected'}: ${field(error, 'message') as string}.`,
    options,
  );
}

/**
 * What survives of an oauth4webapi error's `cause`: the OAuth error fields. Its causes hold whole
 * token responses (`body`), ID tokens (a JWT string), their claims, callback parameters (`code`,
 * `state`) and JSON parse errors quoting the body; kept as they are, `console.error(error)` would
 * print them. Which claim or attribute failed a check is in the error's message.
 */
const SAFE_FIELDS = 'error error_description error_uri suberror'.split(' ');

/**
 * Replaces an oauth4webapi error's `cause` with its {@link safeFields}, and returns them. Every
 * oauth4webapi error has a `code`; a fetch `TypeError` has none and is kept as it is.
 */
function scrub(error: unknown): ServerErrorDetails | undefined {
  if (error instanceof Error && 'code' in error) {
    const { cause } = error;
    return (error.cause = safeFields(
      cause instanceof URLSearchParams ? Object.fromEntries(cause) : cause,
    ));
  }
  return undefined;
}

/**
 * The {@link SAFE_FIELDS} of `source` that are strings, named in camelCase: for an OAuth error
 * (`error_description` → `errorDescription`), the fields of {@link ServerErrorDetails}.
 */
function safeFields(source: unknown): ServerErrorDetails {
  const safe: Record<string, string> = {};
  for (const key of SAFE_FIELDS) {
    const value = field(source, key);
    if (typeof value == 'string') {
      safe[key.replace(/_(.)/g, (_match, letter: string) => letter.toUpperCase())] = value;
    }
  }
  return safe as unknown as ServerErrorDetails;
}

/** A member of anything, or undefined: `Object()` boxes primitives and turns null into `{}`. */
function field(value: unknown, key: string): unknown {
  return (Object(value) as Record<string, unknown>)[key];
}

/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds or an HTTP-date, read against
 * the clock port (RFC 9110 10.2.3); undefined when absent or unreadable.
 */
export function retryAfterMs(response: Response, now: number): number | undefined {
  const value = response.headers.get('retry-after');
  const ms = value ? (+value >= 0 ? +value * 1000 : Date.parse(value) - now) : NaN;
  return isNaN(ms) ? undefined : Math.max(0, ms);
}
