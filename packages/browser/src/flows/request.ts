import { ClientConfigurationError } from '../errors/auth-error.js';
import { INVALID_REQUEST_PARAMETER } from '../errors/error-codes.js';
import { foldScope, normalizeResource, normalizeScopes, resourceScopes } from '../cache/scopes.js';
import { toHex } from '../hex.js';
import type { AuthenticationParameters } from '../types.js';

/** Scopes every sign-in asks for: an ID token, the profile, and a refresh token (OIDC Core 11). */
export const DEFAULT_OIDC_SCOPES = ['openid', 'profile', 'offline_access'] as const;

/** A request after validation, with wire-ready scope lists. */
export interface NormalizedRequest {
  /** The scopes the access token is for, as the caller asked (client id removed). */
  scopes: string[];
  /** The non-OIDC scopes, normalised and in lower case: what a cached access token must cover. */
  cacheScopes: string[];
  /** Everything sent in `scope`: the access-token scopes, extra consent scopes and OIDC scopes. */
  requestScopes: string[];
  /**
   * The request asked for the client id as its only scope besides OIDC ones: msal 1.x's way to
   * ask for the ID token (e.g. to call the app's own back end). Served by the ID token.
   */
  idTokenOnly: boolean;
  /** Normalised RFC 8707 resources; undefined when none. */
  resource: string[] | undefined;
  claims: string | undefined;
  correlationId: string;
  userState: string;
}

function stringList(field: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) {
    throw new ClientConfigurationError(
      INVALID_REQUEST_PARAMETER,
      `${field} must be an array of strings, e.g. { scopes: ["api://app/read"] }.`,
    );
  }
  const list = value as string[];
  // Usually already clean: then the caller's own array serves, with nothing allocated.
  if (list.every((s) => s !== '' && s.trim() === s)) return list;
  return list.map((s) => s.trim()).filter((s) => s !== '');
}

let correlationPrefix: string | undefined;
let correlationCount = 0;

/**
 * A correlation id for logs and errors: a random per-page prefix and a counter, unique without
 * drawing random bytes on every call (it is not a secret and is never sent).
 */
export function newCorrelationId(getRandomValues: <T extends Uint8Array>(a: T) => T): string {
  correlationPrefix ??= toHex(getRandomValues(new Uint8Array(6)));
  return `${correlationPrefix}-${(++correlationCount).toString(16)}`;
}

type ScopeLists = Pick<
  NormalizedRequest,
  'scopes' | 'cacheScopes' | 'requestScopes' | 'resource' | 'idTokenOnly'
>;

/**
 * Derived scope lists per client id and distinct request lists: apps ask for the same few sets
 * over and over. Keyed by the caller's own strings where it can be (a single scope), whose hash
 * the engine has already computed, so a cache hit builds no key.
 */
const derived = new Map<string, Map<string, ScopeLists>>();
const DERIVED_LIMIT = 100;

function deriveLists(
  scopeList: string[],
  extra: string[],
  resourceList: string[],
  clientId: string,
) {
  const scopes = [...new Set(scopeList.filter((s) => s !== clientId))];
  const resource = normalizeResource(resourceList);
  const cacheScopes = normalizeScopes(resourceScopes(scopes).map(foldScope));
  return Object.freeze({
    scopes,
    cacheScopes,
    idTokenOnly: scopeList.includes(clientId) && cacheScopes.length === 0 && resource.length === 0,
    requestScopes: [...new Set([...DEFAULT_OIDC_SCOPES, ...scopes, ...extra])],
    resource: resource.length === 0 ? undefined : resource,
  });
}

/**
 * Validates a request and builds its scope lists. The client id as a scope is msal 1.x's way to
 * ask for an ID token only; it maps to the OIDC scopes. Runs on every call, cache hits included,
 * so the lists are derived once per distinct request.
 *
 * @throws ClientConfigurationError `invalid_request_parameter`
 */
export function normalizeRequest(
  request: AuthenticationParameters | undefined,
  clientId: string,
  getRandomValues: <T extends Uint8Array>(a: T) => T,
): NormalizedRequest {
  const req = request ?? {};
  if (typeof req !== 'object' || req === null) {
    throw new ClientConfigurationError(
      INVALID_REQUEST_PARAMETER,
      'The request must be an object, e.g. { scopes: [...] }.',
    );
  }
  const scopeList = stringList('scopes', req.scopes);
  const extra = stringList('extraScopesToConsent', req.extraScopesToConsent);
  const resourceList = stringList(
    'resource',
    typeof req.resource === 'string' ? [req.resource] : req.resource,
  );
  let key = scopeList.length === 1 ? (scopeList[0] as string) : scopeList.join(' ');
  if (extra.length > 0) key += `\nx${extra.join(' ')}`;
  if (resourceList.length > 0) key += `\nr${resourceList.join(' ')}`;
  let forClient = derived.get(clientId);
  if (forClient === undefined) derived.set(clientId, (forClient = new Map<string, ScopeLists>()));
  let lists = forClient.get(key);
  if (lists === undefined) {
    if (forClient.size >= DERIVED_LIMIT) forClient.clear();
    lists = deriveLists(scopeList, extra, resourceList, clientId);
    forClient.set(key, lists);
  }
  const claims = req.claims ?? req.claimsRequest;
  if (claims !== undefined) {
    try {
      JSON.parse(claims);
    } catch {
      throw new ClientConfigurationError(
        INVALID_REQUEST_PARAMETER,
        'claims must be a JSON string (OIDC Core 5.5).',
      );
    }
  }
  // Field by field rather than a spread of the frozen lists: one object shape on every call.
  return {
    scopes: lists.scopes,
    cacheScopes: lists.cacheScopes,
    requestScopes: lists.requestScopes,
    idTokenOnly: lists.idTokenOnly,
    resource: lists.resource,
    claims,
    correlationId: req.correlationId ?? newCorrelationId(getRandomValues),
    userState: req.state ?? '',
  };
}
