// The dev IdP in one call: a thin layer over @tessera/dev-idp's startDevIdp with test defaults
// (loopback, a free port, automatic sign-in) and what a test needs next to it (the authority,
// a ready UserAgentApplication configuration, the fixture users).
import type { CacheLocation, Configuration, SystemOptions } from '@tessera/browser';
import type { DevIdp, DevIdpClient, DevIdpOptions, DevIdpUser } from '@tessera/dev-idp';

/**
 * Options of {@link startTestIdp}: exactly `@tessera/dev-idp`'s options, passed through, so every
 * option the dev IdP has (users, clients, resources, ttl, profile, ...) works here too. Only the
 * defaults differ, see {@link startTestIdp}.
 */
export type TestIdpOptions = DevIdpOptions;

/** Options of {@link TestIdp.clientConfig}. */
export interface TestClientConfigOptions {
  /** Default: the first registered client's id. */
  clientId?: string;
  /** Default: that client's first redirect URI. */
  redirectUri?: string;
  /** Default: the redirect URI. */
  postLogoutRedirectUri?: string;
  /** Default `sessionStorage`, the library's default. */
  cacheLocation?: CacheLocation;
  /** Passed as the configuration's `system` (test seams, timeouts). */
  system?: SystemOptions;
}

/**
 * A running dev IdP ({@link DevIdp}: issuer, stats, setAutoLogin, close, ...) with what tests
 * need next to it. Stop it with `close()`.
 */
export interface TestIdp extends DevIdp {
  /** The `DevIdp` this wraps, for code that wants the dev IdP's object itself. */
  readonly devIdp: DevIdp;
  /**
   * The authority a client configures (`auth.authority`): the dev IdP's own `authority` when it
   * has one (provider profiles), else its issuer.
   */
  readonly authority: string;
  /** The clients registered at the dev IdP, as started. */
  readonly clients: readonly DevIdpClient[];
  /** The first registered client's id: what {@link TestIdp.clientConfig} uses by default. */
  readonly clientId: string;
  /** The first registered client's first redirect URI. */
  readonly redirectUri: string;
  /**
   * The fixture users as given in the options (with their passwords, for signing in through the
   * login form); empty when the dev IdP's default users (alice, bob) are in use.
   */
  readonly users: readonly DevIdpUser[];
  /**
   * A `UserAgentApplication` configuration for this dev IdP:
   * `new UserAgentApplication(idp.clientConfig())`.
   */
  clientConfig(options?: TestClientConfigOptions): Configuration;
}

/** The dev IdP's documented default client, registered explicitly so the kit knows it. */
const DEFAULT_CLIENTS: readonly DevIdpClient[] = [
  {
    clientId: 'tessera-demo',
    redirectUris: ['http://127.0.0.1:5173/', 'http://localhost:5173/'],
    postLogoutRedirectUris: ['http://127.0.0.1:5173/', 'http://localhost:5173/'],
  },
];

/** The dev IdP's first default user, signed in automatically unless told otherwise. */
const DEFAULT_USERNAME = 'alice';

/**
 * A public client for an app served at `origin` (e.g. `http://127.0.0.1:4173`): redirect and
 * post-logout redirect URI `${origin}/`. The dev IdP allows CORS from its redirect URIs'
 * origins, so the app's own token requests work.
 *
 * @param origin - The app's origin (a trailing slash or path is dropped).
 * @param clientId - Default `tessera-test`.
 */
export function testClient(origin: string, clientId = 'tessera-test'): DevIdpClient {
  const uri = `${new URL(origin).origin}/`;
  return { clientId, redirectUris: [uri], postLogoutRedirectUris: [uri], refreshTokens: true };
}

/**
 * Where a TestIdp keeps what the kit knows about it: read through any stand-in (such as
 * `useTestIdp`'s), which a registry keyed by object identity would miss.
 */
const KIT = Symbol('tessera.testing.idp');

type TestIdpExtras = Omit<TestIdp, keyof DevIdp> & { readonly authority: string };

/**
 * The kit's extras of a {@link TestIdp}; `undefined` for a plain `DevIdp`.
 * @internal
 */
export function testIdpInfo(idp: DevIdp): TestIdpExtras | undefined {
  return (idp as { [KIT]?: TestIdpExtras })[KIT];
}

/** The authority a client of `idp` configures: its own `authority` (profiles) or the issuer. */
export function authorityOf(idp: DevIdp): string {
  // Read without depending on the field: dev IdPs with provider profiles have it, others not.
  const own: unknown = (idp as { authority?: unknown }).authority;
  return typeof own === 'string' && own !== '' ? own : idp.issuer;
}

/** Where an authority's discovery document is, and the issuer it must name. */
export interface AuthorityDiscovery {
  readonly discoveryUrl: string;
  readonly issuer: string;
}

/**
 * How `authority` of `idp` is discovered: from the dev IdP's list of authorities when it has
 * one (provider profiles: Entra tenants discover at `{authority}/v2.0`), else OpenID Connect
 * Discovery at the authority, whose issuer it is.
 */
export function discoveryOf(idp: DevIdp, authority: string): AuthorityDiscovery {
  // Read without depending on the field, as authorityOf does.
  const listed: unknown = (idp as { authorities?: unknown }).authorities;
  if (Array.isArray(listed)) {
    for (const entry of listed as unknown[]) {
      const { authority: a, discoveryUrl, issuer } = (entry ?? {}) as Record<string, unknown>;
      if (a === authority && typeof discoveryUrl === 'string' && typeof issuer === 'string') {
        return { discoveryUrl, issuer };
      }
    }
  }
  return {
    discoveryUrl: `${authority.replace(/\/$/, '')}/.well-known/openid-configuration`,
    issuer: authority,
  };
}

/**
 * Starts the dev IdP for a test: `@tessera/dev-idp`'s `startDevIdp` with these defaults, every
 * one of which the options override:
 *
 * - `host` `127.0.0.1` and `port` 0 (a free port), so parallel test files never collide;
 * - `autoLogin`: the first user (`alice` with the default users) signs in and consents by
 *   itself, so a click on "sign in" in an e2e test just works; `autoLogin: false` shows the
 *   real login and consent pages;
 * - `clients`: the dev IdP's default client `tessera-demo` (redirect URI
 *   `http://127.0.0.1:5173/`); use {@link testClient} for your app's origin.
 *
 * @example
 * const idp = await startTestIdp({ clients: [testClient('http://127.0.0.1:4173')] });
 * const app = new UserAgentApplication(idp.clientConfig());
 * // ...
 * await idp.close();
 *
 * @throws DevIdpConfigError for bad options or a busy port (from the dev IdP).
 */
export async function startTestIdp(options: TestIdpOptions = {}): Promise<TestIdp> {
  // Loaded here, not at the top: importing this package for the fake client or the session
  // helpers does not load oidc-provider.
  const { startDevIdp } = await import('@tessera/dev-idp');
  const clients = options.clients ?? DEFAULT_CLIENTS;
  const users = options.users ?? [];
  const devIdp = await startDevIdp({
    host: '127.0.0.1',
    port: 0,
    autoLogin: { username: users[0]?.username ?? DEFAULT_USERNAME },
    ...options,
    clients: clients.map((client) => ({ ...client })),
  });
  const first = clients[0];
  const extras: TestIdpExtras = {
    devIdp,
    authority: authorityOf(devIdp),
    clients,
    clientId: first?.clientId ?? '',
    redirectUri: first?.redirectUris[0] ?? '',
    users,
    clientConfig(config: TestClientConfigOptions = {}): Configuration {
      const redirectUri = config.redirectUri ?? extras.redirectUri;
      const authority = extras.authority;
      // An Entra-shaped authority (discovery under /v2.0) needs the library's AAD mode, which it
      // picks by itself only for Microsoft's hosts.
      const aad =
        discoveryOf(devIdp, authority).discoveryUrl ===
        `${authority}/v2.0/.well-known/openid-configuration`;
      return {
        auth: {
          clientId: config.clientId ?? extras.clientId,
          authority,
          redirectUri,
          postLogoutRedirectUri: config.postLogoutRedirectUri ?? redirectUri,
          ...(aad && { protocolMode: 'AAD' as const }),
        },
        cache: { cacheLocation: config.cacheLocation ?? 'sessionStorage' },
        ...(config.system !== undefined && { system: config.system }),
      };
    },
  };
  // A proxy rather than a copy: every member of the DevIdp — also ones added after this kit was
  // written — is read from the running dev IdP itself, so nothing is stale or missing.
  return new Proxy(devIdp, {
    get(target, property) {
      if (property === KIT) return extras;
      if (Object.hasOwn(extras, property)) return extras[property as keyof TestIdpExtras];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
    has: (target, property) => Object.hasOwn(extras, property) || Reflect.has(target, property),
  }) as TestIdp;
}
