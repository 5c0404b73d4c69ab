// Provider profiles: which real provider's quirks the dev IdP reproduces. This module holds what
// differs per profile at the level of issuers, paths and defaults; the behaviour hooks are in
// provider.ts (and entra-*.ts for the Entra profile).
import { PLAIN_ROUTES } from './routes.js';
import { checkKeys, describe, fail, isObject, text } from './validate.js';
import type { DevIdpProfile } from './types.js';

/** Every profile, the default first. */
export const PROFILES: readonly DevIdpProfile[] = ['plain', 'entra', 'auth0', 'keycloak', 'google'];

/** One line per profile for `--help`: what it reproduces (details in the README). */
export const PROFILE_HELP: Readonly<Record<DevIdpProfile, string>> = {
  plain: 'standards-only OpenID provider at the issuer (the default)',
  entra: 'Entra ID: tenant/domain/consumers/B2C paths, user.read -> User.Read, claims challenges',
  auth0: 'Auth0: issuer ending in /, audience=<api> picks the API (else opaque token), rotation',
  keycloak: 'Keycloak: issuer /realms/<realm>, /protocol/openid-connect/* paths, 300 s tokens',
  google: 'Google: offline_access refused, no refresh tokens: renewal only by prompt=none',
};

/** Auth0's endpoint paths. */
export const AUTH0_ROUTES = {
  authorization: '/authorize',
  token: '/oauth/token',
  userinfo: '/userinfo',
  end_session: '/oidc/logout',
  jwks: '/.well-known/jwks.json',
  revocation: '/oauth/revoke',
  pushed_authorization_request: '/oauth/par',
} as const;

/** Keycloak's endpoint paths, relative to the realm. */
export const KEYCLOAK_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  userinfo: '/protocol/openid-connect/userinfo',
  end_session: '/protocol/openid-connect/logout',
  jwks: '/protocol/openid-connect/certs',
  revocation: '/protocol/openid-connect/revoke',
  pushed_authorization_request: '/protocol/openid-connect/ext/par/request',
} as const;

/**
 * Google's endpoint paths, on one origin (Google spreads them over several hosts). No end-session
 * endpoint is served: Google has none.
 */
export const GOOGLE_ROUTES = {
  authorization: '/o/oauth2/v2/auth',
  token: '/token',
  userinfo: '/v1/userinfo',
  jwks: '/oauth2/v3/certs',
  revocation: '/revoke',
  pushed_authorization_request: '/par',
} as const;

/** The realm unless `keycloak.realm` is given. */
export const DEFAULT_REALM = 'demo';

/** Keycloak's default access token lifespan (5 minutes). */
export const KEYCLOAK_ACCESS_TOKEN_TTL = 300;

/** The endpoint paths of a profile's own issuer. */
export function profileRoutes(profile: DevIdpProfile): Record<string, string> {
  switch (profile) {
    case 'auth0':
      return { ...AUTH0_ROUTES };
    case 'keycloak':
      return { ...KEYCLOAK_ROUTES };
    case 'google':
      return { ...GOOGLE_ROUTES };
    default:
      return { ...PLAIN_ROUTES };
  }
}

/**
 * The profile's issuer from the normalised base issuer (no trailing slash): Auth0's ends with `/`,
 * Keycloak's is the realm URL.
 */
export function profileIssuer(profile: DevIdpProfile, base: string, realm: string): string {
  if (profile === 'auth0') return `${base}/`;
  if (profile === 'keycloak') return `${base}/realms/${encodeURIComponent(realm)}`;
  return base;
}

/** Checks the `profile` option. */
export function resolveProfile(value: unknown): DevIdpProfile {
  if (value === undefined) return 'plain';
  const known = PROFILES.find((profile) => profile === value);
  if (known === undefined) {
    fail(
      'profile',
      `${describe(value)} is not a profile`,
      `use one of ${PROFILES.join(', ')} (default plain)`,
    );
  }
  return known;
}

/** Checks the `keycloak` option and returns the realm. */
export function resolveRealm(value: unknown, profile: DevIdpProfile): string {
  if (value === undefined) return DEFAULT_REALM;
  if (profile !== 'keycloak') {
    fail(
      'keycloak',
      `only applies to profile "keycloak", not "${profile}"`,
      'set profile: "keycloak" or remove keycloak',
    );
  }
  if (!isObject(value)) {
    fail('keycloak', `must be an object, got ${describe(value)}`, 'e.g. { "realm": "demo" }');
  }
  checkKeys(value, 'keycloak', ['realm']);
  if (value.realm === undefined) return DEFAULT_REALM;
  const realm = text(value.realm, 'keycloak.realm', DEFAULT_REALM);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(realm)) {
    fail(
      'keycloak.realm',
      `${JSON.stringify(realm)} cannot be a realm name here`,
      'use letters, digits, dots, dashes and underscores',
    );
  }
  return realm;
}
