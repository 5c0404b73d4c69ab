// Entra-shaped authorities: `/{tenant}/v2.0` issuers with Microsoft's endpoint paths, and
// `common`, whose discovery document carries the `{tenantid}` issuer template.
import { ENTRA_DISCOVERY_PATH, DISCOVERY_PATH } from './routes.js';

/** The multi-tenant authority segment. */
export const COMMON = 'common';

/** The work-and-school-accounts authority segment (entra profile), like `common`. */
export const ORGANIZATIONS = 'organizations';

/** The personal-Microsoft-accounts authority segment (entra profile). */
export const CONSUMERS = 'consumers';

/** The tenant id behind `consumers`: the real one, which its issuer and `tid` carry. */
export const CONSUMERS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** Issuer of a tenant: `${url}/${tenant}/v2.0`. */
export function entraIssuer(url: string, tenant: string): string {
  return `${url}/${tenant}/v2.0`;
}

/** Issuer of a B2C user flow: B2C's tenant issuer ends with a slash. */
export function b2cIssuer(url: string, tenant: string): string {
  return `${entraIssuer(url, tenant)}/`;
}

/** The issuer `common`'s discovery document shows (a template, as Entra's does). */
export function entraIssuerTemplate(url: string): string {
  return `${url}/{tenantid}/v2.0`;
}

/**
 * Maps a path below `/{tenant}` to the provider's own path: the v2.0 discovery location becomes
 * oidc-provider's fixed one; the root discovery location (not served by Entra v2) is refused.
 */
export function entraProviderPath(rest: string): string | undefined {
  if (rest === ENTRA_DISCOVERY_PATH) return DISCOVERY_PATH;
  if (rest === DISCOVERY_PATH) return undefined;
  return rest;
}
