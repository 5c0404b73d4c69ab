import * as oauth from 'oauth4webapi';
import type { Logger } from '../logger.js';
import type {
  AuthorizationRequest,
  AuthorizationRequestInput,
  AuthorizationSecrets,
  ProviderInfo,
} from './types.js';

/**
 * Parameters that bind the response to this request and this client. `extraQueryParameters`
 * never sets them: an app (or a value copied from elsewhere) overriding `state` or the PKCE
 * challenge would silently disable the checks made when the response comes back. `request` and
 * `request_uri` are refused too: a request object's parameters supersede the query's
 * (OIDC Core 6.3.3), which would be the same override by another route.
 */
const PROTECTED_PARAMETERS =
  /^(client_id|redirect_uri|response_type|scope|state|nonce|code_challenge(_method)?|request(_uri)?)$/;

/** Fresh single-use secrets: 256 bits each from `crypto.getRandomValues`, base64url encoded. */
export function createSecrets(): AuthorizationSecrets {
  return {
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    codeVerifier: oauth.generateRandomCodeVerifier(),
  };
}

/**
 * Builds an authorization code request with PKCE S256, `state` and `nonce`.
 *
 * Parameters already in the endpoint URL are kept (RFC 6749 3.1). Typed inputs win over
 * `extraQueryParameters` of the same name; protected parameters cannot be set through them.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export async function buildAuthorizationRequest(
  provider: ProviderInfo,
  clientId: string,
  input: AuthorizationRequestInput,
  logger: Logger,
): Promise<AuthorizationRequest> {
  const secrets = createSecrets();
  const url = new URL(provider.authorizationEndpoint);
  const params = url.searchParams;

  for (const [name, value] of Object.entries(input.extraQueryParameters ?? {})) {
    if (PROTECTED_PARAMETERS.test(name)) {
      // The name only: values may be hints about the user.
      logger.warning(`Authorization request: ignoring protected extra parameter "${name}"`);
      continue;
    }
    params.set(name, value);
  }

  const typed = {
    prompt: input.prompt,
    login_hint: input.loginHint,
    id_token_hint: input.idTokenHint,
    sid: input.sid,
    domain_hint: input.domainHint,
    claims: input.claims,
    response_mode: input.responseMode,
  };
  for (const [name, value] of Object.entries(typed))
    if (value !== undefined) params.set(name, value);
  if (input.resource !== undefined && input.resource.length > 0) {
    // RFC 8707 2: one `resource` parameter per target resource.
    params.delete('resource');
    for (const resource of input.resource) params.append('resource', resource);
  }

  // Set last, so nothing above can replace them.
  const bound = {
    client_id: clientId,
    redirect_uri: input.redirectUri,
    response_type: 'code',
    scope: input.scopes.join(' '),
    state: secrets.state,
    nonce: secrets.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(secrets.codeVerifier),
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(bound)) params.set(name, value);

  logger.verbose(`Authorization request built for ${url.origin}${url.pathname}`);
  return { url, secrets };
}
