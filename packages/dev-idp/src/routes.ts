// Endpoint paths, relative to where a provider is mounted.

/** Paths of the plain issuer's endpoints. */
export const PLAIN_ROUTES = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  end_session: '/logout',
  jwks: '/jwks',
  revocation: '/revoke',
  pushed_authorization_request: '/par',
} as const;

/** Paths of an Entra-shaped tenant's endpoints, relative to `/{tenant}`. */
export const ENTRA_ROUTES = {
  authorization: '/oauth2/v2.0/authorize',
  token: '/oauth2/v2.0/token',
  userinfo: '/oidc/userinfo',
  end_session: '/oauth2/v2.0/logout',
  jwks: '/discovery/v2.0/keys',
  revocation: '/oauth2/v2.0/revoke',
  pushed_authorization_request: '/oauth2/v2.0/par',
} as const;

/** Where a tenant's discovery document is, relative to `/{tenant}`. */
export const ENTRA_DISCOVERY_PATH = '/v2.0/.well-known/openid-configuration';

/** oidc-provider's own discovery path (fixed). */
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** Prefix of the interaction (login/consent) pages, relative to a provider's mount path. */
export const INTERACTION_PREFIX = '/interaction/';

/** Prefix of the control endpoints for tests and demos. */
export const CONTROL_PREFIX = '/__dev/';

/** First path segments the plain issuer uses; they cannot be tenant ids. */
export const RESERVED_SEGMENTS: ReadonlySet<string> = new Set([
  'common',
  '__dev',
  'interaction',
  '.well-known',
  ...Object.values(PLAIN_ROUTES).map((path) => path.split('/')[1] ?? ''),
]);
