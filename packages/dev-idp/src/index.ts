// @tessera/dev-idp: a local OpenID Connect provider (oidc-provider) for developing and testing
// single-page applications offline.

export { startDevIdp } from './server.js';
export { DevIdpConfigError } from './errors.js';
export { CookieJar } from './cookie-jar.js';
export type {
  DevIdp,
  DevIdpAuthority,
  DevIdpAutoLogin,
  DevIdpClient,
  DevIdpEntraOptions,
  DevIdpKeycloakOptions,
  DevIdpOptions,
  DevIdpProfile,
  DevIdpResource,
  DevIdpStats,
  DevIdpTtl,
  DevIdpUser,
} from './types.js';
