import * as oauth from 'oauth4webapi';
import { ClientAuthError, INVALID_RESPONSE } from '../errors/index.js';
import type { Clock } from '../ports.js';
import type { Logger } from '../logger.js';
import type { IdTokenClaims } from '../types.js';
import type { TokenResult } from './types.js';

/**
 * Lifetime assumed when a token response omits `expires_in` (RFC 6749 5.1 makes it only
 * RECOMMENDED). Short on purpose: renewing early costs a request, using a dead token costs a
 * failed API call.
 */
export const ASSUMED_EXPIRES_IN_SECONDS = 300;

/** What turns a validated oauth4webapi token response into a {@link TokenResult}. */
export interface TokenResultContext {
  clock: Clock;
  logger: Logger;
  /** Used when the response omits `scope` (RFC 6749 5.1: then it equals the request). */
  requestedScopes: string[];
  /** The issuer to report when the response has no ID token. */
  fallbackIssuer: string;
}

/**
 * Converts a token response that oauth4webapi has fully validated. Wire names end here.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @throws ClientAuthError `invalid_response` for a non-Bearer token type: DPoP-bound tokens need
 * a proof this client does not send, so such a token would be unusable.
 */
export function toTokenResult(
  response: oauth.TokenEndpointResponse,
  context: TokenResultContext,
): TokenResult {
  // oauth4webapi lowercases token_type; RFC 6749 7.1 makes it case-insensitive.
  if (response.token_type !== 'bearer') {
    throw new ClientAuthError(
      INVALID_RESPONSE,
      `Token type "${response.token_type}" is not Bearer.`,
    );
  }
  let expiresIn = response.expires_in;
  if (expiresIn === undefined) {
    context.logger.warning(
      `Token response without expires_in: assuming ${ASSUMED_EXPIRES_IN_SECONDS} s`,
    );
    expiresIn = ASSUMED_EXPIRES_IN_SECONDS;
  }
  const claims = oauth.getValidatedIdTokenClaims(response);
  const idTokenClaims = claims === undefined ? undefined : ({ ...claims } as IdTokenClaims);
  return {
    accessToken: response.access_token,
    tokenType: 'Bearer',
    expiresAt: context.clock.now() + expiresIn * 1000,
    grantedScopes: grantedScopes(response.scope, context.requestedScopes),
    refreshToken: response.refresh_token,
    idToken: response.id_token,
    idTokenClaims,
    issuer: idTokenClaims?.iss ?? context.fallbackIssuer,
  };
}

/** RFC 6749 3.3: space-delimited; an omitted `scope` means "as requested" (5.1). */
function grantedScopes(scope: string | undefined, requested: string[]): string[] {
  if (scope === undefined) return [...requested];
  return scope.split(' ').filter((entry) => entry.length > 0);
}
