/**
 * @tessera/browser — OAuth 2.0 / OpenID Connect tokens for single-page applications.
 * @packageDocumentation
 */
export { UserAgentApplication } from './user-agent-application.js';
export type {
  TokenReceivedCallback,
  ErrorReceivedCallback,
  AuthCallback,
} from './user-agent-application.js';
export type {
  Configuration,
  AuthOptions,
  CacheOptions,
  SystemOptions,
  CacheLocation,
  ResolvedConfiguration,
} from './config.js';
export type {
  Account,
  AuthenticationParameters,
  AuthResponse,
  IdTokenClaims,
  PromptValue,
} from './types.js';
export type { LogoutRequest } from './flows/logout-flow.js';
export * from './errors/index.js';
export { EventType } from './events.js';
export type {
  AuthEvent,
  AnyAuthEvent,
  EventCallback,
  EventPayloadMap,
  InteractionType,
  SessionEnded,
  SessionEndReason,
} from './events.js';
export { STARTING_SNAPSHOT } from './state.js';
export { InteractionStatus, interactionStatusOf } from './interaction-status.js';
export type { AuthSnapshot, AuthStatus, AuthInteraction } from './state.js';
export { LogLevel } from './logger.js';
export type { LoggerCallback, LoggerOptions } from './logger.js';
export type { Clock, Timers, FetchLike, Ports } from './ports.js';
export type { NavigationClient } from './interaction/types.js';
export type { ProtocolMode } from './protocol/types.js';
export { createAuthFetch } from './fetch/auth-fetch.js';
export type { AuthFetchOptions, TokenSource } from './fetch/auth-fetch.js';
export { claimsFromChallenge, parseBearerChallenge } from './fetch/www-authenticate.js';
export {
  parseProtectedResourceMap,
  findProtectedResource,
  scopesForUrl,
} from './fetch/resource-map.js';
export type { ProtectedResource, ProtectedResourceMapInput } from './fetch/resource-map.js';
