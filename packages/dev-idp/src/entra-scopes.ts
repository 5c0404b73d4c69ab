// The entra profile's scopes: a Microsoft Graph-like resource, and Entra's case-insensitive scope
// names. Entra grants `user.read` and answers with the canonical `User.Read`; oidc-provider
// compares scope names exactly, so requests are rewritten to the canonical spelling before it
// sees them (see entra-requests.ts).
import { fail } from './validate.js';
import type { DevIdpResource } from './types.js';

/**
 * The Graph-like resource of the entra profile: bare scope names as Graph has them (a request may
 * also name them fully qualified, `https://graph.microsoft.com/User.Read`, or as
 * `https://graph.microsoft.com/.default`). The audience is Graph's v1 `aud`.
 */
export const GRAPH_RESOURCE: Readonly<DevIdpResource> = {
  audience: 'https://graph.microsoft.com',
  scopes: ['User.Read', 'User.ReadBasic.All', 'Mail.Read'],
};

/**
 * The entra profile's resources: the configured ones plus {@link GRAPH_RESOURCE}. Scope names
 * must differ in more than case, since Entra does not tell them apart.
 */
export function withGraph(
  resources: readonly DevIdpResource[],
  oidcScopes: readonly string[],
): DevIdpResource[] {
  const all = [
    ...resources,
    { audience: GRAPH_RESOURCE.audience, scopes: [...GRAPH_RESOURCE.scopes] },
  ];
  const seen = new Map<string, string>(oidcScopes.map((scope) => [scope.toLowerCase(), scope]));
  all.forEach((resource, i) => {
    resource.scopes.forEach((scope, j) => {
      const taken = seen.get(scope.toLowerCase());
      if (taken !== undefined) {
        const graph = i === resources.length;
        fail(
          graph ? 'resources' : `resources[${i}].scopes[${j}]`,
          graph
            ? `a scope ${JSON.stringify(taken)} clashes with the entra profile's Microsoft Graph scope ${scope}`
            : `${JSON.stringify(scope)} differs from ${JSON.stringify(taken)} only in case, which Entra ignores`,
          'give each scope a name of its own',
        );
      }
      seen.set(scope.toLowerCase(), scope);
    });
  });
  return all;
}

/** Maps scope names as a client may write them to the canonical ones. */
export class CanonicalScopes {
  /** Lower-cased request form → the canonical scopes it stands for. */
  readonly #names = new Map<string, readonly string[]>();

  /** @param resources - every resource; @param oidcScopes - the provider's own scopes */
  constructor(resources: readonly DevIdpResource[], oidcScopes: readonly string[]) {
    for (const scope of oidcScopes) this.#names.set(scope.toLowerCase(), [scope]);
    for (const { audience, scopes } of resources) {
      const prefix = `${audience.replace(/\/$/, '')}/`;
      for (const scope of scopes) {
        this.#names.set(scope.toLowerCase(), [scope]);
        // A bare scope name (Graph's) may also be asked for fully qualified.
        if (!scope.startsWith(prefix)) this.#names.set(`${prefix}${scope}`.toLowerCase(), [scope]);
      }
      // `{resource}/.default`: every scope of the resource (Entra: every consented one).
      this.#names.set(`${prefix}.default`.toLowerCase(), scopes);
    }
  }

  /**
   * A space-separated scope value in canonical spelling, duplicates removed; unknown names are
   * kept as they are (oidc-provider then ignores them as it would anyway).
   */
  rewrite(value: string): string {
    const out = new Set<string>();
    for (const name of value.split(' ')) {
      if (name === '') continue;
      for (const scope of this.#names.get(name.toLowerCase()) ?? [name]) out.add(scope);
    }
    return [...out].join(' ');
  }
}
