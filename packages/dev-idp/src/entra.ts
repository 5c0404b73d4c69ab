// Entra-shaped authorities: `/{tenant}/v2.0` issuers with Microsoft's endpoint paths, and
// `common`, whose discovery document carries the `{tenantid}` issuer template.
import { ENTRA_DISCOVERY_PATH, DISCOVERY_PATH } from './routes.js';

/** The multi-tenant authority segment. */
export const COMMON = 'common';

/** Issuer of a tenant: `${url}/${tenant}/v2.0`. */
export function entraIssuer(url: string, tenant: string): string {
  return `${url}/${tenant}/v2.0`;
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
