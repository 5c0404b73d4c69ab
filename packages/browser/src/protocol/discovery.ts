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
import type { MetadataStore, ProtocolClientOptions, ProviderInfo } from './types.js';

/** A discovered provider: oauth4webapi's metadata object plus what the layers above read. */
export interface DiscoveredProvider {
  /** Metadata for oauth4webapi calls; in template mode it resolves the ID token issuer from `tid`. */
  readonly as: oauth.AuthorizationServer;
  readonly info: ProviderInfo;
  /** The `{tenantid}` issuer template (AAD multi-tenant), else undefined. */
  readonly issuerTemplate: string | undefined;
  /** Read from `metadataStore`, not fetched in this page load: its endpoints may be stale. */
  readonly stored?: boolean;
}

/** Cached, single-flight discovery for one authority. */
export interface Discovery {
  /** The provider metadata; one request for concurrent callers, failures are not cached. */
  get(): Promise<DiscoveredProvider>;
  /** Forgets the document, in memory and in the store; the next `get()` discovers again. */
  readonly invalidate: () => void;
}

/** Default of `metadataMaxAgeMs`: a day, as providers rotate endpoints rarely and announce it. */
export const DEFAULT_METADATA_MAX_AGE_MS = 86_400_000;

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
 * The document comes from, in order: `authorityMetadata`; `metadataStore` when younger than
 * `metadataMaxAgeMs` and still valid; the network (then stored). Each passes the same checks.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 * @see https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri
 */
export function createDiscovery(options: ProtocolClientOptions): Discovery {
  // The settled promise is the cache; single flight: every caller meanwhile awaits it.
  let pending: Promise<DiscoveredProvider> | undefined;
  return {
    get: () =>
      (pending ??= discover(options).catch((error: unknown) => {
        // Not cached: the next call tries again (the provider may have been briefly down).
        pending = undefined;
        throw error;
      })),
    invalidate: () => {
      pending = undefined;
      useStore(options, (store, key) => store.remove(key));
    },
  };
}

/** Runs `action` on the metadata store, if any; a store that throws counts as empty. */
function useStore<T>(
  options: ProtocolClientOptions,
  action: (store: MetadataStore, key: string) => T,
): T | undefined {
  try {
    const store = options.metadataStore;
    return store && action(store, `tessera.v1.metadata.${options.authority}`);
  } catch {
    return undefined;
  }
}

async function discover(options: ProtocolClientOptions): Promise<DiscoveredProvider> {
  const { logger, authorityMetadata: inline, clock } = options;
  try {
    const target = discoveryTarget(options.authority, options.protocolMode);
    if (inline !== undefined) {
      return await fromText(
        typeof inline === 'string' ? inline : JSON.stringify(inline),
        target,
        options,
      );
    }
    const now = clock.now();
    const saved = useStore(options, (store, key) => store.get(key));
    if (saved !== undefined) {
      try {
        const [at, text] = JSON.parse(saved) as [number, string];
        const age = now - at;
        if (age >= 0 && age < (options.metadataMaxAgeMs ?? DEFAULT_METADATA_MAX_AGE_MS)) {
          return { ...(await fromText(text, target, options)), stored: true };
        }
      } catch {
        // Corrupt, foreign, or no longer valid (e.g. the provider's issuer moved): fetch anew.
      }
      logger.verbose('Discovery: stored document expired or invalid');
      useStore(options, (store, key) => store.remove(key));
    }
    const response = await oauth.discoveryRequest(target.discoveryBase, {
      algorithm: 'oidc',
      ...transportFor(options),
    });
    const text = await response.clone().text();
    const provider = toProvider(await processWithIssuerRules(response, target), options);
    useStore(options, (store, key) => store.set(key, JSON.stringify([now, text])));
    logger.info(`Discovery: ${provider.info.issuer} ready`);
    return provider;
  } catch (error) {
    const mapped = mapProtocolError(error, { stage: 'discovery', now: clock.now() });
    logger.warning(`Discovery failed for ${options.authority}: ${mapped.errorCode}`);
    throw mapped;
  }
}

/** A document not fetched now (inline or stored), checked exactly like a fetched one. */
async function fromText(
  text: string,
  target: DiscoveryTarget,
  options: ProtocolClientOptions,
): Promise<DiscoveredProvider> {
  const response = new Response(text, { headers: { 'content-type': 'application/json' } });
  return toProvider(await processWithIssuerRules(response, target), options);
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
        'ID token of a multi-tenant authority without a usable "tid".',
      );
    }
    return issuer;
  };
}

function requiredEndpoint(value: unknown, name: string, options: ProtocolClientOptions): string {
  const url = parseEndpoint(value);
  if (url === undefined) {
    throw new ClientAuthError(DISCOVERY_FAILED, `Discovery document without a valid ${name}.`);
  }
  assertEndpointProtocol(url, options);
  return url.href;
}

function optionalEndpoint(value: unknown, options: ProtocolClientOptions): string | undefined {
  if (value === undefined) return undefined;
  try {
    return requiredEndpoint(value, 'end_session_endpoint', options);
  } catch {
    // A broken logout endpoint must not block sign-in: logout falls back to local sign-out.
    options.logger.warning('Discovery: ignoring an invalid or insecure end_session_endpoint');
    return undefined;
  }
}

function parseEndpoint(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
