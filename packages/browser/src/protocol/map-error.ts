import * as oauth from 'oauth4webapi';
import {
  ClientAuthError,
  DISCOVERY_FAILED,
  INVALID_ID_TOKEN,
  INVALID_RESPONSE,
  ISSUER_MISMATCH,
  NETWORK_ERROR,
  NONCE_MISMATCH,
  STATE_MISMATCH,
  fromOAuthError,
  isAuthError,
  toAuthError,
} from '../errors/index.js';
import type { AuthError } from '../errors/index.js';

/** Which protocol step failed; the same oauth4webapi code means different things per step. */
export type ProtocolStage = 'discovery' | 'token';

/** What the mapper needs to know about the step that failed. */
export interface ErrorContext {
  stage: ProtocolStage;
  /** Set when the step expected an ID token `nonce`, so a missing one reads as a mismatch. */
  expectedNonce?: string | undefined;
}

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
 * keeping the original as `cause`. Decisions use oauth4webapi's error classes, `code` values
 * and structured `cause` data, never message text, which may change between versions.
 *
 * | thrown | becomes |
 * |---|---|
 * | Tessera error | itself |
 * | `ResponseBodyError` (RFC 6749 5.2), `WWWAuthenticateChallengeError` | `fromOAuthError`: `InteractionRequiredAuthError` or `ServerError` |
 * | `OAUTH_JWT_CLAIM_COMPARISON_FAILED`, claim `nonce` | `ClientAuthError` `nonce_mismatch` |
 * | `OAUTH_JWT_CLAIM_COMPARISON_FAILED` (iss, aud, azp), `OAUTH_JWT_TIMESTAMP_CHECK_FAILED` (exp, nbf, auth_time) | `ClientAuthError` `invalid_id_token` |
 * | missing/mistyped ID token claim or unexpected `alg` | `ClientAuthError` `invalid_id_token` (`nonce_mismatch` when the nonce is the one missing) |
 * | any failure while discovering, or unusable endpoint metadata | `ClientAuthError` `discovery_failed` |
 * | fetch `TypeError`, abort/timeout | `ClientAuthError` `network_error` |
 * | other shape/parse/status failures, unsupported operations | `ClientAuthError` `invalid_response` |
 * | anything else | `AuthError` `unexpected_error` |
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export function mapProtocolError(error: unknown, context: ErrorContext): AuthError {
  if (isAuthError(error)) return error;
  const options = { cause: error };

  if (error instanceof oauth.ResponseBodyError) {
    return fromOAuthError(
      {
        error: error.error,
        errorDescription: error.error_description,
        errorUri: stringField(error.cause, 'error_uri'),
        status: error.status,
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
        status: error.status,
      },
      options,
    );
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    return fromAuthorizationError(error);
  }
  if (isNetworkFailure(error)) {
    return new ClientAuthError(
      NETWORK_ERROR,
      context.stage === 'discovery'
        ? 'The provider could not be reached to read its discovery document.'
        : 'The token endpoint could not be reached.',
      options,
    );
  }
  if (error instanceof oauth.OperationProcessingError) {
    return fromProcessingError(error, context);
  }
  if (error instanceof oauth.UnsupportedOperationError) {
    return new ClientAuthError(
      context.stage === 'discovery' ? DISCOVERY_FAILED : INVALID_RESPONSE,
      'The provider answered with a feature this client does not support (token type, JWE, JWS algorithm or critical header).',
      options,
    );
  }
  if (context.stage === 'discovery' && error instanceof TypeError) {
    // A coded TypeError here means the document itself is unusable (e.g. issuer not a URL).
    return new ClientAuthError(DISCOVERY_FAILED, 'The discovery document is invalid.', options);
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
  const options = { cause: error };
  const states = parameters.getAll('state');
  if (states.length !== 1 || states[0] !== expected.state) {
    return new ClientAuthError(
      STATE_MISMATCH,
      'The authorization response does not carry the state of the request this app made.',
      options,
    );
  }
  const issuers = parameters.getAll('iss');
  const issuer = issuers[0];
  if (
    issuers.length > 1 ||
    (issuer === undefined && expected.issParameterSupported) ||
    (issuer !== undefined && issuer !== expected.issuer)
  ) {
    return new ClientAuthError(
      ISSUER_MISMATCH,
      'The authorization response was not issued by the configured provider (RFC 9207 iss).',
      options,
    );
  }
  return new ClientAuthError(
    INVALID_RESPONSE,
    'The authorization response is malformed or uses an unsupported response type.',
    options,
  );
}

function fromAuthorizationError(error: oauth.AuthorizationResponseError): AuthError {
  return fromOAuthError(
    {
      error: error.error,
      errorDescription: error.error_description,
      errorUri: error.cause.get('error_uri') ?? undefined,
    },
    { cause: error },
  );
}

function fromProcessingError(
  error: oauth.OperationProcessingError,
  context: ErrorContext,
): AuthError {
  const options = { cause: error };
  const cause: unknown = error.cause;
  switch (error.code) {
    case oauth.JWT_CLAIM_COMPARISON:
      if (stringField(cause, 'claim') === 'nonce') {
        return new ClientAuthError(
          NONCE_MISMATCH,
          'The ID token nonce does not match the authorization request.',
          options,
        );
      }
      return new ClientAuthError(
        INVALID_ID_TOKEN,
        `The ID token "${stringField(cause, 'claim') ?? 'unknown'}" claim failed validation.`,
        options,
      );
    case oauth.JWT_TIMESTAMP_CHECK:
      return new ClientAuthError(
        INVALID_ID_TOKEN,
        `The ID token "${stringField(cause, 'claim') ?? 'time'}" claim is outside the accepted time window.`,
        options,
      );
    case oauth.MISSING_SERVER_METADATA:
    case oauth.INVALID_SERVER_METADATA:
    case oauth.HTTP_REQUEST_FORBIDDEN:
    case oauth.REQUEST_PROTOCOL_FORBIDDEN:
      return new ClientAuthError(
        DISCOVERY_FAILED,
        'The provider metadata names a missing or insecure endpoint.',
        options,
      );
    default:
      break;
  }
  if (context.stage === 'discovery') {
    return new ClientAuthError(
      DISCOVERY_FAILED,
      error.code === oauth.JSON_ATTRIBUTE_COMPARISON
        ? 'The discovery document belongs to another issuer than the configured authority.'
        : 'The discovery document could not be read or is invalid.',
      options,
    );
  }
  // Structured causes tell an ID token problem apart from a token response problem: claim
  // checks carry `claims`, algorithm checks carry the JWT `header`.
  const claims = objectField(cause, 'claims');
  if (claims !== undefined) {
    if (context.expectedNonce !== undefined && claims['nonce'] === undefined) {
      return new ClientAuthError(
        NONCE_MISMATCH,
        'The ID token carries no nonce although the request sent one.',
        options,
      );
    }
    return new ClientAuthError(
      INVALID_ID_TOKEN,
      'The ID token misses a required claim or has a claim of the wrong type.',
      options,
    );
  }
  if (objectField(cause, 'header') !== undefined) {
    return new ClientAuthError(
      INVALID_ID_TOKEN,
      'The ID token is signed with an unexpected algorithm.',
      options,
    );
  }
  return new ClientAuthError(
    INVALID_RESPONSE,
    'The token endpoint answered with a response that breaks the protocol.',
    options,
  );
}

/**
 * `fetch` rejects with a plain `TypeError` when the network fails; oauth4webapi's own argument
 * errors are TypeErrors too but carry an `ERR_INVALID_ARG_*` code. Abort and timeout surface as
 * `DOMException`s.
 */
function isNetworkFailure(error: unknown): boolean {
  if (error instanceof TypeError) return stringField(error, 'code') === undefined;
  return (
    error instanceof DOMException &&
    (error.name === 'AbortError' || error.name === 'TimeoutError' || error.name === 'NetworkError')
  );
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

function objectField(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'object' && field !== null && !Array.isArray(field)
    ? (field as Record<string, unknown>)
    : undefined;
}
