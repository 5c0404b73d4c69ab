// The demo's settings, served as /config.json by scripts/start.mjs (built from flags,
// TESSERA_* environment variables or a config file), so one build runs against any provider.

/** A fixture account shown on the page (dev IdP only). */
export interface TestUser {
  username: string;
  password: string;
}

export interface DemoConfig {
  /** Shown in the header, e.g. "Tessera dev IdP" or "Auth0". */
  providerName: string;
  /** Issuer URL (or Entra-style `https://login.microsoftonline.com/{tenant}`). */
  authority: string;
  clientId: string;
  /** `OIDC` or `AAD`; omitted: the library decides from the authority's host. */
  protocolMode?: 'OIDC' | 'AAD';
  /** Scopes of the access token for the API (and of the "Get token" buttons). */
  scopes: string[];
  /** Extra scopes asked for at sign-in (besides openid, profile, offline_access). */
  loginScopes: string[];
  /** Base URL of the API; empty when there is none. */
  apiUrl: string;
  /** Extra authorization request parameters, e.g. Auth0's `audience`. */
  extraQueryParameters: Record<string, string>;
  /** Where the library keeps tokens. */
  cacheLocation: 'sessionStorage' | 'localStorage' | 'memory';
  /** Renew this many seconds before expiry. */
  tokenRenewalOffsetSeconds: number;
  /** Fixture users to show, or none. */
  testUsers: TestUser[];
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) {
    throw new Error(`config.json: ${field} must be an array of strings`);
  }
  return value as string[];
}

function requiredString(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`config.json: ${field} is required`);
  }
  return value;
}

/** Validates the parsed config.json. */
export function parseConfig(raw: unknown): DemoConfig {
  if (typeof raw !== 'object' || raw === null) throw new Error('config.json is not an object');
  const record = raw as Record<string, unknown>;
  const mode = record['protocolMode'];
  const cacheLocation = record['cacheLocation'] ?? 'sessionStorage';
  if (
    cacheLocation !== 'sessionStorage' &&
    cacheLocation !== 'localStorage' &&
    cacheLocation !== 'memory'
  ) {
    throw new Error('config.json: cacheLocation must be sessionStorage, localStorage or memory');
  }
  const extra = record['extraQueryParameters'] ?? {};
  if (
    typeof extra !== 'object' ||
    extra === null ||
    Object.values(extra).some((v) => typeof v !== 'string')
  ) {
    throw new Error('config.json: extraQueryParameters must map names to strings');
  }
  const users = record['testUsers'] ?? [];
  if (!Array.isArray(users)) throw new Error('config.json: testUsers must be an array');
  const offset = record['tokenRenewalOffsetSeconds'] ?? 300;
  if (typeof offset !== 'number' || offset < 0) {
    throw new Error('config.json: tokenRenewalOffsetSeconds must be a number ≥ 0');
  }
  return {
    providerName:
      typeof record['providerName'] === 'string' ? record['providerName'] : 'OIDC provider',
    authority: requiredString(record, 'authority'),
    clientId: requiredString(record, 'clientId'),
    ...(mode === 'OIDC' || mode === 'AAD' ? { protocolMode: mode } : {}),
    scopes: stringList(record['scopes'], 'scopes'),
    loginScopes: stringList(record['loginScopes'], 'loginScopes'),
    apiUrl: typeof record['apiUrl'] === 'string' ? record['apiUrl'].replace(/\/+$/, '') : '',
    extraQueryParameters: extra as Record<string, string>,
    cacheLocation,
    tokenRenewalOffsetSeconds: offset,
    testUsers: users.filter(
      (u): u is TestUser =>
        typeof u === 'object' &&
        u !== null &&
        typeof (u as TestUser).username === 'string' &&
        typeof (u as TestUser).password === 'string',
    ),
  };
}

/** Fetches and validates /config.json (never cached: the start script may change it). */
export async function loadConfig(): Promise<DemoConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`/config.json answered ${response.status}: start the demo with npm start`);
  }
  return parseConfig(await response.json());
}
