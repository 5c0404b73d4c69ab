/**
 * Issuer identifiers: the trailing-slash tolerance and the Entra ID `{tenantid}` template. Pure
 * string logic; oauth4webapi still makes the comparisons.
 */

/** The placeholder Entra ID puts in the issuer of its multi-tenant (`common`) metadata. */
export const TENANT_PLACEHOLDER = '{tenantid}';

/**
 * Tenant ids substituted into the template: GUIDs in Entra ID, simple names in test providers.
 * One path segment that cannot be a dot-segment: anything that could change the URL's
 * structure (`/`, `?`, `#`, `%`, `$`, a leading `.`) is refused.
 */
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The issuer for a tenant id, or undefined when the id is not a plain tenant id. */
export function fillTemplate(template: string, tenantId: unknown): string | undefined {
  return typeof tenantId == 'string' && TENANT_ID.test(tenantId)
    ? template.replaceAll(TENANT_PLACEHOLDER, tenantId)
    : undefined;
}

/**
 * Whether `candidate` is the template with a plain tenant id in place of the placeholder, e.g.
 * an RFC 9207 `iss` response parameter from a multi-tenant authority. Never for a non-template.
 */
export function matchesTemplate(template: string, candidate = ''): boolean {
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
export function acceptedIssuer(
  announced: unknown,
  expected: string,
  tenant: string | undefined,
): string | undefined {
  const trim = (url: string) => url.replace(/\/$/, '');
  try {
    if (
      typeof announced == 'string' &&
      trim(new URL(fillTemplate(announced, tenant) ?? announced).href) == trim(expected)
    ) {
      return announced;
    }
  } catch {
    // Not a URL: not accepted.
  }
  return undefined;
}
