import * as oauth from 'oauth4webapi';
import { ClientAuthError, INVALID_ID_TOKEN, ISSUER_MISMATCH } from '../errors/index.js';
import type { AuthError } from '../errors/index.js';
import { readAuthorizationResponseParams } from '../response-params.js';
import type { DiscoveredProvider } from './discovery.js';
import { matchesIssuerTemplate } from './issuer.js';
import { mapAuthorizationResponseError, mapProtocolError } from './map-error.js';
import { clientFor, transportFor } from './oauth-options.js';
import { toTokenResult } from './token-result.js';
import type {
  AuthorizationResponseContext,
  ProtocolClientOptions,
  RefreshInput,
  TokenResult,
} from './types.js';

/**
 * Validates an authorization response and redeems its code.
 *
 * 1. oauth4webapi's `validateAuthResponse`: `state` must be the one of this request
 *    (RFC 6749 10.12), `iss` must be the provider's when present and is required when the
 *    provider advertises RFC 9207; an `error` response is only trusted after both checks.
 * 2. The code is exchanged with the PKCE verifier at the token endpoint (RFC 7636 4.5).
 * 3. The ID token is validated per OIDC Core 3.1.3.7 (iss, aud, azp, exp, iat, nonce, and
 *    `auth_time` against `maxAge`). When `openid` was requested it is required
 *    (OIDC Core 3.1.3.3).
 *
 * Nothing is returned from a response that failed any check.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenResponseValidation
 * @throws ClientAuthError `state_mismatch`, `issuer_mismatch`, `nonce_mismatch`,
 * `invalid_id_token`, `invalid_response`, `network_error`; InteractionRequiredAuthError or
 * ServerError for an OAuth error response.
 */
export async function exchangeAuthorizationCode(
  provider: DiscoveredProvider,
  options: ProtocolClientOptions,
  responseUrl: URL,
  context: AuthorizationResponseContext,
): Promise<TokenResult> {
  const { logger } = options;
  const client = clientFor(options);
  const parameters = responseParameters(responseUrl);
  const issuer = expectedResponseIssuer(provider, parameters);

  let callbackParameters: URLSearchParams;
  try {
    callbackParameters = oauth.validateAuthResponse(
      issuer === provider.as.issuer ? provider.as : { ...provider.as, issuer },
      client,
      parameters,
      context.secrets.state,
    );
  } catch (error) {
    throw logged(
      options,
      'Authorization response',
      mapAuthorizationResponseError(error, parameters, {
        state: context.secrets.state,
        issuer,
        issParameterSupported: provider.info.issParameterSupported,
      }),
    );
  }

  const openid = context.requestedScopes.includes('openid');
  const maxAge = context.maxAge === undefined ? {} : { maxAge: context.maxAge };
  return grant(
    options,
    'authorization_code',
    openid ? context.secrets.nonce : undefined,
    async () => {
      const response = await oauth.authorizationCodeGrantRequest(
        provider.as,
        client,
        oauth.None(),
        callbackParameters,
        context.redirectUri,
        context.secrets.codeVerifier,
        transportFor(options, true),
      );
      const body = await oauth.processAuthorizationCodeResponse(
        provider.as,
        client,
        response,
        // Passing a nonce selects oauth4webapi's OpenID processing, which requires the ID token.
        openid ? { expectedNonce: context.secrets.nonce, requireIdToken: true, ...maxAge } : maxAge,
      );
      const result = toTokenResult(body, {
        clock: options.clock,
        logger,
        requestedScopes: context.requestedScopes,
        fallbackIssuer: issuer,
      });
      // Multi-tenant: when `iss` named a concrete tenant, that tenant must be the one that
      // issued the ID token (mix-up defence, RFC 9207 1).
      if (
        issuer !== provider.as.issuer &&
        result.idTokenClaims &&
        result.idTokenClaims.iss !== issuer
      ) {
        throw new ClientAuthError(
          ISSUER_MISMATCH,
          'ID token from another tenant than the authorization response.',
        );
      }
      return result;
    },
  );
}

/**
 * Refresh-token grant. A rotated refresh token is returned in `refreshToken`; `undefined` there
 * means the provider kept the old one valid. A refreshed ID token is validated like the first
 * (iss, aud, azp, exp) and must name the same `sub`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 * @throws ServerError `invalid_grant` when the refresh token is expired, revoked or reused,
 * including a 400/401 answer without an OAuth error body (with Entra's `suberror` when sent);
 * ServerError `temporarily_unavailable` for 429/5xx after the allowed retries (429 and 503
 * only); ClientAuthError `invalid_id_token`, `invalid_response`, `network_error` (with
 * `requestSent`: the refresh token may have been spent).
 */
export async function refreshTokens(
  provider: DiscoveredProvider,
  options: ProtocolClientOptions,
  input: RefreshInput,
): Promise<TokenResult> {
  const { logger } = options;
  const client = clientFor(options);
  const parameters = new URLSearchParams();
  // RFC 6749 6: a narrower scope may be asked for; omitting it means "as originally granted".
  if (input.scopes.length > 0) parameters.set('scope', input.scopes.join(' '));
  for (const resource of input.resource ?? []) parameters.append('resource', resource);
  return grant(options, 'refresh_token', undefined, async () => {
    const response = await oauth.refreshTokenGrantRequest(
      provider.as,
      client,
      oauth.None(),
      input.refreshToken,
      { additionalParameters: parameters, ...transportFor(options, true) },
    );
    const body = await oauth.processRefreshTokenResponse(provider.as, client, response);
    const claims = oauth.getValidatedIdTokenClaims(body);
    if (claims !== undefined && claims.sub !== input.expectedSub) {
      throw new ClientAuthError(INVALID_ID_TOKEN, 'Refreshed ID token of another user (sub).');
    }
    return toTokenResult(body, {
      clock: options.clock,
      logger,
      requestedScopes: input.scopes,
      fallbackIssuer: provider.as.issuer,
    });
  });
}

/** Runs a token request, logging its outcome (the error code only) and mapping its errors. */
async function grant(
  options: ProtocolClientOptions,
  stage: 'authorization_code' | 'refresh_token',
  expectedNonce: string | undefined,
  run: () => Promise<TokenResult>,
): Promise<TokenResult> {
  try {
    const result = await run();
    options.logger.info(`Token request (${stage}): ok`);
    return result;
  } catch (error) {
    throw logged(
      options,
      `Token request (${stage})`,
      mapProtocolError(error, { stage, expectedNonce, now: options.clock.now() }),
    );
  }
}

/**
 * The response parameters from the query or fragment. When neither carries a complete
 * response, the query is checked anyway so that the failure names what is missing.
 */
function responseParameters(url: URL): URLSearchParams {
  return (
    readAuthorizationResponseParams(url) ??
    new URLSearchParams(url.search.length > 1 ? url.search.slice(1) : url.hash.slice(1))
  );
}

/**
 * The issuer an `iss` response parameter must equal. For a `{tenantid}` template it is the
 * `iss` itself when that is the template filled with a plain tenant id: which tenant answers is
 * only known from the response. The ID token must then come from the same tenant.
 */
function expectedResponseIssuer(provider: DiscoveredProvider, parameters: URLSearchParams): string {
  const template = provider.issuerTemplate;
  const announced = parameters.getAll('iss');
  if (template !== undefined && announced.length === 1) {
    const [iss] = announced;
    if (iss !== undefined && matchesIssuerTemplate(template, iss)) return iss;
  }
  return provider.as.issuer;
}

function logged(options: ProtocolClientOptions, what: string, error: AuthError): AuthError {
  // The code only: descriptions may echo request data, and tokens never appear in logs.
  options.logger.warning(`${what} failed: ${error.errorCode}`);
  return error;
}
