import { ClientConfigurationError } from '../errors/auth-error.js';
import { INVALID_CONFIGURATION } from '../errors/error-codes.js';

/**
 * URL → scopes. Accepted as a `Map`, an array of `[url, scopes]` pairs, or a plain object.
 * `null` scopes mark a URL as explicitly unprotected (it wins over a broader protected entry).
 */
export type ProtectedResourceMapInput =
  | ReadonlyMap<string, readonly string[] | null>
  | ReadonlyArray<readonly [string, readonly string[] | null]>
  | Readonly<Record<string, readonly string[] | null>>;

/** One parsed entry. */
export interface ProtectedResource {
  /** The entry as configured. */
  pattern: string;
  /** Scheme, e.g. `https:`; empty for a path-only entry (matched on the app's origin). */
  protocol: string;
  /** Host, lower-case; a leading `*.` matches any subdomain on a label boundary. */
  hostname: string;
  /** Port as the URL parser normalises it (empty for the scheme's default). */
  port: string;
  /** Path prefix without trailing slash; empty matches every path. */
  path: string;
  scopes: readonly string[] | null;
}

function entriesOf(
  input: ProtectedResourceMapInput,
): Array<readonly [string, readonly string[] | null]> {
  if (input instanceof Map) return [...(input as ReadonlyMap<string, readonly string[] | null>)];
  if (Array.isArray(input))
    return [...(input as ReadonlyArray<readonly [string, readonly string[] | null]>)];
  if (typeof input === 'object' && input !== null) {
    return Object.entries(input as Readonly<Record<string, readonly string[] | null>>);
  }
  throw new ClientConfigurationError(
    INVALID_CONFIGURATION,
    'protectedResourceMap must be a Map, an array of [url, scopes] pairs, or an object of url → scopes.',
  );
}

function stripTrailingSlash(path: string): string {
  // A trailing "/*" or "/" means "this path and everything below it".
  return path.replace(/\/\*$/, '').replace(/\/+$/, '');
}

/**
 * Parses and validates a protected resource map once, so each request only compares strings.
 *
 * @throws ClientConfigurationError `invalid_configuration` naming the bad entry.
 */
export function parseProtectedResourceMap(input: ProtectedResourceMapInput): ProtectedResource[] {
  return entriesOf(input).map((entry) => {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw new ClientConfigurationError(
        INVALID_CONFIGURATION,
        'protectedResourceMap entries must be [url, scopes] pairs.',
      );
    }
    const [pattern, scopes] = entry;
    if (scopes !== null && (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string'))) {
      throw new ClientConfigurationError(
        INVALID_CONFIGURATION,
        `protectedResourceMap["${pattern}"] must be an array of scope strings (or null for unprotected).`,
      );
    }
    if (pattern.startsWith('/')) {
      return {
        pattern,
        protocol: '',
        hostname: '',
        port: '',
        path: stripTrailingSlash(pattern),
        scopes,
      };
    }
    const wildcard = /^(https?:\/\/)\*\./i.exec(pattern);
    let url: URL;
    try {
      url = new URL(wildcard ? pattern.replace('*.', 'wildcard.') : pattern);
    } catch {
      throw new ClientConfigurationError(
        INVALID_CONFIGURATION,
        `protectedResourceMap key "${pattern}" is not an absolute http(s) URL or a path starting with "/".`,
      );
    }
    if (
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.username !== '' ||
      url.password !== ''
    ) {
      throw new ClientConfigurationError(
        INVALID_CONFIGURATION,
        `protectedResourceMap key "${pattern}" must be an http(s) URL without credentials.`,
      );
    }
    const hostname = wildcard ? `*.${url.hostname.slice('wildcard.'.length)}` : url.hostname;
    return {
      pattern,
      protocol: url.protocol,
      hostname,
      port: url.port,
      path: stripTrailingSlash(url.pathname),
      scopes,
    };
  });
}

function hostMatches(patternHost: string, host: string): boolean {
  if (patternHost.startsWith('*.')) {
    // Label boundary: "*.example.com" matches "a.example.com", never "evilexample.com".
    return host.endsWith(patternHost.slice(1)) && host.length > patternHost.length - 1;
  }
  return patternHost === host;
}

function pathMatches(prefix: string, path: string): boolean {
  // Segment boundary: "/api" matches "/api" and "/api/x", never "/apis" (DESIGN security rules).
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * The entry that governs `url`, after URL parsing: scheme, host and port must be equal and the
 * path must match on a segment boundary; the most specific (longest path) entry wins. Returns
 * undefined when no entry matches or the URL carries credentials (`user@host` tricks).
 */
export function findProtectedResource(
  resources: readonly ProtectedResource[],
  target: string | URL,
  baseUrl: string | undefined,
): ProtectedResource | undefined {
  let url: URL;
  try {
    url = new URL(target, baseUrl);
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '') return undefined;
  const base = baseUrl === undefined ? undefined : new URL(baseUrl);
  let best: ProtectedResource | undefined;
  for (const entry of resources) {
    const origin =
      entry.protocol === ''
        ? base !== undefined && url.origin === base.origin
        : entry.protocol === url.protocol &&
          entry.port === url.port &&
          hostMatches(entry.hostname, url.hostname);
    if (!origin || !pathMatches(entry.path, url.pathname)) continue;
    if (best === undefined || entry.path.length > best.path.length) best = entry;
  }
  return best;
}

/** Scopes to request for `url`, or undefined when it is not protected. */
export function scopesForUrl(
  resources: readonly ProtectedResource[],
  target: string | URL,
  baseUrl: string | undefined,
): string[] | undefined {
  const entry = findProtectedResource(resources, target, baseUrl);
  return entry?.scopes == null ? undefined : [...entry.scopes];
}
