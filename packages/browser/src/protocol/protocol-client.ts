import { buildAuthorizationRequest } from './authorization-request.js';
import { NETWORK_ERROR } from '../errors/index.js';
import type { AuthError } from '../errors/index.js';
import { createDiscovery } from './discovery.js';
import type { DiscoveredProvider } from './discovery.js';
import { buildEndSessionUrl } from './end-session.js';
import { exchangeAuthorizationCode, refreshTokens } from './token-exchange.js';
import type {
  AuthorizationRequest,
  AuthorizationRequestInput,
  AuthorizationResponseContext,
  EndSessionInput,
  ProtocolClient,
  ProtocolClientOptions,
  ProviderInfo,
  RefreshInput,
  TokenResult,
} from './types.js';

/**
 * Creates the protocol layer for one (authority, client): OAuth 2.0 authorization code with
 * PKCE, refresh tokens and OpenID Connect, on oauth4webapi. It knows no DOM; network, time,
 * timers and the remembered discovery document come through the ports in `options`. Creating
 * it does no I/O: discovery runs on first use and is cached.
 *
 * Every request has a time limit (`networkTimeoutMs`) and is retried only where that is safe
 * (see `transportFor`). Every method throws only Tessera errors (the original error is kept as
 * `cause`, without bodies or tokens) and logs endpoints and outcomes only, never tokens, codes
 * or verifiers.
 *
 * @example
 * ```ts
 * const protocol = createProtocolClient({ authority, protocolMode: 'OIDC', clientId, fetch,
 *   clock: systemClock, logger, allowInsecureRequests: false,
 *   metadataStore: { get: (k) => localStorage.getItem(k) ?? undefined,
 *     set: (k, v) => localStorage.setItem(k, v), remove: (k) => localStorage.removeItem(k) } });
 * const { url, secrets } = await protocol.createAuthorizationRequest({ redirectUri, scopes });
 * // ...navigate to url, keep secrets until the response comes back...
 * const tokens = await protocol.handleAuthorizationResponse(responseUrl, {
 *   secrets, redirectUri, requestedScopes: scopes });
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749
 * @see https://www.rfc-editor.org/rfc/rfc7636
 * @see https://openid.net/specs/openid-connect-core-1_0.html
 * @see https://www.rfc-editor.org/rfc/rfc9700
 */
export function createProtocolClient(options: ProtocolClientOptions): ProtocolClient {
  const discovery = createDiscovery(options);
  /**
   * A token request with a remembered document that seems stale: a 404 from its token endpoint
   * (nothing was processed, so one retry with a fresh document is safe) or no answer at all
   * (not retried: the request may have been processed; the next call re-discovers).
   */
  const withProvider = async (
    run: (provider: DiscoveredProvider) => Promise<TokenResult>,
  ): Promise<TokenResult> => {
    const provider = await discovery.get();
    try {
      return await run(provider);
    } catch (error) {
      const { status, errorCode } = error as AuthError;
      if (!provider.stored || (status !== 404 && errorCode !== NETWORK_ERROR)) throw error;
      options.logger.warning('Discovery: stored document looks stale');
      discovery.invalidate();
      if (status !== 404) throw error;
      return run(await discovery.get());
    }
  };
  return {
    async discover(): Promise<ProviderInfo> {
      const { info } = await discovery.get();
      // A copy: callers cannot alter the cached metadata.
      return {
        ...info,
        scopesSupported: info.scopesSupported === undefined ? undefined : [...info.scopesSupported],
      };
    },
    async createAuthorizationRequest(
      input: AuthorizationRequestInput,
    ): Promise<AuthorizationRequest> {
      const { info } = await discovery.get();
      return buildAuthorizationRequest(info, options.clientId, input, options.logger);
    },
    async handleAuthorizationResponse(
      responseUrl: URL,
      context: AuthorizationResponseContext,
    ): Promise<TokenResult> {
      return withProvider((provider) =>
        exchangeAuthorizationCode(provider, options, responseUrl, context),
      );
    },
    async refresh(input: RefreshInput): Promise<TokenResult> {
      return withProvider((provider) => refreshTokens(provider, options, input));
    },
    async createEndSessionUrl(input: EndSessionInput): Promise<URL | undefined> {
      const { info } = await discovery.get();
      return buildEndSessionUrl(info, options.clientId, input);
    },
    invalidate: discovery.invalidate,
  };
}
