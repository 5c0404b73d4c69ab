import * as oauth from 'oauth4webapi';
import { ClientAuthError, DISCOVERY_FAILED, INVALID_ID_TOKEN } from '../errors/index.js';
import {
  discoveryTarget,
  isIssuerTemplate,
  resolveIssuerTemplate,
  sameIssuerModuloSlash,
  type DiscoveryTarget,
} from './issuer.js';
import { mapProtocolError } from './map-error.js';
import { assertEndpointProtocol, transportFor } from './oauth-options.js';
import type { ProtocolClientOptions, ProviderInfo } from './types.js';

/** A discovered provider: oauth4webapi's metadata object plus what the layers above read. */
export interface DiscoveredProvider {
  /** Metadata for oauth4webapi calls; in template mode it resolves the ID token issuer from `tid`. */
  readonly as: oauth.AuthorizationServer;
  readonly info: ProviderInfo;
  /** The `{tenantid}` issuer template (AAD multi-tenant), else undefined. */
  readonly issuerTemplate: string | undefined;
}

/** Cached, single-flight discovery for one authority. */
export interface Discovery {
  /** The provider metadata; one request for concurrent callers, failures are not cached. */
  get(): Promise<DiscoveredProvider>;
}

/**
 * oauth4webapi's hook for a per-token expected issuer. It is untyped (underscore-prefixed) but is
 * how its companion client resolves Entra's `{tenantid}` template. When a future version drops
 * it, the ID token `iss` is compared with the raw template and rejected: the check fails closed.
 */
const EXPECTED_ISSUER_HOOK: unknown = (oauth as unknown as { _expectedIssuer?: unknown })
  ._expectedIssuer;

/**
 * Creates the discovery cache for `options.authority`.
 *
 * OIDC mode reads `{authority}/.well-known/openid-configuration` and requires its `issuer` to be
 * the authority (a differing trailing slash is tolerated). AAD mode reads
 * `{authority}/v2.0/.well-known/openid-configuration` and requires `{authority}/v2.0`, or, for the
 * multi-tenant authorities, a `{tenantid}` template that yields it for the authority's tenant
 * segment; the template is then resolved per ID token from its `tid` claim.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 * @see https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri
 */
export function createDiscovery(options: ProtocolClientOptions): Discovery {
  let cached: DiscoveredProvider | undefined;
  let pending: Promise<DiscoveredProvider> | undefined;
  return {
    get(): Promise<DiscoveredProvider> {
      if (cached !== undefined) return Promise.resolve(cached);
      // Single flight: every caller during the request awaits the same promise.
      pending ??= discover(options).then(
        (provider) => {
          cached = provider;
          pending = undefined;
          return provider;
        },
        (error: unknown) => {
          // Not cached: the next call tries again (the provider may have been briefly down).
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
  };
}

async function discover(options: ProtocolClientOptions): Promise<DiscoveredProvider> {
  const { logger } = options;
  try {
    const target = discoveryTarget(options.authority, options.protocolMode);
    logger.verbose(`Discovery: reading metadata of ${target.discoveryBase.href}`);
    const response = await oauth.discoveryRequest(target.discoveryBase, {
      algorithm: 'oidc',
      ...transportFor(options),
    });
    const as = await processWithIssuerRules(response, target);
    const provider = toProvider(as, options);
    logger.info(`Discovery: provider ${provider.info.issuer} ready`);
    return provider;
  } catch (error) {
    const mapped = mapProtocolError(error, { stage: 'discovery' });
    logger.warning(`Discovery failed for ${options.authority}: ${mapped.errorCode}`);
    throw mapped;
  }
}

/**
 * Lets oauth4webapi validate the document against the expected issuer; when it reports another
 * issuer that our rules accept (trailing slash, Entra template), validates a copy of the same
 * response again against that exact issuer, so oauth4webapi still makes the comparison.
 */
async function processWithIssuerRules(
  response: Response,
  target: DiscoveryTarget,
): Promise<oauth.AuthorizationServer> {
  const spare = response.clone();
  try {
    return await oauth.processDiscoveryResponse(new URL(target.expectedIssuer), response);
  } catch (error) {
    const announced = announcedIssuer(error);
    if (announced === undefined || !acceptsAnnouncedIssuer(announced, target)) throw error;
    return await oauth.processDiscoveryResponse(new URL(announced), spare);
  }
}

/** The issuer a document announced, read from oauth4webapi's structured comparison failure. */
function announcedIssuer(error: unknown): string | undefined {
  if (!(error instanceof oauth.OperationProcessingError)) return undefined;
  if (error.code !== oauth.JSON_ATTRIBUTE_COMPARISON) return undefined;
  const body: unknown = (error.cause as { body?: unknown } | undefined)?.body;
  const issuer: unknown = (body as { issuer?: unknown } | undefined)?.issuer;
  return typeof issuer === 'string' ? issuer : undefined;
}

function acceptsAnnouncedIssuer(announced: string, target: DiscoveryTarget): boolean {
  const expected = new URL(target.expectedIssuer).href;
  if (isIssuerTemplate(announced)) {
    // Only AAD mode, and only when the template names this very authority: `common` in the
    // authority path gives `.../common/v2.0` back when substituted.
    if (target.tenant === undefined) return false;
    const resolved = resolveIssuerTemplate(announced, target.tenant);
    return resolved !== undefined && sameIssuerModuloSlash(href(resolved), expected);
  }
  return sameIssuerModuloSlash(href(announced), expected);
}

function href(value: string): string {
  try {
    return new URL(value).href;
  } catch {
    return value;
  }
}

function toProvider(
  as: oauth.AuthorizationServer,
  options: ProtocolClientOptions,
): DiscoveredProvider {
  const authorizationEndpoint = requiredEndpoint(
    as.authorization_endpoint,
    'authorization_endpoint',
    options,
  );
  const tokenEndpoint = requiredEndpoint(as.token_endpoint, 'token_endpoint', options);
  const endSessionEndpoint = optionalEndpoint(as.end_session_endpoint, options);
  const issuerTemplate = isIssuerTemplate(as.issuer) ? as.issuer : undefined;
  let metadata = as;
  if (issuerTemplate !== undefined && typeof EXPECTED_ISSUER_HOOK === 'symbol') {
    metadata = { ...as, [EXPECTED_ISSUER_HOOK]: expectedIssuerFromTid(issuerTemplate) };
  }
  return {
    as: Object.freeze(metadata),
    issuerTemplate,
    info: {
      issuer: as.issuer,
      authorizationEndpoint,
      tokenEndpoint,
      endSessionEndpoint,
      issParameterSupported: as.authorization_response_iss_parameter_supported === true,
      scopesSupported: Array.isArray(as.scopes_supported)
        ? as.scopes_supported.filter((scope): scope is string => typeof scope === 'string')
        : undefined,
    },
  };
}

/** OIDC Core 3.1.3.7 step 2 for a template: the issuer is the template filled with `tid`. */
function expectedIssuerFromTid(template: string) {
  return (result: { claims: { tid?: unknown } }): string => {
    const issuer = resolveIssuerTemplate(template, result.claims.tid);
    if (issuer === undefined) {
      throw new ClientAuthError(
        INVALID_ID_TOKEN,
        'The ID token of a multi-tenant authority has no usable "tid" claim to resolve its issuer.',
      );
    }
    return issuer;
  };
}

function requiredEndpoint(value: unknown, name: string, options: ProtocolClientOptions): string {
  const url = parseEndpoint(value);
  if (url === undefined) {
    throw new ClientAuthError(DISCOVERY_FAILED, `The discovery document has no valid ${name}.`);
  }
  assertEndpointProtocol(url, options);
  return url.href;
}

function optionalEndpoint(value: unknown, options: ProtocolClientOptions): string | undefined {
  if (value === undefined) return undefined;
  const url = parseEndpoint(value);
  try {
    if (url !== undefined) assertEndpointProtocol(url, options);
  } catch {
    // A broken logout endpoint must not block sign-in: logout falls back to local sign-out.
    options.logger.warning('Discovery: ignoring an insecure end_session_endpoint');
    return undefined;
  }
  if (url === undefined)
    options.logger.warning('Discovery: ignoring an invalid end_session_endpoint');
  return url?.href;
}

function parseEndpoint(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
