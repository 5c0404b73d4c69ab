// Which provider an Entra-shaped path belongs to. Tenant ids and the multi-tenant segments
// (`common`, `organizations`, `consumers`) are the first path segment; a tenant domain name
// (`contoso.onmicrosoft.com`) stands for its tenant, and `/{domain}/{policy}` is a B2C user flow.
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
import type { ProviderPlacement } from './provider.js';
import { ENTRA_ROUTES } from './routes.js';
import { mountOf } from './state.js';

/** Where a request goes: the target, the mount path it is served under, the path below it. */
export interface EntraRoute<T> {
  readonly target: T;
  readonly mount: string;
  readonly rest: string;
}

/** Splits `/a/b/c` into `a` and `/b/c`. */
function firstSegment(path: string): [string, string] {
  const slash = path.indexOf('/', 1);
  return slash === -1 ? [path.slice(1), '/'] : [path.slice(1, slash), path.slice(slash)];
}

/** The Entra-shaped paths of one dev IdP. */
export class EntraRouter<T> {
  /** Tenant id or multi-tenant segment → target. */
  readonly #tenants = new Map<string, T>();
  /** Lower-cased domain → tenant id. */
  readonly #domains = new Map<string, string>();
  /** `${domain}/${policy}` lower-cased → target and mount. */
  readonly #flows = new Map<string, { target: T; mount: string }>();

  /** Serves `target` at `/{segment}` (a tenant id, `common`, `organizations` or `consumers`). */
  addTenant(segment: string, target: T): void {
    this.#tenants.set(segment, target);
  }

  /** The target at `/{segment}`. */
  tenant(segment: string): T | undefined {
    return this.#tenants.get(segment);
  }

  /** Serves tenant `tenant` at `/{domain}` too (domain names are case-insensitive). */
  addDomain(domain: string, tenant: string): void {
    this.#domains.set(domain.toLowerCase(), tenant);
  }

  /** Serves a B2C user flow at `/{domain}/{policy}` (both case-insensitive). */
  addFlow(domain: string, policy: string, target: T): void {
    this.#flows.set(`${domain}/${policy}`.toLowerCase(), { target, mount: `/${domain}/${policy}` });
  }

  /**
   * The route for a path whose first segment is `first` and the rest `rest`, or undefined when it
   * is not Entra-shaped. A domain's requests go to its tenant mounted at `/{tenant-id}`, so the
   * discovery document names the tenant's GUID paths, as Entra's does.
   */
  resolve(first: string, rest: string): EntraRoute<T> | undefined {
    const target = this.#tenants.get(first);
    if (target !== undefined) return { target, mount: `/${first}`, rest };
    const domain = first.toLowerCase();
    const tenant = this.#domains.get(domain);
    if (tenant === undefined) return undefined;
    const [second, below] = firstSegment(rest);
    const flow = this.#flows.get(`${domain}/${second.toLowerCase()}`);
    if (flow !== undefined) return { target: flow.target, mount: flow.mount, rest: below };
    const own = this.#tenants.get(tenant);
    return own === undefined ? undefined : { target: own, mount: `/${tenant}`, rest };
  }
}

/**
 * Mounts the Entra-shaped providers: one per tenant (the first also behind `common`, and for the
 * entra profile `organizations`), and for the entra profile the consumer tenant behind
 * `consumers`, the domain names and one provider per domain and B2C user flow.
 */
export function mountEntra<T>(
  config: ResolvedConfig,
  url: string,
  mountProvider: (issuer: string, placement: ProviderPlacement) => T,
): EntraRouter<T> {
  const router = new EntraRouter<T>();
  if (config.entra === false) return router;
  const template = entraIssuerTemplate(url);
  const multiTenant = new Set([`/${COMMON}`, `/${ORGANIZATIONS}`]);
  for (const tenant of config.entra.tenants) {
    router.addTenant(
      tenant,
      mountProvider(entraIssuer(url, tenant), {
        routes: { ...ENTRA_ROUTES },
        tenant,
        discoveryIssuer: (req) => (multiTenant.has(mountOf(req)) ? template : undefined),
      }),
    );
  }
  const first = router.tenant(config.entra.tenants[0] ?? '');
  if (first === undefined) return router;
  router.addTenant(COMMON, first);
  if (config.profile !== 'entra') return router;

  router.addTenant(ORGANIZATIONS, first);
  const consumers = mountProvider(entraIssuer(url, CONSUMERS_TENANT), {
    routes: { ...ENTRA_ROUTES },
    tenant: CONSUMERS_TENANT,
  });
  router.addTenant(CONSUMERS, consumers);
  router.addTenant(CONSUMERS_TENANT, consumers);
  for (const [domain, tenant] of config.entra.domains) {
    router.addDomain(domain, tenant);
    for (const policy of config.entra.b2cPolicies) {
      router.addFlow(
        domain,
        policy,
        mountProvider(b2cIssuer(url, tenant), { routes: { ...ENTRA_ROUTES }, tenant, policy }),
      );
    }
  }
  return router;
}
