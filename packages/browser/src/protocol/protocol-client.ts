import * as oauth from 'oauth4webapi';
import { isLoopbackHost } from '../config.js';
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
  AuthorizationSecrets,
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

// --- Entra's {tenantid} issuer template --------------------------------------------------------

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

/** An Entra tenant id. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether an AAD-mode discovery document's issuer is the tenant-id form of its authority. Entra
 * ID names a tenant by its id in the issuer whatever the authority called it: a domain
 * (`contoso.onmicrosoft.com`), `consumers`, or, in B2C and External ID, a domain and a policy
 * path. Accepted only when the authority does not name a tenant id itself (then it must match
 * exactly), and only for `{same origin}/{tenant id}/v2.0` (B2C adds a final `/`): the document
 * came from the authority's own host, and ID tokens must then carry exactly this issuer.
 */
function isTenantIdIssuer(base: URL, issuer: string): boolean {
  const [, first = ''] = base.pathname.split('/');
  if (GUID.test(first)) return false;
  const url = new URL(issuer);
  const id = /^\/([^/]+)\/v2\.0\/?$/.exec(url.pathname)?.[1] ?? '';
  return url.origin == base.origin && GUID.test(id) && url.search == '' && url.hash == '';
}

// --- the client ------------------------------------------------------------------------------

/**
 * Creates the protocol layer for one (authority, client): OAuth 2.0 authorization code with
 * PKCE, refresh tokens and OpenID Connect, on oauth4webapi. It knows no DOM; network, time,
 * timers and the remembered discovery document come through the ports in `options`. Creating
 * it does no I/O: discovery runs on first use and is cached.
 *
 * Every request has a time limit (`networkTimeoutMs`) and is retried only where that is safe
 * (see `send`). Every method throws only Tessera errors (the original error is kept as
 * `cause`, without bodies or tokens) and logs endpoints and outcomes only, never tokens, codes
 * or verifiers.
 *
 * Discovery: OIDC mode reads `{authority}/.well-known/openid-configuration` and requires its
 * `issuer` to be the authority exactly (RFC 8414 3.3, OIDC Discovery 4.3; compared as URLs, so
 * only an empty path equals "/"): a document that differs, if only by a trailing slash, fails
 * with `discovery_failed` naming the issuer, before any navigation. AAD mode reads
 * `{authority}/v2.0/.well-known/openid-configuration` (an authority already ending in `/v2.0`
 * is not doubled) and requires `{authority}/v2.0`, or, for the multi-tenant authorities, a
 * `{tenantid}` template that yields it for the authority's tenant segment; the template is then
 * resolved per ID token from its `tid` claim. The document comes from, in order:
 * `authorityMetadata`; `metadataStore` when younger than `metadataMaxAgeMs` (default a day:
 * providers rotate endpoints rarely and announce it); the network (then stored). Each passes the
 * same checks, including https endpoints.
 *
 * Provider time: a device clock minutes off would fail ID token time checks (`exp`, `nbf`,
 * `iat`, `auth_time`). Each code exchange estimates the provider's clock from its ID token's
 * `iat`: that token is bound to this request by `nonce` (OIDC Core 3.1.3.7 step 11), so it was
 * issued just now. An offset beyond the tolerance (capped at a day; more fails the sign-in) is
 * used for this and later validations, refreshes included, and remembered in `metadataStore`
 * under `tessera.v1.clock.<authority>`. Access token expiry does not depend on it: it is
 * `expires_in` counted on the device's clock from receipt.
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
  const tolerance = options.clockToleranceSeconds ?? 300;
  // The settled promise is the cache; single flight: every caller meanwhile awaits it.
  let pending: Promise<Provider> | undefined;

  /**
   * Our `fetch` port, for discovery (GET) or a token endpoint grant (`post`): through the port,
   * tests use a fake provider and apps can wrap fetch (no global patching).
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
  const send =
    (post?: boolean) =>
    async (url: string, init: RequestInit): Promise<Response> => {
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
            // oauth4webapi asks for `redirect: 'manual'`: a token or metadata response must not
            // come from elsewhere, and a 307/308 would re-send a code and verifier or a refresh
            // token there. A fetch that follows redirects anyway (an app's wrapper) has already
            // done so; its answer is refused (not retried: the catch below rethrows it), like
            // the opaque redirect a browser gives for a 3xx.
            options
              .fetch(url, { ...init, signal: controller.signal })
              .then(async (r) => {
                if (r.redirected || r.type == 'opaqueredirect') {
                  throw new ClientAuthError(
                    post ? INVALID_RESPONSE : DISCOVERY_FAILED,
                    'Redirect refused: fetch must not follow redirects.',
                    // Followed: the body went to wherever the redirect pointed. A redirect the
                    // browser did not follow (opaque) means the endpoint answered without it.
                    { requestSent: !!post && r.redirected },
                  );
                }
                return new Response(r.body && (await r.arrayBuffer()), r);
              })
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
    };

  /** The token requests' options for oauth4webapi: our transport and the http allowance. */
  const transport = {
    [oauth.customFetch]: send(true),
    // Only loopback http authorities allow it: configuration validation decides that.
    [oauth.allowInsecureRequests]: insecure,
  };

  /**
   * Calls the metadata store, if any, for our key of `name`; a store that throws counts as empty.
   */
  const store = (method: keyof MetadataStore, value = '', name = 'metadata'): string | void => {
    try {
      return options.metadataStore?.[method](`tessera.v1.${name}.${authority}`, value);
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

  /** The provider's clock minus the clock port's, in ms (see `estimate`), once read. */
  let known: number | undefined;
  /** The offset in use: learned in this page load, else remembered; 0 if over a day or unreadable. */
  const offset = (): number => {
    known ??= +store('get', '', 'clock')!;
    return Math.abs(known) < 864e5 ? known : 0;
  };

  /**
   * The oauth4webapi client metadata for this public client (RFC 6749 2.1: PKCE protects the
   * code), carrying our clock port and the provider's time. oauth4webapi reads the time from
   * `Date.now()` and adds `clockSkew` seconds, so the skew is the distance between the provider's
   * time (the clock port's plus `ms`) and the system clock (fractions are fine), computed per
   * call as the injected clock may move independently.
   */
  const client = (ms = offset()): oauth.Client => ({
    client_id: clientId,
    [oauth.clockSkew]: (clock.now() + ms - Date.now()) / 1000,
    [oauth.clockTolerance]: tolerance,
  });

  /**
   * The provider's clock minus the clock port's, in ms, estimated from the `iat` of the ID token
   * in a code exchange's `response`, read before validation for this estimate only. That ID token
   * must carry this request's `nonce` (OIDC Core 3.1.3.7 step 11), so it was issued for this
   * exchange, just now; the validation that follows, with this offset, checks it. Within the
   * tolerance the clocks count as agreeing (0). Over a day is refused (step 10: the client may
   * reject tokens issued too far from the current time): a device clock that far off is best
   * fixed. Without a readable ID token the offset in use stays.
   */
  const estimate = async (response: Response): Promise<number> => {
    let ms = NaN;
    try {
      const { id_token } = (await response.clone().json()) as { id_token: string };
      const payload = id_token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
      ms = (JSON.parse(atob(payload)) as { iat: number }).iat * 1000 - clock.now();
    } catch {
      // oauth4webapi reports what is wrong with the response.
    }
    if (Math.abs(ms) > 864e5) {
      throw new ClientAuthError(
        INVALID_ID_TOKEN,
        'ID token "iat" over a day off: check the device clock.',
      );
    }
    return isNaN(ms) ? offset() : Math.abs(ms) > tolerance * 1000 ? ms : 0;
  };

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

      /**
       * Validates a document, fetched (`response`) or not (inline or stored) alike; one that is
       * not JSON fails here (`SyntaxError`), as oauth4webapi would fail it.
       */
      const load = async (
        text: string,
        stored?: boolean,
        response = Response.json(JSON.parse(text)),
      ): Promise<Provider> => {
        // RFC 8414 3.3, OIDC Discovery 4.3: the issuer MUST be identical to the URL discovery
        // was based on (compared as URLs, as oauth4webapi does: an empty path is "/"), or, in AAD
        // mode, a template that yields it for the authority's tenant. No trailing slash is
        // forgiven: ID tokens must carry the issuer exactly (OIDC Core 3.1.3.7 step 2), so a
        // difference found only then would fail the sign-in after the user went to the provider.
        let issuer: unknown;
        let expected = base.href;
        try {
          issuer = (JSON.parse(text) as { issuer?: unknown }).issuer;
          if (
            fillTemplate(issuer as string, tenant) == expected ||
            new URL(issuer as string).href == expected ||
            (tenant !== undefined && isTenantIdIssuer(base, issuer as string))
          ) {
            expected = issuer as string;
          }
        } catch {
          // Not JSON, no issuer, not a URL: oauth4webapi reports it.
        }
        if (typeof issuer == 'string' && issuer != expected) {
          throw new ClientAuthError(
            DISCOVERY_FAILED,
            `Issuer "${issuer}" is not "${expected}": set the authority to the issuer exactly.`,
          );
        }
        const listed = await oauth.processDiscoveryResponse(new URL(expected), response);
        // OIDC Core 2: unsigned ID tokens are only for clients registered for them, which this
        // one never is; whatever the provider lists, "none" is never an accepted algorithm.
        const algs = listed.id_token_signing_alg_values_supported?.filter((alg) => alg != 'none');
        const as: oauth.AuthorizationServer = algs?.length
          ? { ...listed, id_token_signing_alg_values_supported: algs }
          : (Object.fromEntries(
              Object.entries(listed).filter(([k]) => k != 'id_token_signing_alg_values_supported'),
            ) as oauth.AuthorizationServer);
        /** An endpoint's URL, checked like oauth4webapi checks the ones it calls. */
        const endpoint = (
          name: 'authorization_endpoint' | 'token_endpoint' | 'end_session_endpoint',
          optional?: boolean,
        ): string | undefined => {
          const value = as[name];
          try {
            if (typeof value == 'string') {
              const url = new URL(value);
              // http only where the authority is http AND the endpoint is on loopback too: a
              // loopback issuer must not send codes and verifiers in clear text elsewhere.
              oauth.checkProtocol(url, !(insecure && isLoopbackHost(url.hostname)));
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
        const info = {
          issuer: as.issuer,
          authorizationEndpoint: endpoint('authorization_endpoint')!,
          tokenEndpoint: endpoint('token_endpoint')!,
          endSessionEndpoint: endpoint('end_session_endpoint', true),
          // Truthy, as oauth4webapi reads it.
          issParameterSupported: !!as.authorization_response_iss_parameter_supported,
        };
        return [
          // OIDC Core 3.1.3.7 step 2 for a template: the issuer is the template filled with `tid`.
          as.issuer.includes(TENANT_PLACEHOLDER)
            ? {
                ...as,
                // oauth4webapi's hook for a per-token expected issuer. It is untyped
                // (underscore-prefixed) but is how its companion client resolves Entra's
                // template. Should a future version drop it, the ID token `iss` is compared with
                // the raw template and rejected: the check fails closed.
                [(oauth as unknown as Record<string, symbol>)['_expectedIssuer']!]: (result: {
                  claims: { tid?: unknown };
                }) => {
                  const resolved = fillTemplate(as.issuer, result.claims.tid);
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
      // OIDC Discovery 4.1: the issuer, any terminating "/" removed, + this path. The request is
      // a plain GET; oauth4webapi validates the answer.
      const url = new URL(base.href.replace(/\/?$/, '/.well-known/openid-configuration'));
      oauth.checkProtocol(url, !insecure);
      const response = await send()(url.href, {
        headers: { accept: 'application/json' },
        redirect: 'manual',
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
    run: (as: oauth.AuthorizationServer) => Promise<TokenResult>,
    nonce?: string,
  ): Promise<TokenResult> => {
    const [as, , stored] = await get();
    const what = `Token request (${stage})`;
    try {
      const result = await run(as);
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
   * Runs oauth4webapi's processing of a token response. It reports an ID token that is not
   * base64url JSON exactly as it reports a body that is not JSON (`OAUTH_PARSE_ERROR` with a
   * `SyntaxError` cause); when the body itself is JSON, the parse error came from within it, and
   * the only JWT a token response carries to us is the ID token (OIDC Core 3.1.3.7 step 1).
   */
  const processed = async <T>(response: Response, run: (r: Response) => Promise<T>): Promise<T> => {
    const copy = response.clone();
    try {
      return await run(response);
    } catch (error) {
      const body: unknown =
        (error as { code?: unknown } | null)?.code == oauth.PARSE_ERROR &&
        (await copy.json().catch(() => undefined));
      if (typeof (body as { id_token?: unknown } | undefined)?.id_token == 'string') {
        throw new ClientAuthError(INVALID_ID_TOKEN, 'ID token is not base64url-encoded JSON.', {
          cause: error,
        });
      }
      throw error;
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
    ms = offset(),
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
    // oauth4webapi takes any finite number; a lifetime beyond 10 years is not a lifetime (and
    // 1e300 s is no Date at all).
    if (!(expiresIn <= 315_360_000)) {
      throw new ClientAuthError(INVALID_RESPONSE, 'Token response: expires_in is out of range.');
    }
    const claims = oauth.getValidatedIdTokenClaims(response);
    // OIDC Core 3.1.3.7, where oauth4webapi checks less. Step 3: the ID token MUST be rejected if
    // `aud` has audiences the client does not trust; this client trusts none but itself (ID
    // tokens are for the client; APIs take access tokens), also when `azp` names it. Step 5: an
    // `azp` must be this client, also with one audience. Step 10: `iat` not in the provider's
    // future beyond the tolerance (oauth4webapi checks its type only).
    const problem =
      claims &&
      ([claims.aud].flat().some((aud) => aud != clientId) || (claims.azp ?? clientId) != clientId
        ? 'for another party (aud, azp)'
        : claims.iat * 1000 > clock.now() + ms + tolerance * 1000 && 'issued in the future (iat)');
    if (problem) throw new ClientAuthError(INVALID_ID_TOKEN, `ID token ${problem}.`);
    const idTokenClaims = claims && ({ ...claims } as IdTokenClaims);
    return {
      accessToken: response.access_token,
      tokenType: 'Bearer',
      expiresAt: clock.now() + expiresIn * 1000,
      // RFC 6749 3.3: space-delimited; an omitted `scope` means "as requested" (5.1).
      grantedScopes: response.scope?.split(' ').filter(Boolean) ?? [...requestedScopes],
      refreshToken: response.refresh_token,
      refreshTokenExpiresAt:
        response.refresh_token !== undefined &&
        typeof response['refresh_expires_in'] == 'number' &&
        response['refresh_expires_in'] > 0 &&
        response['refresh_expires_in'] <= 315_360_000
          ? clock.now() + response['refresh_expires_in'] * 1000
          : undefined,
      idToken: response.id_token,
      idTokenClaims,
      issuer: idTokenClaims?.iss ?? issuer,
    };
  };

  /**
   * The scopes to send: without `offline_access` when the provider lists its scopes and not
   * that one (OIDC Discovery 3 `scopes_supported`), unless configured otherwise. Some providers
   * refuse a scope they do not know, and none issues a refresh token for it then.
   */
  const offline = (as: oauth.AuthorizationServer, scopes: string[]): string[] => {
    const listed = as.scopes_supported;
    const send =
      options.offlineAccess ??
      (!Array.isArray(listed) || listed.length == 0 || listed.includes('offline_access'));
    return send ? scopes : scopes.filter((scope) => scope != 'offline_access');
  };

  return {
    async discover() {
      const [, info] = await get();
      // A copy: callers cannot alter the cached metadata.
      return { ...info };
    },

    async createAuthorizationRequest(input) {
      const [as, info] = await get();
      const url = new URL(info.authorizationEndpoint);
      const params = url.searchParams;
      const secrets: AuthorizationSecrets = {
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
        if (bound.test(name)) logger.warning(`Ignored protected parameter "${name}"`);
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
        scope: offline(as, input.scopes).join(' '),
        state: secrets.state,
        nonce: secrets.nonce,
        codeChallenge: await oauth.calculatePKCECodeChallenge(secrets.codeVerifier),
        codeChallengeMethod: 'S256',
      });
      // OIDC Core 3.1.2.1: with `max_age` sent, `auth_time` is required and checked (3.1.3.7
      // step 13). It travels with the secrets, which come back with the response.
      const maxAge = params.get('max_age') ?? '';
      if (/^\d+$/.test(maxAge)) secrets.maxAge = +maxAge;
      return { url, secrets };
    },

    async handleAuthorizationResponse(
      responseUrl,
      {
        secrets: { state, nonce, codeVerifier, maxAge: sent },
        redirectUri,
        requestedScopes,
        maxAge = sent,
      },
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
        async (as) => {
          const response = await oauth.authorizationCodeGrantRequest(
            as,
            client(),
            oauth.None(),
            callback,
            redirectUri,
            codeVerifier,
            transport,
          );
          const ms = await estimate(response);
          const tokens = result(
            await processed(response, (r) =>
              oauth.processAuthorizationCodeResponse(
                as,
                client(ms),
                r,
                // A nonce selects oauth4webapi's OpenID processing, which requires the ID token.
                {
                  expectedNonce,
                  requireIdToken: !!expectedNonce,
                  maxAge,
                } as oauth.ProcessAuthorizationCodeResponseOptions,
              ),
            ),
            requestedScopes,
            issuer,
            ms,
          );
          // Mix-up defence (RFC 9207 1): the tenant `iss` named must have issued the ID token.
          if (issuer != as.issuer && tokens.issuer != issuer) {
            throw new ClientAuthError(ISSUER_MISMATCH, 'ID token from another tenant than iss.');
          }
          // Only a response that passed every check sets the provider's time.
          if (ms != offset()) {
            logger.warning(`Provider clock offset: ${ms} ms`);
            store('set', `${(known = ms)}`, 'clock');
          }
          return tokens;
        },
        expectedNonce,
      );
    },

    async refresh({ refreshToken, scopes, resource = [], expectedSub, expectedIssuer, claims }) {
      return grant('refresh_token', async (as) => {
        const parameters = new URLSearchParams();
        // RFC 6749 6: a narrower scope may be asked for; omitting it means "as originally granted".
        const scope = offline(as, scopes);
        if (scope.length) parameters.set('scope', scope.join(' '));
        for (const target of resource) parameters.append('resource', target);
        if (claims) parameters.set('claims', claims);
        const tokens = result(
          await processed(
            await oauth.refreshTokenGrantRequest(as, client(), oauth.None(), refreshToken, {
              additionalParameters: parameters,
              ...transport,
            }),
            (r) => oauth.processRefreshTokenResponse(as, client(), r),
          ),
          scopes,
          as.issuer,
        );
        // OIDC Core 12.2: same `iss` and `sub` as the original ID token; for an Entra `common`
        // authority, `iss` names the tenant, which must not change either.
        if (
          tokens.idTokenClaims &&
          (tokens.idTokenClaims.sub != expectedSub ||
            tokens.issuer != (expectedIssuer ?? tokens.issuer))
        ) {
          throw new ClientAuthError(
            INVALID_ID_TOKEN,
            'Refreshed ID token of another user (sub, iss).',
          );
        }
        return tokens;
      });
    },

    async revoke(refreshToken) {
      const [as] = await get();
      if (typeof as.revocation_endpoint != 'string') return false;
      await oauth.processRevocationResponse(
        await oauth.revocationRequest(as, client(), oauth.None(), refreshToken, {
          additionalParameters: { token_type_hint: 'refresh_token' },
          ...transport,
        }),
      );
      return true;
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
