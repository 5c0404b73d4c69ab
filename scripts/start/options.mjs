// Command line, environment and config file of `npm start` (scripts/start.mjs). Precedence:
// flags > TESSERA_* environment variables > --config file > defaults.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const DEFAULTS = Object.freeze({
  idpPort: 4000,
  apiPort: 4001,
  appPort: 5173,
  host: '127.0.0.1',
  tokenTtl: 120,
  renewalOffset: 30,
});

/** The dev IdP's client, users and API resource in local mode. */
export const DEV_CLIENT_ID = 'tessera-demo';
export const DEV_AUDIENCE = 'api://demo';
export const DEV_SCOPES = ['api://demo/read', 'api://demo/write'];
export const DEV_USERS = [
  {
    username: 'alice',
    password: 'alice-password',
    name: 'Alice Example',
    email: 'alice@example.test',
  },
  { username: 'bob', password: 'bob-password', name: 'Bob Example', email: 'bob@example.test' },
];

export const HELP = `Usage: npm start [-- flags]

Starts the Tessera demo on loopback: the dev IdP (a local OpenID provider), the protected demo
API and the demo SPA, then prints the URL to open. Ctrl-C stops everything.

Flags (environment variable in brackets):
  --idp-port <n>      dev IdP port (default ${DEFAULTS.idpPort}) [TESSERA_IDP_PORT]
  --api-port <n>      demo API port (default ${DEFAULTS.apiPort}) [TESSERA_API_PORT]
  --app-port <n>      SPA port (default ${DEFAULTS.appPort}) [TESSERA_APP_PORT]
                      0 picks a free port for any of the three
  --host <address>    loopback address to listen on and to put in URLs: 127.0.0.1 (default),
                      localhost or ::1 [TESSERA_HOST]
  --token-ttl <s>     dev IdP access-token lifetime in seconds (default ${DEFAULTS.tokenTtl}) [TESSERA_TOKEN_TTL]
  --config <file>     JSON file with any of the settings below (and the ports/host) [TESSERA_CONFIG]
  --local-api         with a real provider: also start the demo API for it [TESSERA_LOCAL_API=1]
  --react             serve the React demo (examples/react) instead of examples/spa
  --rebuild           build the SPA even when its dist/ is up to date
  -h, --help          show this help

Another OpenID provider instead of the dev IdP (environment, or keys of the --config file):
  TESSERA_AUTHORITY        authority             issuer URL, e.g. https://example.eu.auth0.com/
  TESSERA_CLIENT_ID        clientId              the SPA's client id (required with an authority)
  TESSERA_SCOPES           scopes                API scopes, space separated
  TESSERA_LOGIN_SCOPES     loginScopes           extra sign-in scopes (default "openid profile email")
  TESSERA_API_URL          apiUrl                API base URL: the demo calls GET /profile, POST /notes
  TESSERA_API_AUDIENCE     localApi.audience     audience the --local-api expects (required with it)
  TESSERA_API_ISSUER       localApi.issuer       issuer the --local-api trusts (default the authority)
  TESSERA_PROTOCOL_MODE    protocolMode          OIDC or AAD (default: from the authority's host)
  TESSERA_EXTRA_QUERY      extraQueryParameters  extra authorize parameters, e.g. audience=https://api
  TESSERA_CACHE_LOCATION   cacheLocation         sessionStorage (default), localStorage or memory
  TESSERA_RENEWAL_OFFSET   tokenRenewalOffsetSeconds  renew this long before expiry (default ${DEFAULTS.renewalOffset})
  TESSERA_PROVIDER_NAME    providerName          label shown in the page header
With an authority the dev IdP is not started. Register http://<host>:<app-port>/ at the provider
as a single-page-application redirect URI. Provider notes: docs/providers.md.

Exit status: 0 after Ctrl-C or SIGTERM, 2 for bad flags or settings or a busy port.
`;

/** A problem with the command line or settings: one line, exit status 2. */
export class UsageError extends Error {}

function port(value, flag, envName) {
  if (value === undefined || value === '') return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    throw new UsageError(
      `${flag} must be a port number from 0 to 65535 (or ${envName}); got "${text}"`,
    );
  }
  return Number(text);
}

function seconds(value, flag) {
  if (value === undefined || value === '') return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text))
    throw new UsageError(`${flag} must be a whole number of seconds; got "${text}"`);
  return Number(text);
}

function words(value) {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(String);
  return String(value)
    .split(/[\s,]+/)
    .filter((s) => s !== '');
}

function truthy(value) {
  return value === true || (typeof value === 'string' && /^(1|true|yes|on)$/i.test(value));
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|::1|\[::1\])$/;

function readConfigFile(path) {
  if (path === undefined || path === '') return {};
  let text;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    throw new UsageError(`--config ${path}: cannot read it (${error.code ?? error.message})`);
  }
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error('not an object');
    return value;
  } catch (error) {
    throw new UsageError(`--config ${path}: not a JSON object (${error.message})`);
  }
}

function extraQuery(value) {
  if (value === undefined || value === '') return {};
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') throw new UsageError(`extraQueryParameters.${k} must be a string`);
    }
    return { ...value };
  }
  return Object.fromEntries(new URLSearchParams(String(value)));
}

/**
 * Parses flags, environment and config file into the settings of one run.
 * @throws UsageError for anything wrong, with a one-line message.
 */
export function parseOptions(argv, env) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'idp-port': { type: 'string' },
        'api-port': { type: 'string' },
        'app-port': { type: 'string' },
        host: { type: 'string' },
        'token-ttl': { type: 'string' },
        config: { type: 'string' },
        'local-api': { type: 'boolean' },
        react: { type: 'boolean' },
        rebuild: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${error.message.replace(/\.$/, '')}; run npm start -- --help`);
  }
  const flags = parsed.values;
  if (flags.help) return { help: true };

  const configPath = flags.config ?? env.TESSERA_CONFIG;
  const file = readConfigFile(configPath);
  const pick = (flag, envName, key) =>
    flag ??
    (env[envName] === '' ? undefined : env[envName]) ??
    (key === undefined ? undefined : file[key]);

  const host = String(pick(flags.host, 'TESSERA_HOST', 'host') ?? DEFAULTS.host);
  if (!LOOPBACK.test(host)) {
    throw new UsageError(
      `--host must be a loopback address (127.0.0.1, localhost or ::1): the demo serves plain http; got "${host}"`,
    );
  }

  const authority = pick(undefined, 'TESSERA_AUTHORITY', 'authority');
  const external = authority !== undefined && authority !== '';
  const fileApi = typeof file.localApi === 'object' && file.localApi !== null ? file.localApi : {};
  const localApi = external
    ? truthy(flags['local-api'] ?? env.TESSERA_LOCAL_API ?? (file.localApi ? true : undefined))
    : true;

  const settings = {
    help: false,
    rebuild: flags.rebuild === true,
    react: flags.react === true,
    host: host === '[::1]' ? '::1' : host,
    idpPort:
      port(
        pick(flags['idp-port'], 'TESSERA_IDP_PORT', 'idpPort'),
        '--idp-port',
        'TESSERA_IDP_PORT',
      ) ?? DEFAULTS.idpPort,
    apiPort:
      port(
        pick(flags['api-port'], 'TESSERA_API_PORT', 'apiPort'),
        '--api-port',
        'TESSERA_API_PORT',
      ) ?? DEFAULTS.apiPort,
    appPort:
      port(
        pick(flags['app-port'], 'TESSERA_APP_PORT', 'appPort'),
        '--app-port',
        'TESSERA_APP_PORT',
      ) ?? DEFAULTS.appPort,
    tokenTtl:
      seconds(pick(flags['token-ttl'], 'TESSERA_TOKEN_TTL', 'tokenTtl'), '--token-ttl') ??
      DEFAULTS.tokenTtl,
    external,
    localApi,
    provider: {
      providerName:
        pick(undefined, 'TESSERA_PROVIDER_NAME', 'providerName') ??
        (external ? 'OpenID provider' : 'Tessera dev IdP'),
      authority: external ? String(authority) : undefined,
      clientId:
        pick(undefined, 'TESSERA_CLIENT_ID', 'clientId') ?? (external ? undefined : DEV_CLIENT_ID),
      protocolMode: pick(undefined, 'TESSERA_PROTOCOL_MODE', 'protocolMode'),
      scopes: words(pick(undefined, 'TESSERA_SCOPES', 'scopes')) ?? (external ? [] : DEV_SCOPES),
      loginScopes: words(pick(undefined, 'TESSERA_LOGIN_SCOPES', 'loginScopes')) ?? [
        'openid',
        'profile',
        'email',
      ],
      apiUrl: pick(undefined, 'TESSERA_API_URL', 'apiUrl'),
      extraQueryParameters: extraQuery(
        pick(undefined, 'TESSERA_EXTRA_QUERY', 'extraQueryParameters'),
      ),
      cacheLocation: pick(undefined, 'TESSERA_CACHE_LOCATION', 'cacheLocation') ?? 'sessionStorage',
      tokenRenewalOffsetSeconds:
        seconds(
          pick(undefined, 'TESSERA_RENEWAL_OFFSET', 'tokenRenewalOffsetSeconds'),
          'TESSERA_RENEWAL_OFFSET',
        ) ?? DEFAULTS.renewalOffset,
    },
    apiAudience:
      pick(undefined, 'TESSERA_API_AUDIENCE', undefined) ??
      fileApi.audience ??
      (external ? undefined : DEV_AUDIENCE),
    apiIssuer: pick(undefined, 'TESSERA_API_ISSUER', undefined) ?? fileApi.issuer,
  };

  const p = settings.provider;
  if (external) {
    if (p.clientId === undefined || p.clientId === '') {
      throw new UsageError(
        'TESSERA_CLIENT_ID (or clientId in the --config file) is required with TESSERA_AUTHORITY',
      );
    }
    if (!URL.canParse(p.authority))
      throw new UsageError(`TESSERA_AUTHORITY "${p.authority}" is not a URL`);
    if (localApi && (settings.apiAudience === undefined || settings.apiAudience === '')) {
      throw new UsageError(
        '--local-api needs TESSERA_API_AUDIENCE (or localApi.audience in the --config file)',
      );
    }
  }
  if (p.protocolMode !== undefined && p.protocolMode !== 'OIDC' && p.protocolMode !== 'AAD') {
    throw new UsageError(`TESSERA_PROTOCOL_MODE must be OIDC or AAD; got "${p.protocolMode}"`);
  }
  if (!['sessionStorage', 'localStorage', 'memory'].includes(p.cacheLocation)) {
    throw new UsageError(
      `TESSERA_CACHE_LOCATION must be sessionStorage, localStorage or memory; got "${p.cacheLocation}"`,
    );
  }
  if (p.apiUrl !== undefined && !URL.canParse(p.apiUrl)) {
    throw new UsageError(`TESSERA_API_URL "${p.apiUrl}" is not a URL`);
  }
  if (!external && settings.tokenTtl < 2)
    throw new UsageError('--token-ttl must be at least 2 seconds');

  // Two services on one fixed port can never work: say so before anything starts.
  const used = [['--app-port', settings.appPort]];
  if (!external) used.push(['--idp-port', settings.idpPort]);
  if (localApi) used.push(['--api-port', settings.apiPort]);
  for (const [i, [flag, value]] of used.entries()) {
    const clash = used.find(([, other], j) => j < i && other === value && value !== 0);
    if (clash !== undefined)
      throw new UsageError(`${flag} ${value} is also ${clash[0]}: choose different ports`);
  }
  return settings;
}
