import { ClientConfigurationError } from './errors/auth-error.js';
import {
  INVALID_AUTHORITY,
  INVALID_CACHE_LOCATION,
  INVALID_CONFIGURATION,
  INVALID_REDIRECT_URI,
  MISSING_CLIENT_ID,
} from './errors/error-codes.js';
import type { LoggerOptions } from './logger.js';
import type { Ports } from './ports.js';
import type { ProtocolMode } from './protocol/types.js';
import type { NavigationClient } from './interaction/types.js';

/** Where tokens are kept. */
export type CacheLocation = 'sessionStorage' | 'localStorage' | 'memory';

/** `auth` options, in msal 1.x shape. */
export interface AuthOptions {
  /** The application (client) id registered at the provider. Required. */
  clientId: string;
  /**
   * The provider: any OIDC issuer URL (discovery at `{authority}/.well-known/openid-configuration`),
   * or an Entra-style `https://login.microsoftonline.com/{tenant}`. Default the Entra `common` authority.
   */
  authority?: string;
  /** `AAD` for Entra-style authorities (default for Microsoft hosts and `knownAuthorities`), else `OIDC`. */
  protocolMode?: ProtocolMode;
  /**
   * Hosts (`host` or `host:port`) that serve Entra-style authorities besides Microsoft's own:
   * Azure AD B2C (`contoso.b2clogin.com`), Entra External ID (`contoso.ciamlogin.com`) and their
   * custom domains. Their authorities default to `protocolMode: 'AAD'`, which accepts the
   * tenant-id issuer these hosts answer with for a tenant named by domain or a B2C policy path.
   */
  knownAuthorities?: string[];
  /**
   * Whether sign-ins ask for `offline_access` (a refresh token, OIDC Core 11). Default: when the
   * provider lists it in `scopes_supported`, or lists no scopes. Some providers refuse a scope
   * they do not list (Google's discovery does not list it). `true` always asks; `false` never
   * does, and silent renewal then relies on the hidden iframe.
   */
  offlineAccess?: boolean;
  /** Where the provider sends responses; must be on the page's origin. Default: the current page without query or fragment. */
  redirectUri?: string | (() => string);
  /** Where the provider sends the user after sign-out; must be on the page's origin. Default: `redirectUri`. */
  postLogoutRedirectUri?: string | (() => string);
  /** After a redirect flow, return the user to the page that started it (same origin only). Default true. */
  navigateToLoginRequestUrl?: boolean;
  /** Accepted for msal 1.x compatibility; discovery validates the issuer instead. */
  validateAuthority?: boolean;
  /**
   * The provider's discovery document (OIDC Discovery 1.0 section 3), as JSON text (msal's
   * `auth.authorityMetadata`) or an object. Then no discovery request is made. It is checked
   * like a fetched document: its `issuer` must be the authority's (OIDC Discovery 1.0 section
   * 4.3) and its endpoints https; one that fails makes sign-in fail with `discovery_failed`.
   */
  authorityMetadata?: string | Record<string, unknown>;
}

/** `cache` options. */
export interface CacheOptions {
  /** Default `sessionStorage`. */
  cacheLocation?: CacheLocation;
  /** Accepted for msal 1.x compatibility; request state never needs cookies here. */
  storeAuthStateInCookie?: boolean;
}

/** `system` options. */
export interface SystemOptions {
  logger?: LoggerOptions;
  /** Renew an access token this many seconds before it expires. Default 300. */
  tokenRenewalOffsetSeconds?: number;
  /** Hidden-iframe timeout in ms (`monitor_window_timeout`). Default 10000. */
  loadFrameTimeout?: number;
  /** Popup timeout in ms (`monitor_window_timeout`). Default 300000. */
  windowHashTimeout?: number;
  /** How long a silent request waits for another tab's renewal before going alone, ms. Default 10000. */
  lockTimeout?: number;
  /**
   * Time limit of each request to the provider (discovery, token requests), in ms, until the
   * last byte of the answer. A request over it fails with `network_error`. Default 10000.
   */
  networkTimeout?: number;
  /**
   * Sign out after this many ms without user activity in any tab of the app (opt-in; default
   * off). `msal:idleWarning` fires `idleWarning` ms before, and activity in any tab postpones it.
   */
  idleTimeout?: number;
  /** How long before an idle sign-out `msal:idleWarning` fires, in ms. Default 60000 (at most half `idleTimeout`). */
  idleWarning?: number;
  /**
   * Renew the tokens the app asked for ahead of expiry, and when the tab becomes visible, comes
   * back online or is restored from the back/forward cache — rather than trusting timers, which
   * browsers throttle in background tabs. Default false: tokens are renewed when used.
   */
  autoRenew?: boolean;
  /**
   * At sign-out, also revoke the account's refresh token at the provider (RFC 7009) when it
   * advertises a `revocation_endpoint`, so a copy of it is worthless too. Default false.
   */
  revokeTokensOnLogout?: boolean;
  /**
   * Sign-out ends the session in every tab of the app, whatever the cache location (a
   * `BroadcastChannel` notice). Default true. With `localStorage` the cache is shared, so other
   * tabs lose the tokens either way; false keeps other tabs' `sessionStorage`/memory sessions.
   */
  logoutAllTabs?: boolean;
  /** Router hook for frameworks: navigate without full page reloads. */
  navigationClient?: NavigationClient;
  /** Test seams: fetch, clock, timers, random, window. Defaults are the browser's. */
  ports?: Partial<Ports>;
}

/** The configuration of a {@link UserAgentApplication}: msal 1.x shape. */
export interface Configuration {
  auth: AuthOptions;
  cache?: CacheOptions;
  system?: SystemOptions;
}

/** Configuration after validation, with defaults applied. */
export interface ResolvedConfiguration {
  clientId: string;
  authority: string;
  protocolMode: ProtocolMode;
  redirectUri: string;
  postLogoutRedirectUri: string;
  navigateToLoginRequestUrl: boolean;
  cacheLocation: CacheLocation;
  tokenRenewalOffsetSeconds: number;
  loadFrameTimeout: number;
  windowHashTimeout: number;
  lockTimeout: number;
  /** 0 when idle sign-out is off. */
  idleTimeout: number;
  idleWarning: number;
  autoRenew: boolean;
  revokeTokensOnLogout: boolean;
  logoutAllTabs: boolean;
  networkTimeout: number;
  /** `auth.authorityMetadata` as given, checked to be a JSON object. */
  authorityMetadata: string | Record<string, unknown> | undefined;
  /** `auth.offlineAccess`; undefined: decided by the provider's `scopes_supported`. */
  offlineAccess: boolean | undefined;
}

/** The msal default authority. */
export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com/common';

const MICROSOFT_HOSTS = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
];

const CACHE_LOCATIONS: readonly string[] = ['sessionStorage', 'localStorage', 'memory'];

/** True for loopback hosts, where http is allowed (RFC 8252 7.3, RFC 9700 2.6). */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

/**
 * The authority as written: discovery requires the issuer to be exactly it (RFC 8414 3.3, OIDC
 * Discovery 4.3), so a path's trailing slash is kept (some providers' issuers end in one); only
 * the lone "/" of an origin, which URL parsing adds, is dropped.
 */
function authorityOf(url: URL): string {
  return url.pathname === '/' ? url.href.slice(0, -1) : url.href;
}

function fail(code: string, message: string): never {
  throw new ClientConfigurationError(code, message);
}

function parseAuthority(raw: unknown): URL {
  const fix =
    'Set auth.authority to your provider\'s issuer URL, e.g. "https://login.example.com/realms/app" (http only on localhost/127.0.0.1).';
  if (typeof raw !== 'string' || raw.trim() === '') {
    fail(INVALID_AUTHORITY, `auth.authority must be a URL string. ${fix}`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(INVALID_AUTHORITY, `auth.authority "${raw}" is not an absolute URL. ${fix}`);
  }
  const insecureOk = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !insecureOk) {
    fail(INVALID_AUTHORITY, `auth.authority "${raw}" must use https. ${fix}`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    fail(
      INVALID_AUTHORITY,
      `auth.authority "${raw}" must not contain a query, fragment or credentials. ${fix}`,
    );
  }
  return url;
}

function resolveUri(
  field: string,
  raw: unknown,
  fallback: string,
  pageOrigin: string | undefined,
): string {
  const value = typeof raw === 'function' ? (raw as () => unknown)() : raw;
  if (value === undefined) return fallback;
  const fix = `Set ${field} to a URL on this page's origin${pageOrigin === undefined ? '' : ` (${pageOrigin})`} and register it at the provider.`;
  if (typeof value !== 'string' || value.trim() === '') {
    fail(INVALID_REDIRECT_URI, `${field} must be a URL string. ${fix}`);
  }
  let url: URL;
  try {
    url = new URL(value, pageOrigin);
  } catch {
    fail(INVALID_REDIRECT_URI, `${field} "${value}" is not a URL. ${fix}`);
  }
  if (!/^https?:$/.test(url.protocol)) {
    fail(INVALID_REDIRECT_URI, `${field} "${value}" must be an http(s) URL. ${fix}`);
  }
  if (pageOrigin !== undefined && url.origin !== pageOrigin) {
    // Responses are accepted only on our own origin (DESIGN security rules; RFC 9700 4.1).
    fail(INVALID_REDIRECT_URI, `${field} "${value}" is on another origin than the page. ${fix}`);
  }
  if (url.hash !== '') {
    fail(
      INVALID_REDIRECT_URI,
      `${field} "${value}" must not contain a fragment (RFC 6749 3.1.2). ${fix}`,
    );
  }
  return url.href;
}

function nonNegative(field: string, raw: unknown, fallback: number): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) {
    fail(
      INVALID_CONFIGURATION,
      `${field} must be a non-negative number; got ${JSON.stringify(raw) ?? typeof raw}.`,
    );
  }
  return raw;
}

/** `auth.authorityMetadata` must be a JSON object (text or value); its content is checked later. */
function checkMetadata(raw: unknown): string | Record<string, unknown> | undefined {
  let value = raw;
  try {
    if (typeof raw === 'string') value = JSON.parse(raw);
  } catch {
    // Reported below, with the fix.
  }
  if (raw !== undefined && (typeof value !== 'object' || !value || Array.isArray(value))) {
    fail(
      INVALID_CONFIGURATION,
      "auth.authorityMetadata must be your provider's /.well-known/openid-configuration document, as JSON text or object.",
    );
  }
  return raw as string | Record<string, unknown> | undefined;
}

/** The URLs a request may set instead of the configuration's. */
export interface RequestUrls {
  authority?: string | undefined;
  redirectUri?: string | undefined;
  redirectStartPage?: string | undefined;
  postLogoutRedirectUri?: string | undefined;
}

/**
 * Checks the URLs a single request overrides exactly as the configuration's own are checked
 * (https authority, redirect URIs on the page's origin), and resolves a relative
 * `redirectStartPage` against the page now — before any code leaves the address bar. `page` (the
 * page's URL) may be a function: it is then called only for a request that overrides a URL
 * (reading `location.href` costs more than the rest of a cache hit).
 *
 * @throws ClientConfigurationError `invalid_authority`, `invalid_redirect_uri`
 */
export function checkRequestUrls<T extends RequestUrls>(
  request: T,
  page: string | undefined | (() => string | undefined),
): T {
  const { authority, redirectUri, postLogoutRedirectUri, redirectStartPage } = request;
  // Nearly every request overrides none of them: nothing to check or copy.
  if (!(authority ?? redirectUri ?? postLogoutRedirectUri ?? redirectStartPage)) return request;
  const pageUrl = typeof page === 'function' ? page() : page;
  const origin = pageUrl === undefined ? undefined : new URL(pageUrl).origin;
  const checked = { ...request };
  if (request.authority !== undefined) {
    checked.authority = authorityOf(parseAuthority(request.authority));
  }
  for (const field of ['redirectUri', 'postLogoutRedirectUri'] as const) {
    if (request[field] !== undefined) {
      checked[field] = resolveUri(`request.${field}`, request[field], '', origin);
    }
  }
  const start = request.redirectStartPage;
  if (start !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(start, pageUrl);
    } catch {
      // reported below
    }
    // The app returns there after the redirect: another origin would be an open redirect.
    if (
      url === undefined ||
      (origin !== undefined ? url.origin !== origin : !/^https?:$/.test(url.protocol))
    ) {
      fail(
        INVALID_REDIRECT_URI,
        `request.redirectStartPage "${start}" must be a page of this app's origin.`,
      );
    }
    checked.redirectStartPage = url.href;
  }
  return checked;
}

/**
 * Validates configuration at construction and applies defaults, so a mistake surfaces at once
 * with the field and the fix, not at the first sign-in.
 *
 * @throws ClientConfigurationError `missing_client_id`, `invalid_authority`,
 *   `invalid_redirect_uri`, `invalid_cache_location`, `invalid_configuration`
 */
export function resolveConfiguration(
  config: Configuration,
  pageUrl: string | undefined,
): ResolvedConfiguration {
  if (
    typeof config !== 'object' ||
    config === null ||
    typeof config.auth !== 'object' ||
    config.auth === null
  ) {
    fail(
      INVALID_CONFIGURATION,
      'Pass a configuration object: new UserAgentApplication({ auth: { clientId: "..." } }).',
    );
  }
  const { auth } = config;
  if (typeof auth.clientId !== 'string' || auth.clientId.trim() === '') {
    fail(
      MISSING_CLIENT_ID,
      'auth.clientId is missing: set it to the application (client) id registered at your provider.',
    );
  }
  const authorityUrl = parseAuthority(auth.authority ?? DEFAULT_AUTHORITY);
  const authority = authorityOf(authorityUrl);
  const known = auth.knownAuthorities ?? [];
  if (!Array.isArray(known) || known.some((h) => typeof h !== 'string' || !/^[^/?#\s]+$/.test(h))) {
    fail(
      INVALID_CONFIGURATION,
      'auth.knownAuthorities must be an array of host names, e.g. ["contoso.b2clogin.com"].',
    );
  }
  const protocolMode: ProtocolMode =
    auth.protocolMode ??
    (MICROSOFT_HOSTS.includes(authorityUrl.hostname) ||
    known.some(
      (h) => h.toLowerCase() === authorityUrl.host || h.toLowerCase() === authorityUrl.hostname,
    )
      ? 'AAD'
      : 'OIDC');
  if (protocolMode !== 'OIDC' && protocolMode !== 'AAD') {
    fail(INVALID_CONFIGURATION, 'auth.protocolMode must be "OIDC" or "AAD".');
  }

  const page = pageUrl === undefined ? undefined : new URL(pageUrl);
  const pageOrigin = page?.origin;
  const defaultRedirect = page === undefined ? '' : `${page.origin}${page.pathname}`;
  const redirectUri = resolveUri('auth.redirectUri', auth.redirectUri, defaultRedirect, pageOrigin);
  if (redirectUri === '') {
    fail(INVALID_REDIRECT_URI, 'auth.redirectUri is required outside a browser page.');
  }
  const postLogoutRedirectUri = resolveUri(
    'auth.postLogoutRedirectUri',
    auth.postLogoutRedirectUri,
    redirectUri,
    pageOrigin,
  );

  const cacheLocation = config.cache?.cacheLocation ?? 'sessionStorage';
  if (!CACHE_LOCATIONS.includes(cacheLocation)) {
    fail(
      INVALID_CACHE_LOCATION,
      `cache.cacheLocation "${String(cacheLocation)}" is not supported: use "sessionStorage", "localStorage" or "memory".`,
    );
  }
  const system = config.system ?? {};
  return {
    clientId: auth.clientId,
    authority,
    protocolMode,
    redirectUri,
    postLogoutRedirectUri,
    navigateToLoginRequestUrl: auth.navigateToLoginRequestUrl ?? true,
    cacheLocation,
    tokenRenewalOffsetSeconds: nonNegative(
      'system.tokenRenewalOffsetSeconds',
      system.tokenRenewalOffsetSeconds,
      300,
    ),
    loadFrameTimeout: nonNegative('system.loadFrameTimeout', system.loadFrameTimeout, 10_000),
    windowHashTimeout: nonNegative('system.windowHashTimeout', system.windowHashTimeout, 300_000),
    lockTimeout: nonNegative('system.lockTimeout', system.lockTimeout, 10_000),
    idleTimeout: nonNegative('system.idleTimeout', system.idleTimeout, 0),
    idleWarning: nonNegative('system.idleWarning', system.idleWarning, 60_000),
    autoRenew: system.autoRenew === true,
    revokeTokensOnLogout: system.revokeTokensOnLogout === true,
    logoutAllTabs: system.logoutAllTabs !== false,
    networkTimeout:
      nonNegative('system.networkTimeout', system.networkTimeout, 10_000) ||
      fail(INVALID_CONFIGURATION, 'system.networkTimeout must be more than 0 ms.'),
    authorityMetadata: checkMetadata(auth.authorityMetadata),
    offlineAccess:
      auth.offlineAccess === undefined || typeof auth.offlineAccess === 'boolean'
        ? auth.offlineAccess
        : fail(INVALID_CONFIGURATION, 'auth.offlineAccess must be true, false or left out.'),
  };
}
