// The `entra` option: tenants (profiles plain and entra), and the entra profile's domain names and
// B2C user flows.
import { CONSUMERS, CONSUMERS_TENANT, ORGANIZATIONS } from './entra.js';
import { RESERVED_SEGMENTS } from './routes.js';
import { checkKeys, describe, fail, isObject, list, text } from './validate.js';
import type { DevIdpProfile } from './types.js';

/** The Entra tenant served when `entra` is `true` or has no `tenants`. */
export const DEFAULT_TENANT = '5b1f0c2e-7d4a-4c8e-9a36-0e2d4f6b8c1a';

/** The tenant domain name the entra profile serves unless `entra.domains` is given. */
export const DEFAULT_DOMAIN = 'contoso.onmicrosoft.com';

/** The B2C user flow the entra profile serves unless `entra.b2cPolicies` is given. */
export const DEFAULT_B2C_POLICY = 'B2C_1_signin';

/** Path segments below `/{tenant}` (and so below `/{domain}`), which cannot be policy names. */
const TENANT_SUBPATHS = new Set(['oauth2', 'discovery', 'oidc', 'interaction', 'v2.0']);

/** Entra-shaped authorities, resolved. */
export interface ResolvedEntra {
  /** Tenant ids, in order (the first is behind `common` and `organizations`). */
  readonly tenants: readonly string[];
  /** Lower-cased domain name → tenant id (entra profile only, else empty). */
  readonly domains: ReadonlyMap<string, string>;
  /** B2C user flows served under every domain (entra profile only, else empty). */
  readonly b2cPolicies: readonly string[];
}

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const POLICY = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Segments the entra profile serves itself; they cannot be tenant ids. */
function reservedFor(profile: DevIdpProfile, id: string): boolean {
  if (RESERVED_SEGMENTS.has(id)) return true;
  if (profile !== 'entra') return false;
  const lower = id.toLowerCase();
  return lower === ORGANIZATIONS || lower === CONSUMERS || lower === CONSUMERS_TENANT;
}

function resolveTenantList(value: unknown, profile: DevIdpProfile): string[] {
  if (value === undefined) return [DEFAULT_TENANT];
  const tenants = list(value, 'entra.tenants', `["${DEFAULT_TENANT}"]`).map((tenant, i) => {
    const field = `entra.tenants[${i}]`;
    const id = text(tenant, field, DEFAULT_TENANT);
    if (!TENANT_ID.test(id) || reservedFor(profile, id)) {
      fail(
        field,
        `${JSON.stringify(id)} cannot be a tenant id`,
        profile === 'entra'
          ? 'use letters, digits, dots, dashes (a GUID is typical) and not common, organizations, consumers or the consumer tenant id'
          : 'use letters, digits, dots, dashes (a GUID is typical) and not "common"',
      );
    }
    return id;
  });
  if (tenants.length === 0)
    fail('entra.tenants', 'is empty', 'give at least one tenant id or use entra: true');
  if (new Set(tenants).size !== tenants.length) {
    fail('entra.tenants', 'lists a tenant twice', 'give each tenant once');
  }
  return tenants;
}

function resolveDomains(value: unknown, tenants: string[]): Map<string, string> {
  const first = tenants[0] ?? DEFAULT_TENANT;
  if (value === undefined) return new Map([[DEFAULT_DOMAIN, first]]);
  if (!isObject(value)) {
    fail(
      'entra.domains',
      `must be an object, got ${describe(value)}`,
      `e.g. { "${DEFAULT_DOMAIN}": "${first}" }`,
    );
  }
  const domains = new Map<string, string>();
  for (const [name, tenant] of Object.entries(value)) {
    const field = `entra.domains[${JSON.stringify(name)}]`;
    const domain = name.toLowerCase();
    if (!DOMAIN.test(domain)) {
      fail(field, `${JSON.stringify(name)} is not a domain name`, `e.g. ${DEFAULT_DOMAIN}`);
    }
    if (domains.has(domain)) {
      fail(field, `${JSON.stringify(name)} is given twice`, 'give each domain once');
    }
    const id = text(tenant, field, first);
    if (!TENANT_ID.test(id) || reservedFor('entra', id)) {
      fail(field, `${JSON.stringify(id)} cannot be a tenant id`, 'map the domain to a GUID');
    }
    if (tenants.some((t) => t.toLowerCase() === domain)) {
      fail(field, `${JSON.stringify(name)} is also a tenant id`, 'use a tenant GUID in tenants');
    }
    domains.set(domain, id);
    // A domain's tenant is served even when `tenants` does not list it.
    if (!tenants.includes(id)) tenants.push(id);
  }
  return domains;
}

function resolvePolicies(value: unknown): string[] {
  if (value === undefined) return [DEFAULT_B2C_POLICY];
  const policies = list(value, 'entra.b2cPolicies', `["${DEFAULT_B2C_POLICY}"]`).map((entry, i) => {
    const field = `entra.b2cPolicies[${i}]`;
    const policy = text(entry, field, DEFAULT_B2C_POLICY);
    if (!POLICY.test(policy) || TENANT_SUBPATHS.has(policy.toLowerCase())) {
      fail(
        field,
        `${JSON.stringify(policy)} cannot be a B2C policy name`,
        `use letters, digits, dashes and underscores, e.g. ${DEFAULT_B2C_POLICY}`,
      );
    }
    return policy;
  });
  const lower = policies.map((policy) => policy.toLowerCase());
  if (new Set(lower).size !== lower.length) {
    // B2C matches policy names without regard to case.
    fail(
      'entra.b2cPolicies',
      'lists a policy twice',
      'give each policy once (case does not count)',
    );
  }
  return policies;
}

/** Checks the `entra` option against the profile. */
export function resolveEntra(value: unknown, profile: DevIdpProfile): ResolvedEntra | false {
  const none: ReadonlyMap<string, string> = new Map();
  if (profile !== 'plain' && profile !== 'entra' && value !== undefined && value !== false) {
    fail(
      'entra',
      `Entra-shaped routes are not served by profile "${profile}"`,
      'use profile "entra" (or "plain" with entra: true), or remove entra',
    );
  }
  if (value === false && profile === 'entra') {
    fail(
      'entra',
      'cannot be false with profile "entra"',
      'remove entra: false or use profile "plain"',
    );
  }
  if (value === undefined && profile !== 'entra') return false;
  if (value === false) return false;
  if (value !== undefined && value !== true && !isObject(value)) {
    fail('entra', `must be true, false or { tenants: [...] }, got ${describe(value)}`, 'e.g. true');
  }
  const options = isObject(value) ? value : {};
  checkKeys(options, 'entra', ['tenants', 'domains', 'b2cPolicies']);
  const tenants = resolveTenantList(options.tenants, profile);
  if (profile !== 'entra') {
    for (const key of ['domains', 'b2cPolicies'] as const) {
      if (options[key] !== undefined) {
        fail(
          `entra.${key}`,
          'is only served by profile "entra"',
          `set profile: "entra" or remove entra.${key}`,
        );
      }
    }
    return { tenants, domains: none, b2cPolicies: [] };
  }
  const domains = resolveDomains(options.domains, tenants);
  const b2cPolicies = resolvePolicies(options.b2cPolicies);
  return { tenants, domains, b2cPolicies };
}
