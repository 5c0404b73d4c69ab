/**
 * Issuer identifiers: the expected issuer for an authority, the trailing-slash tolerance and the
 * Entra ID `{tenantid}` template. Pure string logic; oauth4webapi still does the comparisons.
 */

/** The placeholder Entra ID puts in the issuer of its multi-tenant (`common`) metadata. */
export const TENANT_PLACEHOLDER = '{tenantid}';

/**
 * Tenant ids substituted into the template: GUIDs in Entra ID, simple names in test providers.
 * One path segment that cannot be a dot-segment: anything that could change the URL's
 * structure (`/`, `?`, `#`, `%`, a leading `.`) is refused.
 */
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Whether a discovery `issuer` is a template (Entra ID `common` / `organizations`). */
export function isIssuerTemplate(issuer: string): boolean {
  return issuer.includes(TENANT_PLACEHOLDER);
}

/** The same identifier with its trailing slash toggled (`https://a/x` ⇄ `https://a/x/`). */
export function toggleTrailingSlash(identifier: string): string {
  return identifier.endsWith('/') ? identifier.slice(0, -1) : `${identifier}/`;
}

/**
 * Whether two issuer identifiers are equal up to a trailing slash. Authorities are often
 * configured without the slash a provider uses in its issuer (Auth0 uses one, Keycloak none).
 */
export function sameIssuerModuloSlash(a: string, b: string): boolean {
  return a === b || toggleTrailingSlash(a) === b;
}

/** The issuer for a tenant id, or undefined when the id is not a plain tenant id. */
export function resolveIssuerTemplate(template: string, tenantId: unknown): string | undefined {
  if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) return undefined;
  return template.split(TENANT_PLACEHOLDER).join(tenantId);
}

/**
 * Whether `candidate` is the template with a plain tenant id in place of the placeholder, e.g.
 * an RFC 9207 `iss` response parameter from a multi-tenant authority.
 */
export function matchesIssuerTemplate(template: string, candidate: string): boolean {
  const [prefix, suffix, ...rest] = template.split(TENANT_PLACEHOLDER);
  if (prefix === undefined || suffix === undefined || rest.length > 0) return false;
  if (!candidate.startsWith(prefix) || !candidate.endsWith(suffix)) return false;
  const tenantId = candidate.slice(prefix.length, candidate.length - suffix.length);
  return TENANT_ID.test(tenantId);
}

/** Where discovery happens for an authority, and which issuer it must announce. */
export interface DiscoveryTarget {
  /** The identifier oauth4webapi appends `/.well-known/openid-configuration` to. */
  discoveryBase: URL;
  /** The issuer the document must announce (compared up to a trailing slash). */
  expectedIssuer: string;
  /** AAD mode: the tenant path segment (`common`, a GUID, a domain) substituted into templates. */
  tenant: string | undefined;
}

/**
 * OIDC mode: the authority is the issuer (OIDC Discovery 1.0 section 4).
 * AAD mode: `https://host/{tenant}` discovers at `https://host/{tenant}/v2.0`; an authority that
 * already ends in `/v2.0` is used as is rather than doubled.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export function discoveryTarget(authority: string, mode: 'OIDC' | 'AAD'): DiscoveryTarget {
  if (mode === 'OIDC') {
    return { discoveryBase: new URL(authority), expectedIssuer: authority, tenant: undefined };
  }
  const url = new URL(authority);
  const segments = url.pathname.split('/').filter((segment) => segment.length > 0);
  if (segments[segments.length - 1] !== 'v2.0') segments.push('v2.0');
  url.pathname = `/${segments.join('/')}`;
  url.search = '';
  url.hash = '';
  return {
    discoveryBase: url,
    expectedIssuer: url.href,
    tenant: segments[segments.length - 2],
  };
}
