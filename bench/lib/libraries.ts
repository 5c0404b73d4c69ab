// The libraries in the comparison: where their adapter, minimal app and callback page are, and
// what each cannot do in this setup (reported as n/a with the reason, never silently skipped).
import { readFileSync } from 'node:fs';
import { BENCH_DIR, REPO_ROOT } from './paths.js';

export type LibraryId =
  'tessera' | 'msal-browser' | 'oidc-client-ts' | 'auth0-spa-js' | 'oauth4webapi';

export interface Library {
  id: LibraryId;
  /** Table label. */
  label: string;
  /** The package whose version is reported. */
  packageJson: string;
  /** Measurement-page adapter, relative to bench/. */
  adapter: string;
  /** The minimal app sized as one file, relative to bench/. */
  minimalApp: string;
  /** Script of the popup/iframe callback page, relative to bench/; undefined: an empty page. */
  callback: string | undefined;
  /** The library only accepts an https issuer name (the provider's issuer is then https://…). */
  httpsIssuer: boolean;
  /** The library is given the discovery document instead of fetching it. */
  inlineDiscovery: boolean;
  /** How long before expiry the library renews a token of this lifetime (its defaults), in s. */
  renewalWindow(lifetimeSeconds: number): number;
  /** Why the library cannot take part in the 50-scope-set heap run, if it cannot. */
  noScopeSets?: string;
  /** Setup notes printed under the tables. */
  notes: string[];
}

export const LIBRARIES: readonly Library[] = [
  {
    id: 'tessera',
    label: '@tessera/browser',
    packageJson: 'packages/browser/package.json',
    adapter: 'peers/tessera.ts',
    minimalApp: 'minimal-app.ts',
    callback: 'pages/callback-tessera.ts',
    httpsIssuer: false,
    inlineDiscovery: false,
    // tokenRenewalOffsetSeconds (300), capped at half the token's lifetime
    renewalWindow: (lifetime) => Math.min(300, lifetime / 2),
    notes: ['built from the working tree (packages/browser/src)'],
  },
  {
    id: 'msal-browser',
    label: '@azure/msal-browser',
    packageJson: 'node_modules/@azure/msal-browser/package.json',
    adapter: 'peers/msal-browser.ts',
    minimalApp: 'minimal/msal-browser.ts',
    callback: undefined,
    httpsIssuer: true,
    inlineDiscovery: true,
    renewalWindow: () => 300, // system.tokenRenewalOffsetSeconds
    notes: [
      'protocolMode OIDC + knownAuthorities; msal refuses http authorities, so the authority is ' +
        "the provider's https issuer name and discovery is given inline (authorityMetadata): " +
        'it makes no discovery request; signs in with prompt=consent (it asks for ' +
        'offline_access on every refresh, which oidc-provider only grants with consent)',
    ],
  },
  {
    id: 'oidc-client-ts',
    label: 'oidc-client-ts',
    packageJson: 'node_modules/oidc-client-ts/package.json',
    adapter: 'peers/oidc-client-ts.ts',
    minimalApp: 'minimal/oidc-client-ts.ts',
    callback: 'pages/callback-oidc-client-ts.ts',
    httpsIssuer: false,
    inlineDiscovery: false,
    renewalWindow: () => 60, // the adapter's rule (see peers/oidc-client-ts.ts)
    noScopeSets: 'one access token per user: no per-scope-set cache',
    notes: [
      'UserManager: getUser(), signinSilent() (refresh grant) when the token expires within 60 s; ' +
        'automaticSilentRenew off (a timer would add requests); userStore localStorage',
    ],
  },
  {
    id: 'auth0-spa-js',
    label: '@auth0/auth0-spa-js',
    packageJson: 'node_modules/@auth0/auth0-spa-js/package.json',
    adapter: 'peers/auth0-spa-js.ts',
    minimalApp: 'minimal/auth0-spa-js.ts',
    callback: undefined,
    httpsIssuer: true,
    inlineDiscovery: false,
    renewalWindow: () => 60, // fixed in getTokenSilently
    noScopeSets:
      'a refresh token serves only its own scope set; with useMrrt a response scope without ' +
      'openid/offline_access is rejected',
    notes: [
      'domain http://127.0.0.1:<port>, no discovery; its fixed /oauth/token path is mapped to the ' +
        "provider's /token by the counting front; `iss` must be https:// (issuer option), so its " +
        'provider has an https issuer name; popup needs response_mode=web_message (not offered): ' +
        'signed in by redirect with prompt=consent (offline_access, as for msal); ' +
        'cacheLocation localstorage, useRefreshTokens',
    ],
  },
  {
    id: 'oauth4webapi',
    label: 'bare oauth4webapi',
    packageJson: 'node_modules/oauth4webapi/package.json',
    adapter: 'peers/oauth4webapi.ts',
    minimalApp: 'minimal/oauth4webapi.ts',
    callback: 'pages/callback-oauth4webapi.ts',
    httpsIssuer: false,
    inlineDiscovery: false,
    renewalWindow: () => 60, // BareClient's default renewalOffsetSeconds
    notes: [
      'bench/bare-client: code + PKCE popup, refresh grant, in-memory cache written to ' +
        'localStorage, in-tab single-flight; no cross-tab lock, no iframe fallback',
    ],
  },
];

export function versionOf(library: Library): string {
  const json = JSON.parse(readFileSync(`${REPO_ROOT}/${library.packageJson}`, 'utf8')) as {
    version?: string;
  };
  const version = json.version ?? '?';
  return library.id === 'tessera' ? `${version} (working tree)` : version;
}

export const benchPath = (relative: string): string => `${BENCH_DIR}/${relative}`;

/** The shortest access-token lifetime the library treats as usable for `usable` seconds. */
export function lifetimeFor(library: Library, usable: number): number {
  let lifetime = usable;
  while (lifetime - library.renewalWindow(lifetime) < usable) lifetime += 1;
  return lifetime;
}
