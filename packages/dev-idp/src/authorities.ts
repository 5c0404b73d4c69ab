// The authorities a dev IdP serves, as its DevIdp handle reports them.
import type { ResolvedConfig } from './config.js';
import {
  COMMON,
  CONSUMERS,
  CONSUMERS_TENANT,
  ORGANIZATIONS,
  b2cIssuer,
  entraIssuer,
  entraIssuerTemplate,
} from './entra.js';
import { DevIdpConfigError } from './errors.js';
import { ENTRA_DISCOVERY_PATH, DISCOVERY_PATH } from './routes.js';
import type { DevIdpAuthority } from './types.js';

/** What the answers are computed from. */
export interface AuthorityFacts {
  /** The issuer's origin; Entra-shaped authorities are below it. */
  readonly url: string;
  /** The profile's own issuer. */
  readonly issuer: string;
  readonly config: ResolvedConfig;
}

function entraOff(): never {
  throw new DevIdpConfigError(
    'entra',
    'is off',
    'start the dev IdP with entra: true (or profile: "entra") to get Entra-shaped authorities',
  );
}

/** The tenant segments served besides the tenant ids (`common`, and more for profile entra). */
function multiSegments(facts: AuthorityFacts): string[] {
  return facts.config.profile === 'entra' ? [COMMON, ORGANIZATIONS, CONSUMERS] : [COMMON];
}

/** The segment for `tenant` (domain names lower-cased), or a DevIdpConfigError. */
function tenantSegment(facts: AuthorityFacts, tenant: string): string {
  const { entra } = facts.config;
  if (entra === false) entraOff();
  if (entra.tenants.includes(tenant) || multiSegments(facts).includes(tenant)) return tenant;
  if (facts.config.profile === 'entra' && tenant === CONSUMERS_TENANT) return tenant;
  const domain = tenant.toLowerCase();
  if (entra.domains.has(domain)) return domain;
  const known = [...multiSegments(facts), ...entra.tenants, ...entra.domains.keys()];
  throw new DevIdpConfigError(
    'entra.tenants',
    `does not include ${JSON.stringify(tenant)}`,
    `use one of ${known.join(', ')}`,
  );
}

/** {@link DevIdp.entraAuthority}. */
export function entraAuthority(facts: AuthorityFacts, tenant = COMMON): string {
  return `${facts.url}/${tenantSegment(facts, tenant)}`;
}

/** {@link DevIdp.entraTenantId}. */
export function entraTenantId(facts: AuthorityFacts, tenant = COMMON): string {
  const segment = tenantSegment(facts, tenant);
  const { entra } = facts.config;
  if (entra === false) return entraOff();
  if (segment === CONSUMERS) return CONSUMERS_TENANT;
  if (segment === COMMON || segment === ORGANIZATIONS) return entra.tenants[0] ?? segment;
  return entra.domains.get(segment) ?? segment;
}

/** {@link DevIdp.b2cAuthority}. */
export function b2cAuthority(facts: AuthorityFacts, policy?: string, domain?: string): string {
  const { entra } = facts.config;
  if (entra === false) entraOff();
  const domains = [...entra.domains.keys()];
  if (entra.b2cPolicies.length === 0 || domains.length === 0) {
    throw new DevIdpConfigError(
      'entra.b2cPolicies',
      'serves no B2C user flow',
      'use profile "entra" with at least one policy in entra.b2cPolicies and one domain',
    );
  }
  const flow =
    policy === undefined
      ? entra.b2cPolicies[0]
      : entra.b2cPolicies.find((p) => p.toLowerCase() === policy.toLowerCase());
  if (flow === undefined) {
    throw new DevIdpConfigError(
      'entra.b2cPolicies',
      `does not include ${JSON.stringify(policy)}`,
      `use one of ${entra.b2cPolicies.join(', ')}`,
    );
  }
  const name = domain === undefined ? domains[0] : domain.toLowerCase();
  if (name === undefined || !entra.domains.has(name)) {
    throw new DevIdpConfigError(
      'entra.domains',
      `does not include ${JSON.stringify(domain)}`,
      `use one of ${domains.join(', ')}`,
    );
  }
  return `${facts.url}/${name}/${flow}`;
}

/** {@link DevIdp.authority}: the one a client of the profile is configured with. */
export function mainAuthority(facts: AuthorityFacts): string {
  const { entra } = facts.config;
  if (facts.config.profile === 'entra' && entra !== false && entra.tenants[0] !== undefined) {
    return `${facts.url}/${entra.tenants[0]}`;
  }
  return facts.issuer;
}

/** {@link DevIdp.authorities}: every authority served, the profile's issuer first. */
export function listAuthorities(facts: AuthorityFacts): DevIdpAuthority[] {
  const { url, issuer, config } = facts;
  const ownDiscovery = `${issuer.replace(/\/$/, '')}${DISCOVERY_PATH}`;
  const list: DevIdpAuthority[] = [
    { kind: 'issuer', authority: issuer, discoveryUrl: ownDiscovery, issuer },
  ];
  const { entra } = config;
  if (entra === false) return list;
  const add = (kind: DevIdpAuthority['kind'], authority: string, tokenIssuer: string): void => {
    list.push({
      kind,
      authority,
      discoveryUrl: `${authority}${ENTRA_DISCOVERY_PATH}`,
      issuer: tokenIssuer,
    });
  };
  for (const tenant of entra.tenants) add('tenant', `${url}/${tenant}`, entraIssuer(url, tenant));
  add('common', `${url}/${COMMON}`, entraIssuerTemplate(url));
  if (config.profile !== 'entra') return list;
  add('organizations', `${url}/${ORGANIZATIONS}`, entraIssuerTemplate(url));
  add('consumers', `${url}/${CONSUMERS}`, entraIssuer(url, CONSUMERS_TENANT));
  for (const [domain, tenant] of entra.domains)
    add('domain', `${url}/${domain}`, entraIssuer(url, tenant));
  for (const [domain, tenant] of entra.domains) {
    for (const policy of entra.b2cPolicies) {
      add('b2c', `${url}/${domain}/${policy}`, b2cIssuer(url, tenant));
    }
  }
  return list;
}
