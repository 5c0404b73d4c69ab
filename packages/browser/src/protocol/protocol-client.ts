import * as oauth from 'oauth4webapi';
import { ClientAuthError, type AuthError } from '../errors/auth-error.js';
import {
  DISCOVERY_FAILED,
  INVALID_ID_TOKEN,
  INVALID_RESPONSE,
  ISSUER_MISMATCH,
  NETWORK_ERROR,
  STATE_MISMATCH,
} from '../errors/error-codes.js';
import { systemTimers } from '../ports.js';
import { readAuthorizationResponseParams } from '../response-params.js';
import type { IdTokenClaims } from '../types.js';
import { mapProtocolError, retryAfterMs, type ErrorContext } from './map-error.js';
import type {
  MetadataStore,
  ProtocolClient,
  ProtocolClientOptions,
  ProviderInfo,
  TokenResult,
} from './types.js';

/**
 * A discovered provider: oauth4webapi's metadata, what the layers above read, and whether it was
 * read from `metadataStore` rather than fetched in this page load (its endpoints may be stale).
 */
type Provider = [as: oauth.AuthorizationServer, info: ProviderInfo, stored: boolean | undefined];

/** What oauth4webapi hands to `customFetch` for the GET and POST requests made here. */
type FetchOptions = oauth.CustomFetchOptions<'GET' | 'POST', URLSearchParams | undefined>;

// --- issuer identifiers: trailing slash and Entra's {tenantid} template ----------------------

/** The placeholder Entra ID puts in the issuer of its multi-tenant (`common`) metadata. */
const TENANT_PLACEHOLDER = '{tenantid}';

/**
 * The issuer for a tenant id, or undefined when the id is not a plain tenant id: GUIDs in Entra
 * ID, simple names in test providers. One path segment that cannot be a dot-segment: anything
 * that could change the URL's structure (`/`, `?`, `#`, `%`, `$`, a leading `.`) is refused.
 */
function fillTemplate(template: string, tenantId: unknown): string | undefined {
  return typeof tenantId == 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(tenantId)
    ? template.replaceAll(TENANT_PLACEHOLDER, tenantId)
    : undefined;
}

/**
 * Whether `candidate` is the template with a plain tenant id in place of the placeholder, e.g.
 * an RFC 9207 `iss` response parameter from a multi-tenant authority. Never for a non-template.
 */
function matchesTemplate(template: string, candidate = ''): boolean {
  const [prefix = '', suffix = ''] = template.split(TENANT_PLACEHOLDER);
  const tenantId = candidate.slice(prefix.length, candidate.length - suffix.length);
  return candidate == fillTemplate(template, tenantId);
}

/**
 * The issuer a discovery document announced when our rules accept it for `expected`: equal up
 * to a trailing slash (authorities are often configured without the slash a provider uses: Auth0
 * has one, Keycloak none), or in AAD mode a `{tenantid}` template that yields it for the
 * authority's tenant segment (`common` gives `.../common/v2.0` back). oauth4webapi then checks
 * the document against exactly this issuer; anything else is checked against `expected` and fails.
 */
function acceptedIssuer(
  announced: unknown,
  expected: string,
  tenant: string | undefined,
): string | undefined {
  const trim = (url: string) => url.replace(/\/$/, '');
  // Not a string: fails here, or in oauth4webapi's own check of the document.
  const issuer = announced as string;
  try {
    if (trim(new URL(fillTemplate(issuer, tenant) ?? issuer).href) == trim(expected)) return issuer;
  } catch {
    // Not a URL: not accepted.
  }
  return undefined;
}

// --- the client ------------------------------------------------------------------------------

/**
 * Creates the protocol layer for one (authority, client): OAuth 2.0 authorization code with
 * PKCE, refresh tokens and OpenID Connect, on oauth4webapi. It knows no DOM; network, time,
 * timers and the remembered discovery document come through the ports in `options`. Creating
 * it does no I/O: discovery runs on first use and is cached.
 *
 * Every request has a time limit (`networkTimeoutMs`) and is retried only where that is safe
 * (see `transport`). Every method throws only Tessera errors (the original error is kept as
 * `cause`, without bodies or tokens) and logs endpoints and outcomes only, never tokens, codes
 * or verifiers.
 *
 * Discovery: OIDC mode reads `{authority}/.well-known/openid-configuration` and requires its
 * `issuer` to be the authority (a differing trailing slash is tolerated). AAD mode reads
 * `{authority}/v2.0/.well-known/openid-configuration` (an authority already ending in `/v2.0`
 * is not doubled) and requires `{authority}/v2.0`, or, for the multi-tenant authorities, a
 * `{tenantid}` template that yields it for the authority's tenant segment; the template is then
 * resolved per ID token from its `tid` claim. The document comes from, in order:
 * `authorityMetadata`; `metadataStore` when younger than `metadataMaxAgeMs` (default a day:
 * providers rotate endpoints rarely and announce it); the network (then stored). Each passes the
 * same checks, including https endpoints.
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
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 * @see https://www.rfc-editor.org/rfc/rfc9700
 */
export function createProtocolClient(options: ProtocolClientOptions): ProtocolClient {
  const {
    authority,
    clientId,
    clock,
    logger,
    authorityMetadata: inline,
    allowInsecureRequests: insecure,
    timers = systemTimers,
    random = Math.random,
    networkTimeoutMs: ms = 10_000,
  } = options;
  const key = `tessera.v1.metadata.${authority}`;
  // The settled promise is the cache; single flight: every caller meanwhile awaits it.
  let pending: Promise<Provider> | undefined;

  /**
   * Our `fetch` port and the http allowance, in the shape oauth4webapi's request functions take:
   * through the port, tests use a fake provider and apps can wrap fetch (no global patching).
   * Only loopback http authorities allow insecure requests: configuration validation decides that.
   *
   * Each request has a time limit (`networkTimeoutMs`, default 10 s) that covers the answer's body
   * too (a provider can stall after its headers); over it the request is aborted and fails with a
   * `TimeoutError`. oauth4webapi is given no `signal`, so the limit's is the only one.
   *
   * At most 2 retries, waiting `Retry-After` (at most 5 s, else the answer is returned as it is)
   * or a backoff of 500 ms doubled per retry, jittered down to half. What is repeated:
   *
   * - GET (discovery): a network failure (`TypeError`), 429 and any 5xx. Reading metadata is safe
   *   to repeat (RFC 9110 9.2.2).
   * - POST (`post`, a token endpoint grant): only 429 and 503, the answers of a server that refused
   *   to process the request (RFC 6585 4, RFC 9110 15.6.4). The grant carries a single-use code or
   *   refresh token, and re-sending a refresh token the provider may have rotated is a replay that
   *   revokes the grant (RFC 9700 4.14.2). So no retry after a network failure or timeout (the
   *   request may have arrived), nor after 500, 502 or 504 (a gateway's answer when the origin
   *   failed or was too slow, possibly after processing).
   *
   * A timeout is never retried. Worst case: 3 × `networkTimeoutMs` + 2 × 5 s. The last answer is
   * returned as it is, for oauth4webapi and `mapProtocolError` to report.
   */
  const transport = (post?: boolean) => ({
    [oauth.customFetch]: async (url: string, init: FetchOptions): Promise<Response> => {
      for (let attempt = 0; ; attempt++) {
        let wait = 500 * 2 ** attempt * (1 - random() / 2);
        try {
          const response = await new Promise<Response>((resolve, reject) => {
            const controller = new AbortController();
            const timer = timers.setTimeout(() => {
              const reason = new DOMException(`No answer within ${ms} ms`, 'TimeoutError');
              controller.abort(reason);
              reject(reason);
            }, ms);
            // `redirect: 'manual'` is kept: a token or metadata response must not come from elsewhere.
            options
              .fetch(url, { ...init, signal: controller.signal } as RequestInit)
              .then(async (r) =>
                // Status 0 is an opaque redirect, which has no body and cannot be constructed.
                r.status ? new Response(r.body && (await r.arrayBuffer()), r) : r,
              )
              .then(resolve, reject)
              .finally(() => timers.clearTimeout(timer));
          });
          const status = response.status;
          if (
            attempt > 1 ||
            !(status == 429 || status == 503 || (!post && status > 499)) ||
            (wait = retryAfterMs(response, clock.now()) ?? wait) > 5000
          ) {
            return response;
          }
        } catch (error) {
          if (post || attempt > 1 || !(error instanceof TypeError)) throw error;
        }
        await new Promise<void>((resolve) => timers.setTimeout(resolve, wait));
      }
    },
    // Only loopback http authorities allow it: configuration validation decides that.
    [oauth.allowInsecureRequests]: insecure,
  });

  /** Calls the metadata store, if any, for our key; a store that throws counts as empty. */
  const store = (method: keyof MetadataStore, value = ''): string | void => {
    try {
      return options.metadataStore?.[method](key, value);
    } catch {
      // Counts as empty.
    }
  };

  /** Maps a failure to a Tessera error and logs it (the code only: descriptions may echo request data). */
  const fail = (what: string, error: unknown, context: ErrorContext): AuthError => {
    const mapped = mapProtocolError(error, { now: clock.now(), ...context });
    logger.warning(`${what} failed: ${mapped.errorCode}`);
    return mapped;
  };

  /**
   * The oauth4webapi client metadata for this public client (RFC 6749 2.1: PKCE protects the
   * code), carrying our clock port. oauth4webapi reads the time from `Date.now()` and adds
   * `clockSkew` seconds, so the skew is the distance between the injected clock and the system
   * clock (fractions are fine), computed per call as the injected clock may move independently.
   */
  const client = (): oauth.Client => ({
    client_id: clientId,
    [oauth.clockSkew]: (clock.now() - Date.now()) / 1000,
    [oauth.clockTolerance]: options.clockToleranceSeconds ?? 300,
  });

  const invalidate = (): void => {
    pending = undefined;
    store('remove');
  };

  const get = (): Promise<Provider> =>
    (pending ??= discover().catch((error: unknown) => {
      // Not cached: the next call tries again (the provider may have been briefly down).
      pending = undefined;
      throw error;
    }));

  async function discover(): Promise<Provider> {
    const now = clock.now();
    try {
      let base = new URL(authority);
      let tenant: string | undefined;
      if (options.protocolMode == 'AAD') {
        // `https://host/{tenant}` discovers at `https://host/{tenant}/v2.0`, not doubled.
        base = new URL(base.pathname.replace(/\/+/g, '/').replace(/(\/v2\.0)?\/?$/, '/v2.0'), base);
        tenant = base.pathname.split('/').at(-2);
      }

      /** Validates a document, fetched (`response`) or not (inline or stored) alike. */
      const load = async (
        text: string,
        stored?: boolean,
        response = new Response(text, { headers: { 'content-type': 'application/json' } }),
      ): Promise<Provider> => {
        let announced: unknown;
        try {
          announced = (JSON.parse(text) as { issuer?: unknown }).issuer;
        } catch {
          // oauth4webapi reports it.
        }
        const as = await oauth.processDiscoveryResponse(
          new URL(acceptedIssuer(announced, base.href, tenant) ?? base),
          response,
        );
        /** An endpoint's URL, checked like oauth4webapi checks the ones it calls. */
        const endpoint = (
          name: 'authorization_endpoint' | 'token_endpoint' | 'end_session_endpoint',
          optional?: boolean,
        ): string | undefined => {
          const value = as[name];
          try {
            if (typeof value == 'string') {
              const url = new URL(value);
              oauth.checkProtocol(url, !insecure);
              return url.href;
            }
          } catch {
            // Reported below.
          }
          const problem = `${name} missing, invalid or not https`;
          if (!optional) throw new ClientAuthError(DISCOVERY_FAILED, `${problem}.`);
          // A broken logout endpoint must not block sign-in: logout falls back to local sign-out.
          if (value !== undefined) logger.warning(`Discovery: ${problem} (ignored)`);
          return undefined;
        };
        const issuer = as.issuer;
        const info = {
          issuer,
          authorizationEndpoint: endpoint('authorization_endpoint')!,
          tokenEndpoint: endpoint('token_endpoint')!,
          endSessionEndpoint: endpoint('end_session_endpoint', true),
          // Truthy, as oauth4webapi reads it.
          issParameterSupported: !!as.authorization_response_iss_parameter_supported,
          // Wire data: `?.()` as a non-array has no `filter`.
          scopesSupported: as.scopes_supported?.filter?.((scope) => typeof scope == 'string'),
        };
        return [
          // OIDC Core 3.1.3.7 step 2 for a template: the issuer is the template filled with `tid`.
          issuer.includes(TENANT_PLACEHOLDER)
            ? {
                ...as,
                // oauth4webapi's hook for a per-token expected issuer. It is untyped
                // (underscore-prefixed) but is how its companion client resolves Entra's
                // template. Should a future version drop it, the ID token `iss` is compared with
                // the raw template and rejected: the check fails closed.
                [(oauth as unknown as Record<string, symbol>)['_expectedIssuer']!]: (result: {
                  claims: { tid?: unknown };
                }) => {
                  const resolved = fillTemplate(issuer, result.claims.tid);
                  if (resolved) return resolved;
                  throw new ClientAuthError(INVALID_ID_TOKEN, 'ID token "tid" missing or invalid.');
                },
              }
            : as,
          info,
          stored,
        ];
      };

      if (inline !== undefined) {
        return await load(typeof inline == 'string' ? inline : JSON.stringify(inline));
      }
      const saved = store('get');
      if (saved) {
        try {
          const [at, text] = JSON.parse(saved) as [number, string];
          if (now >= at && now - at < (options.metadataMaxAgeMs ?? 86_400_000)) {
            return await load(text, true);
          }
        } catch {
          // Corrupt, foreign, or no longer valid (e.g. the provider's issuer moved): fetch anew.
        }
        logger.verbose('Discovery: stored document unusable');
        store('remove');
      }
      const response = await oauth.discoveryRequest(base, {
        algorithm: 'oidc',
        ...transport(),
      });
      const text = await response.clone().text();
      const provider = await load(text, false, response);
      store('set', JSON.stringify([now, text]));
      logger.info(`Discovery: ${provider[1].issuer} ready`);
      return provider;
    } catch (error) {
      throw fail('Discovery', error, { stage: 'discovery' });
    }
  }

  /**
   * Runs a token request, logging its outcome (the error code only) and mapping its errors. With
   * a remembered document that seems stale: a 404 from its token endpoint (nothing was
   * processed, so one retry with a fresh document is safe) or no answer at all (not retried: the
   * request may have been processed; the next call re-discovers).
   */
  const grant = async (
    stage: 'authorization_code' | 'refresh_token',
    run: (as: oauth.AuthorizationServer, client: oauth.Client) => Promise<TokenResult>,
    nonce?: string,
  ): Promise<TokenResult> => {
    const [as, , stored] = await get();
    const what = `Token request (${stage})`;
    try {
      const result = await run(as, client());
      logger.info(`${what}: ok`);
      return result;
    } catch (error) {
      const mapped = fail(what, error, { stage, nonce });
      if (stored && (mapped.status == 404 || mapped.errorCode == NETWORK_ERROR)) {
        logger.warning('Discovery: stored document stale');
        invalidate();
        if (mapped.status == 404) return grant(stage, run, nonce);
      }
      throw mapped;
    }
  };

  /**
   * Converts a token response that oauth4webapi has fully validated (RFC 6749 5.1). Wire names
   * end here. oauth4webapi lowercases `token_type` (RFC 6749 7.1 is case-insensitive); a
   * DPoP-bound token needs a proof this client does not send, so only Bearer is usable. A
   * missing `expires_in` (only RECOMMENDED) is taken as 300 s: renewing early costs a request,
   * using a dead token a failed API call.
   */
  const result = (
    response: oauth.TokenEndpointResponse,
    requestedScopes: string[],
    issuer: string,
  ): TokenResult => {
    if (response.token_type != 'bearer') {
      throw new ClientAuthError(
        INVALID_RESPONSE,
        `Token type "${response.token_type}" is not Bearer.`,
      );
    }
    let expiresIn = response.expires_in;
    if (expiresIn === undefined) {
      logger.warning('Token response: expires_in missing, assuming 300 s');
      expiresIn = 300;
    }
    const claims = oauth.getValidatedIdTokenClaims(response);
    const idTokenClaims = claims && ({ ...claims } as IdTokenClaims);
    return {
      accessToken: response.access_token,
      tokenType: 'Bearer',
      expiresAt: clock.now() + expiresIn * 1000,
      // RFC 6749 3.3: space-delimited; an omitted `scope` means "as requested" (5.1).
      grantedScopes: response.scope?.split(' ').filter(Boolean) ?? [...requestedScopes],
      refreshToken: response.refresh_token,
      idToken: response.id_token,
      idTokenClaims,
      issuer: idTokenClaims?.iss ?? issuer,
    };
  };

  return {
    async discover() {
      const [, info] = await get();
      // A copy: callers cannot alter the cached metadata.
      return { ...info, scopesSupported: info.scopesSupported?.slice() };
    },

    async createAuthorizationRequest(input) {
      const [, info] = await get();
      const url = new URL(info.authorizationEndpoint);
      const params = url.searchParams;
      const secrets = {
        state: oauth.generateRandomState(),
        nonce: oauth.generateRandomNonce(),
        codeVerifier: oauth.generateRandomCodeVerifier(),
      };
      // Extras never set the parameters that bind the response to this request and client: an
      // app (or a value copied from elsewhere) overriding `state` or the PKCE challenge would
      // silently disable the checks made when the response comes back. Nor `request` and
      // `request_uri`: a request object's parameters supersede the query's (OIDC Core 6.3.3).
      const bound =
        /^(client_id|redirect_uri|response_type|scope|state|nonce|code_challenge(_method)?|request(_uri)?)$/;
      for (const [name, value] of Object.entries(input.extraQueryParameters ?? {})) {
        // The name only: values may be hints about the user.
        if (bound.test(name))
          logger.warning(`Authorization request: ignored protected parameter "${name}"`);
        else params.set(name, value);
      }
      setParams(params, input, 'prompt loginHint idTokenHint sid domainHint claims responseMode');
      if (input.resource?.length) {
        // RFC 8707 2: one `resource` parameter per target resource.
        params.delete('resource');
        for (const resource of input.resource) params.append('resource', resource);
      }
      // Set last, so nothing above can replace them.
      setParams(params, {
        clientId,
        redirectUri: input.redirectUri,
        responseType: 'code',
        scope: input.scopes.join(' '),
        state: secrets.state,
        nonce: secrets.nonce,
        codeChallenge: await oauth.calculatePKCECodeChallenge(secrets.codeVerifier),
        codeChallengeMethod: 'S256',
      });
      return { url, secrets };
    },

    async handleAuthorizationResponse(
      responseUrl,
      { secrets: { state, nonce, codeVerifier }, redirectUri, requestedScopes, maxAge },
    ) {
      const [as, info] = await get();
      // When neither query nor fragment carries a complete response, the query is checked anyway
      // so that the failure names what is missing.
      const params = readAuthorizationResponseParams(responseUrl) ?? responseUrl.searchParams;
      // Joined: several values are never one issuer, none is ''.
      const iss = params.getAll('iss').join();
      const issuer = matchesTemplate(as.issuer, iss) ? iss : as.issuer;
      let callback: URLSearchParams;
      try {
        callback = oauth.validateAuthResponse({ ...as, issuer }, client(), params, state);
      } catch (error) {
        // oauth4webapi reports a wrong `state` and a wrong `iss` alike: the parameters are
        // compared again only to pick the code; the decision to reject was oauth4webapi's.
        const code =
          params.getAll('state').join() != state
            ? STATE_MISMATCH
            : (iss ? iss != issuer : info.issParameterSupported)
              ? ISSUER_MISMATCH
              : undefined;
        throw fail('Authorization response', error, { stage: 'authorization_code', code });
      }
      const expectedNonce = requestedScopes.includes('openid') ? nonce : undefined;
      return grant(
        'authorization_code',
        async (as, client) => {
          const tokens = result(
            await oauth.processAuthorizationCodeResponse(
              as,
              client,
              await oauth.authorizationCodeGrantRequest(
                as,
                client,
                oauth.None(),
                callback,
                redirectUri,
                codeVerifier,
                transport(true),
              ),
              // A nonce selects oauth4webapi's OpenID processing, which requires the ID token.
              {
                expectedNonce,
                requireIdToken: !!expectedNonce,
                maxAge,
              } as oauth.ProcessAuthorizationCodeResponseOptions,
            ),
            requestedScopes,
            issuer,
          );
          // Mix-up defence (RFC 9207 1): the tenant `iss` named must have issued the ID token.
          if (issuer != as.issuer && tokens.issuer != issuer) {
            throw new ClientAuthError(ISSUER_MISMATCH, 'ID token from another tenant than iss.');
          }
          return tokens;
        },
        expectedNonce,
      );
    },

    async refresh({ refreshToken, scopes, resource = [], expectedSub }) {
      const parameters = new URLSearchParams();
      // RFC 6749 6: a narrower scope may be asked for; omitting it means "as originally granted".
      if (scopes.length) parameters.set('scope', scopes.join(' '));
      for (const target of resource) parameters.append('resource', target);
      return grant('refresh_token', async (as, client) => {
        const tokens = result(
          await oauth.processRefreshTokenResponse(
            as,
            client,
            await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, {
              additionalParameters: parameters,
              ...transport(true),
            }),
          ),
          scopes,
          as.issuer,
        );
        if (tokens.idTokenClaims && tokens.idTokenClaims.sub != expectedSub) {
          throw new ClientAuthError(INVALID_ID_TOKEN, 'Refreshed ID token of another user (sub).');
        }
        return tokens;
      });
    },

    async createEndSessionUrl(input) {
      const [, { endSessionEndpoint }] = await get();
      if (!endSessionEndpoint) return undefined;
      const url = new URL(endSessionEndpoint);
      setParams(
        url.searchParams,
        { ...input, clientId },
        'idTokenHint logoutHint clientId postLogoutRedirectUri state',
      );
      return url;
    },

    invalidate,
  };
}

/**
 * Sets the string members `names` (default: all) of `values` as parameters, their camelCase
 * names in wire form (`loginHint` → `login_hint`).
 */
function setParams(params: URLSearchParams, values: object, names?: string): void {
  for (const name of names?.split(' ') ?? Object.keys(values)) {
    const value: unknown = (values as Record<string, unknown>)[name];
    if (typeof value == 'string') {
      params.set(
        name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
        value,
      );
    }
  }
}
