import * as oauth from 'oauth4webapi';
import {
  ClientAuthError,
  DISCOVERY_FAILED,
  INVALID_GRANT,
  INVALID_ID_TOKEN,
  INVALID_RESPONSE,
  ISSUER_MISMATCH,
  NETWORK_ERROR,
  NONCE_MISMATCH,
  STATE_MISMATCH,
  ServerError,
  TEMPORARILY_UNAVAILABLE,
  fromOAuthError,
  isAuthError,
  toAuthError,
} from '../errors/index.js';
import type { AuthError, AuthErrorOptions } from '../errors/index.js';
import { retryAfterMs } from './oauth-options.js';

/**
 * Which protocol step failed; the same oauth4webapi code means different things per step.
 * The token requests are named by their `grant_type`.
 */
export type ProtocolStage = 'discovery' | 'authorization_code' | 'refresh_token';

/** What the mapper needs to know about the step that failed. */
export interface ErrorContext {
  stage: ProtocolStage;
  /** Set when the step expected an ID token `nonce`, so a missing one reads as a mismatch. */
  expectedNonce?: string | undefined;
  /** The clock port's time, to read an HTTP-date `Retry-After`; default `Date.now()`. */
  now?: number | undefined;
}

const NONCE_MESSAGE = 'ID token nonce does not match the request.';
const DISCOVERY_MESSAGE = 'Discovery document unreadable or invalid.';

/** What the authorization response was checked against (RFC 6749 4.1.2, RFC 9207 2.4). */
export interface AuthorizationResponseExpectations {
  state: string;
  /** The issuer the `iss` parameter must equal (template already resolved where allowed). */
  issuer: string;
  /** RFC 9207 `authorization_response_iss_parameter_supported`: `iss` is then required. */
  issParameterSupported: boolean;
}

/**
 * Translates anything thrown by oauth4webapi (or by `fetch` underneath it) into a Tessera error,
 * keeping the original as `cause` with its data reduced to {@link SAFE_FIELDS}. Decisions use
 * oauth4webapi's error classes, `code` values and structured `cause` data, never message text,
 * which may change between versions.
 *
 * | thrown | becomes |
 * |---|---|
 * | Tessera error | itself |
 * | `ResponseBodyError` (RFC 6749 5.2), `WWWAuthenticateChallengeError` | `fromOAuthError`: `InteractionRequiredAuthError` or `ServerError`, with `status` and `suberror` |
 * | fetch `TypeError`, abort/timeout | `ClientAuthError` `network_error`, `retryable`; `requestSent` for token requests |
 * | status 429 or 5xx without an OAuth error body | `ServerError` `temporarily_unavailable`, `retryable`, `retryAfter` |
 * | refresh grant: status 400/401 without an OAuth error body | `ServerError` `invalid_grant` |
 * | `OAUTH_JWT_CLAIM_COMPARISON_FAILED`, claim `nonce` | `ClientAuthError` `nonce_mismatch` |
 * | `OAUTH_JWT_CLAIM_COMPARISON_FAILED` (iss, aud, azp), `OAUTH_JWT_TIMESTAMP_CHECK_FAILED` (exp, nbf, auth_time) | `ClientAuthError` `invalid_id_token` |
 * | missing/mistyped ID token claim or unexpected `alg` | `ClientAuthError` `invalid_id_token` (`nonce_mismatch` when the nonce is the one missing) |
 * | any failure while discovering, or unusable endpoint metadata | `ClientAuthError` `discovery_failed` |
 * | other shape/parse/status failures, unsupported operations | `ClientAuthError` `invalid_response` |
 * | anything else | `AuthError` `unexpected_error` |
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export function mapProtocolError(error: unknown, context: ErrorContext): AuthError {
  if (isAuthError(error)) return error;
  if (error instanceof oauth.AuthorizationResponseError) return fromAuthorizationError(error);
  const { stage } = context;
  const discovery = stage === 'discovery';
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  // The HTTP answer, when there was one: on a body error, or as the cause of a status failure.
  const response =
    error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError
      ? error.response
      : cause instanceof Response
        ? cause
        : undefined;
  const status = response?.status;
  const options: AuthErrorOptions = {
    cause: scrubbed(error),
    status,
    retryAfter: response && retryAfterMs(response, context.now ?? Date.now()),
  };
  const fail = (code: string, message: string): AuthError =>
    new ClientAuthError(code, message, options);

  if (error instanceof oauth.ResponseBodyError) {
    return fromOAuthError(
      {
        error: error.error,
        errorDescription: error.error_description,
        errorUri: stringField(cause, 'error_uri'),
        suberror: stringField(cause, 'suberror'),
      },
      options,
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const parameters = error.cause[0]?.parameters;
    return fromOAuthError(
      {
        // RFC 6749 5.2: a failed client authentication is answered 401 + WWW-Authenticate.
        error: parameters?.error ?? 'invalid_client',
        errorDescription: parameters?.error_description,
        errorUri: parameters?.error_uri,
      },
      options,
    );
  }
  if (isNetworkFailure(error)) {
    return new ClientAuthError(
      NETWORK_ERROR,
      discovery
        ? 'No answer from the provider (discovery).'
        : 'No answer from the token endpoint; the request may have been processed.',
      { ...options, retryable: true, requestSent: !discovery },
    );
  }
  if (status !== undefined && (status === 429 || status >= 500)) {
    return new ServerError(
      {
        error: TEMPORARILY_UNAVAILABLE,
        errorDescription: `HTTP ${status}: try again later.`,
      },
      options,
    );
  }
  if (stage === 'refresh_token' && (status === 400 || status === 401)) {
    // Deployed providers answer a revoked refresh token like this: the grant was refused.
    return new ServerError(
      {
        error: INVALID_GRANT,
        errorDescription: `Refresh token rejected (HTTP ${status}, no error body).`,
      },
      options,
    );
  }
  if (error instanceof oauth.OperationProcessingError) {
    switch (error.code) {
      case oauth.JWT_CLAIM_COMPARISON:
      case oauth.JWT_TIMESTAMP_CHECK: {
        const claim = stringField(cause, 'claim');
        return claim === 'nonce'
          ? fail(NONCE_MISMATCH, NONCE_MESSAGE)
          : fail(INVALID_ID_TOKEN, `ID token claim "${claim ?? ''}" is invalid.`);
      }
      case oauth.MISSING_SERVER_METADATA:
      case oauth.INVALID_SERVER_METADATA:
      case oauth.HTTP_REQUEST_FORBIDDEN:
      case oauth.REQUEST_PROTOCOL_FORBIDDEN:
        return fail(DISCOVERY_FAILED, 'Provider metadata names a missing or insecure endpoint.');
    }
    if (discovery) {
      return fail(
        DISCOVERY_FAILED,
        error.code === oauth.JSON_ATTRIBUTE_COMPARISON
          ? 'Discovery document of another issuer than the authority.'
          : DISCOVERY_MESSAGE,
      );
    }
    // Structured causes tell an ID token problem apart from a token response problem: claim
    // checks carry `claims`, algorithm checks carry the JWT `header`.
    const claims = objectField(cause, 'claims');
    if (claims !== undefined && context.expectedNonce !== undefined && !claims['nonce']) {
      return fail(NONCE_MISMATCH, NONCE_MESSAGE);
    }
    return claims !== undefined || objectField(cause, 'header') !== undefined
      ? fail(INVALID_ID_TOKEN, 'ID token claim missing or mistyped, or unexpected algorithm.')
      : fail(INVALID_RESPONSE, 'Token response breaks the protocol.');
  }
  if (error instanceof oauth.UnsupportedOperationError) {
    return fail(discovery ? DISCOVERY_FAILED : INVALID_RESPONSE, 'Unsupported provider feature.');
  }
  if (discovery && error instanceof TypeError) {
    // A coded TypeError here means the document itself is unusable (e.g. issuer not a URL).
    return fail(DISCOVERY_FAILED, DISCOVERY_MESSAGE);
  }
  return toAuthError(error);
}

/**
 * Classifies a failed `validateAuthResponse`. oauth4webapi reports a wrong `state` and a wrong
 * `iss` with the same code, so the parameters are compared again here only to pick the error
 * code; the decision to reject was already oauth4webapi's.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export function mapAuthorizationResponseError(
  error: unknown,
  parameters: URLSearchParams,
  expected: AuthorizationResponseExpectations,
): AuthError {
  if (isAuthError(error)) return error;
  if (error instanceof oauth.AuthorizationResponseError) return fromAuthorizationError(error);
  const states = parameters.getAll('state');
  const issuers = parameters.getAll('iss');
  const issuer = issuers[0];
  const [code, message] =
    states.length !== 1 || states[0] !== expected.state
      ? [STATE_MISMATCH, 'Authorization response for no request of this app (state).']
      : issuers.length > 1 ||
          (issuer === undefined && expected.issParameterSupported) ||
          (issuer !== undefined && issuer !== expected.issuer)
        ? [ISSUER_MISMATCH, 'Authorization response from another provider (RFC 9207 iss).']
        : [INVALID_RESPONSE, 'Malformed authorization response.'];
  return new ClientAuthError(code, message, { cause: scrubbed(error) });
}

function fromAuthorizationError(error: oauth.AuthorizationResponseError): AuthError {
  const parameters = error.cause;
  return fromOAuthError(
    {
      error: error.error,
      errorDescription: error.error_description,
      errorUri: parameters.get('error_uri') ?? undefined,
      suberror: parameters.get('suberror') ?? undefined,
    },
    { cause: scrubbed(error) },
  );
}

/**
 * What survives of an oauth4webapi error's `cause`. Its causes hold whole token responses
 * (`body`), ID tokens (a JWT string), their claims, callback parameters (`code`, `state`) and
 * JSON parse errors quoting the body; kept as they are, `console.error(error)` would print them.
 */
const SAFE_FIELDS = [
  'error',
  'error_description',
  'error_uri',
  'suberror',
  'status',
  'claim',
  'attribute',
] as const;

/**
 * The same error with its `cause` reduced to {@link SAFE_FIELDS} (a Response to its status).
 * Every oauth4webapi error has a `code`; a fetch `TypeError` has none and is kept whole.
 */
function scrubbed(error: unknown): unknown {
  if (error instanceof Error && 'code' in error) {
    const cause: unknown =
      error.cause instanceof URLSearchParams ? Object.fromEntries(error.cause) : error.cause;
    const safe: Record<string, unknown> = {};
    for (const key of SAFE_FIELDS) {
      const value = field(cause, key);
      if (typeof value === 'string' || typeof value === 'number') safe[key] = value;
    }
    Object.assign(error, { cause: safe });
  }
  return error;
}

/**
 * `fetch` rejects with a plain `TypeError` when the network fails; oauth4webapi's own argument
 * errors are TypeErrors too but carry an `ERR_INVALID_ARG_*` code. Abort and timeout surface as
 * `DOMException`s.
 */
function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError
    ? stringField(error, 'code') === undefined
    : error instanceof DOMException && /^(Abort|Timeout|Network)Error$/.test(error.name);
}

/** A member of anything, or undefined: `Object()` boxes primitives and turns null into `{}`. */
function field(value: unknown, key: string): unknown {
  return (Object(value) as Record<string, unknown>)[key];
}

function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}

function objectField(value: unknown, key: string): Record<string, unknown> | undefined {
  const found = field(value, key);
  return typeof found === 'object' && found !== null
    ? (found as Record<string, unknown>)
    : undefined;
}
