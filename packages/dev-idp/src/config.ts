// Options: defaults and validation. Everything is checked at run time too, because options also
// come from JSON files and the command line.
import { resolveEntra } from './entra-config.js';
import type { ResolvedEntra } from './entra-config.js';
import { withGraph } from './entra-scopes.js';
import { KEYCLOAK_ACCESS_TOKEN_TTL, resolveProfile, resolveRealm } from './profiles.js';
import { DEFAULT_USERS, resolveUser } from './users.js';
import type { ResolvedUser } from './users.js';
import { bool, checkKeys, describe, fail, isObject, list, seconds, text } from './validate.js';
import type { Obj } from './validate.js';
import type { DevIdpClient, DevIdpProfile, DevIdpResource, DevIdpUser } from './types.js';

export { DEFAULT_TENANT } from './entra-config.js';

/** The client registered unless `clients` is given. */
export const DEFAULT_CLIENT: Readonly<DevIdpClient> = {
  clientId: 'tessera-demo',
  redirectUris: ['http://127.0.0.1:5173/', 'http://localhost:5173/'],
  postLogoutRedirectUris: ['http://127.0.0.1:5173/', 'http://localhost:5173/'],
  refreshTokens: true,
};

/** The resource registered unless `resources` is given. */
export const DEFAULT_RESOURCE: Readonly<DevIdpResource> = {
  audience: 'api://demo',
  scopes: ['api://demo/read', 'api://demo/write'],
};

/** Default lifetimes in seconds (profile `keycloak`: access tokens 300). */
export const DEFAULT_TTL = {
  accessToken: 3600,
  idToken: 3600,
  refreshToken: 86400,
  session: 86400,
} as const;

/** Scopes the provider itself understands (not resource scopes). */
export const OIDC_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'offline_access'];

/** A client with every field resolved. */
export interface ResolvedClient {
  readonly clientId: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly refreshTokens: boolean;
}

/** Automatic mode, resolved. */
export interface ResolvedAutoLogin {
  readonly username: string;
  readonly consent: 'all' | readonly string[];
}

/** Options with defaults applied and every value checked. */
export interface ResolvedConfig {
  readonly profile: DevIdpProfile;
  readonly port: number;
  readonly host: string;
  /** The issuer as given (may contain `{port}`), or undefined for the default. */
  readonly issuer: string | undefined;
  readonly clients: readonly ResolvedClient[];
  readonly users: readonly ResolvedUser[];
  readonly resources: readonly DevIdpResource[];
  readonly ttl: { accessToken: number; idToken: number; refreshToken: number; session: number };
  readonly rotateRefreshTokens: boolean;
  readonly autoLogin: ResolvedAutoLogin | false;
  readonly coop: boolean;
  /** Entra-shaped authorities, or false when they are off. */
  readonly entra: ResolvedEntra | false;
  /** The Keycloak realm (used by profile `keycloak` only). */
  readonly realm: string;
  readonly logger: ((line: string) => void) | undefined;
}

/** An absolute http(s) URL without fragment, as redirect and logout URIs must be. */
function webUrl(value: unknown, field: string): string {
  const raw = text(value, field, 'http://127.0.0.1:5173/');
  const url = URL.parse(raw);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    fail(
      field,
      `${JSON.stringify(raw)} is not an absolute http(s) URL`,
      'e.g. http://127.0.0.1:5173/',
    );
  }
  if (raw.includes('#')) {
    fail(field, `${JSON.stringify(raw)} has a fragment`, 'remove the #... part');
  }
  return raw;
}

/** Checks a TCP port number. */
export function checkPort(value: unknown, field = 'port'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    fail(
      field,
      `must be a whole number from 0 to 65535, got ${describe(value)}`,
      'use 0 for any free port',
    );
  }
  return value;
}

/** Checks an issuer (with `{port}` standing for the bound port) and returns it normalised. */
export function normaliseIssuer(raw: string, port: number, field = 'issuer'): string {
  const value = raw.replaceAll('{port}', String(port));
  const url = URL.parse(value);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    fail(
      field,
      `${JSON.stringify(raw)} is not an absolute http(s) URL`,
      'e.g. http://localhost:{port}',
    );
  }
  if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) {
    fail(
      field,
      `${JSON.stringify(raw)} has a query or fragment`,
      'use scheme, host, port and path only',
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

function resolveClient(value: unknown, field: string): ResolvedClient {
  if (!isObject(value)) {
    fail(
      field,
      `must be an object, got ${describe(value)}`,
      'e.g. { "clientId": "app", "redirectUris": ["http://127.0.0.1:5173/"] }',
    );
  }
  checkKeys(value, field, ['clientId', 'redirectUris', 'postLogoutRedirectUris', 'refreshTokens']);
  const clientId = text(value.clientId, `${field}.clientId`, 'tessera-demo');
  const redirectUris = list(
    value.redirectUris,
    `${field}.redirectUris`,
    '["http://127.0.0.1:5173/"]',
  ).map((uri, i) => webUrl(uri, `${field}.redirectUris[${i}]`));
  if (redirectUris.length === 0) {
    fail(`${field}.redirectUris`, 'is empty', 'give at least one redirect URI');
  }
  const postLogoutRedirectUris =
    value.postLogoutRedirectUris === undefined
      ? []
      : list(
          value.postLogoutRedirectUris,
          `${field}.postLogoutRedirectUris`,
          '["http://127.0.0.1:5173/"]',
        ).map((uri, i) => webUrl(uri, `${field}.postLogoutRedirectUris[${i}]`));
  const refreshTokens =
    value.refreshTokens === undefined ? true : bool(value.refreshTokens, `${field}.refreshTokens`);
  return { clientId, redirectUris, postLogoutRedirectUris, refreshTokens };
}

function resolveUsers(value: unknown): ResolvedUser[] {
  const input =
    value === undefined ? DEFAULT_USERS : list(value, 'users', '[{ "username": "alice", ... }]');
  if (input.length === 0) fail('users', 'is empty', 'give at least one user');
  const users = input.map((entry, i): ResolvedUser => {
    const field = `users[${i}]`;
    if (!isObject(entry)) {
      fail(
        field,
        `must be an object, got ${describe(entry)}`,
        'give username, password, name and email',
      );
    }
    checkKeys(entry, field, ['username', 'password', 'sub', 'name', 'email']);
    const user: DevIdpUser = {
      username: text(entry.username, `${field}.username`, 'alice'),
      password: text(entry.password, `${field}.password`, 'alice-password'),
      name: text(entry.name, `${field}.name`, 'Alice Example'),
      email: text(entry.email, `${field}.email`, 'alice@example.test'),
    };
    if (entry.sub !== undefined) user.sub = text(entry.sub, `${field}.sub`, 'alice');
    return resolveUser(user);
  });
  const usernames = new Set<string>();
  const subs = new Set<string>();
  users.forEach((user, i) => {
    if (usernames.has(user.username)) {
      fail(
        `users[${i}].username`,
        `${JSON.stringify(user.username)} is used twice`,
        'give each user its own username',
      );
    }
    if (subs.has(user.sub)) {
      fail(
        `users[${i}].sub`,
        `${JSON.stringify(user.sub)} is used twice`,
        'give each user its own sub',
      );
    }
    usernames.add(user.username);
    subs.add(user.sub);
  });
  return users;
}

function resolveResources(value: unknown): DevIdpResource[] {
  if (value === undefined) {
    return [{ audience: DEFAULT_RESOURCE.audience, scopes: [...DEFAULT_RESOURCE.scopes] }];
  }
  const seen = new Set<string>(OIDC_SCOPES);
  const audiences = new Set<string>();
  return list(
    value,
    'resources',
    '[{ "audience": "api://demo", "scopes": ["api://demo/read"] }]',
  ).map((entry, i) => {
    const field = `resources[${i}]`;
    if (!isObject(entry)) {
      fail(field, `must be an object, got ${describe(entry)}`, 'give audience and scopes');
    }
    checkKeys(entry, field, ['audience', 'scopes']);
    const audience = text(entry.audience, `${field}.audience`, 'api://demo');
    const parsed = URL.parse(audience);
    if (parsed === null || audience.includes('#')) {
      fail(
        `${field}.audience`,
        `${JSON.stringify(audience)} is not an absolute URI without fragment`,
        'e.g. api://demo',
      );
    }
    if (parsed.href !== audience) {
      fail(
        `${field}.audience`,
        `${JSON.stringify(audience)} is not in normal form`,
        `write it as ${parsed.href}`,
      );
    }
    if (audiences.has(audience)) {
      fail(
        `${field}.audience`,
        `${JSON.stringify(audience)} is used twice`,
        'give each resource its own audience',
      );
    }
    audiences.add(audience);
    const scopes = list(entry.scopes, `${field}.scopes`, `["${audience}/read"]`).map((scope, j) => {
      const name = text(scope, `${field}.scopes[${j}]`, `${audience}/read`);
      if (/\s/.test(name)) {
        fail(
          `${field}.scopes[${j}]`,
          `${JSON.stringify(name)} contains white space`,
          'scopes are single tokens',
        );
      }
      if (seen.has(name)) {
        fail(
          `${field}.scopes[${j}]`,
          `${JSON.stringify(name)} is already taken`,
          'give each resource scope a unique name, e.g. prefixed with the audience',
        );
      }
      seen.add(name);
      return name;
    });
    if (scopes.length === 0) fail(`${field}.scopes`, 'is empty', 'give at least one scope');
    return { audience, scopes };
  });
}

/** Checks an automatic-mode setting against the users. */
export function resolveAutoLogin(
  value: unknown,
  users: readonly ResolvedUser[],
  field = 'autoLogin',
): ResolvedAutoLogin | false {
  if (value === undefined || value === false) return false;
  if (!isObject(value)) {
    fail(
      field,
      `must be false or an object, got ${describe(value)}`,
      'e.g. { "username": "alice" }',
    );
  }
  checkKeys(value, field, ['username', 'consent']);
  const username = text(value.username, `${field}.username`, 'alice');
  if (!users.some((user) => user.username === username)) {
    fail(
      `${field}.username`,
      `${JSON.stringify(username)} is not a configured user`,
      `use one of ${users.map((user) => user.username).join(', ')}`,
    );
  }
  let consent: ResolvedAutoLogin['consent'] = 'all';
  if (value.consent !== undefined && value.consent !== 'all') {
    consent = list(value.consent, `${field}.consent`, '"all" or ["api://demo/read"]').map(
      (scope, i) => text(scope, `${field}.consent[${i}]`, 'api://demo/read'),
    );
  }
  return { username, consent };
}

const OPTION_KEYS = [
  'port',
  'host',
  'issuer',
  'clients',
  'users',
  'resources',
  'ttl',
  'rotateRefreshTokens',
  'autoLogin',
  'coop',
  'entra',
  'logger',
  'profile',
  'keycloak',
] as const;

/** Applies defaults to `input` (a `DevIdpOptions`, or anything parsed from JSON) and checks it. */
export function resolveOptions(input: unknown): ResolvedConfig {
  const options: Obj =
    input === undefined
      ? {}
      : isObject(input)
        ? input
        : fail('options', `must be an object, got ${describe(input)}`, 'pass an options object');
  checkKeys(options, '', OPTION_KEYS);
  const profile = resolveProfile(options.profile);

  const port = options.port === undefined ? 0 : checkPort(options.port);
  const host = options.host === undefined ? '127.0.0.1' : text(options.host, 'host', '127.0.0.1');
  let issuer: string | undefined;
  if (options.issuer !== undefined) {
    issuer = text(options.issuer, 'issuer', 'http://localhost:{port}');
    normaliseIssuer(issuer, port === 0 ? 1 : port);
  }

  const clients =
    options.clients === undefined
      ? [resolveClient({ ...DEFAULT_CLIENT }, 'clients[0]')]
      : list(options.clients, 'clients', '[{ "clientId": "app", "redirectUris": [...] }]').map(
          (client, i) => resolveClient(client, `clients[${i}]`),
        );
  if (clients.length === 0) fail('clients', 'is empty', 'register at least one client');
  const clientIds = new Set<string>();
  clients.forEach((client, i) => {
    if (clientIds.has(client.clientId)) {
      fail(
        `clients[${i}].clientId`,
        `${JSON.stringify(client.clientId)} is used twice`,
        'give each client its own id',
      );
    }
    clientIds.add(client.clientId);
  });

  const users = resolveUsers(options.users);
  const configured = resolveResources(options.resources);
  const resources = profile === 'entra' ? withGraph(configured, OIDC_SCOPES) : configured;

  const ttl: ResolvedConfig['ttl'] = {
    ...DEFAULT_TTL,
    ...(profile === 'keycloak' && { accessToken: KEYCLOAK_ACCESS_TOKEN_TTL }),
  };
  if (options.ttl !== undefined) {
    if (!isObject(options.ttl)) {
      fail('ttl', `must be an object, got ${describe(options.ttl)}`, 'e.g. { "accessToken": 60 }');
    }
    checkKeys(options.ttl, 'ttl', ['accessToken', 'idToken', 'refreshToken', 'session']);
    for (const key of ['accessToken', 'idToken', 'refreshToken', 'session'] as const) {
      const value = options.ttl[key];
      if (value !== undefined) ttl[key] = seconds(value, `ttl.${key}`);
    }
  }

  const rotateRefreshTokens =
    options.rotateRefreshTokens === undefined
      ? true
      : bool(options.rotateRefreshTokens, 'rotateRefreshTokens');
  const autoLogin = resolveAutoLogin(options.autoLogin, users);
  const coop = options.coop === undefined ? false : bool(options.coop, 'coop');
  const entra = resolveEntra(options.entra, profile);
  const realm = resolveRealm(options.keycloak, profile);

  let logger: ((line: string) => void) | undefined;
  if (options.logger !== undefined) {
    if (typeof options.logger !== 'function') {
      fail(
        'logger',
        `must be a function, got ${describe(options.logger)}`,
        'pass (line) => { ... }',
      );
    }
    logger = options.logger as (line: string) => void;
  }

  return {
    profile,
    port,
    host,
    issuer,
    clients,
    users,
    resources,
    ttl,
    rotateRefreshTokens,
    autoLogin,
    coop,
    entra,
    realm,
    logger,
  };
}
