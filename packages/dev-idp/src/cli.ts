#!/usr/bin/env node
// tessera-dev-idp: runs the dev IdP from the command line. The package's bin
// (bin/tessera-dev-idp.js) imports this module and calls main(); `node dist/cli.js` runs it too.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_CLIENT, DEFAULT_RESOURCE, DEFAULT_TENANT, DEFAULT_TTL } from './config.js';
import { DevIdpConfigError } from './errors.js';
import { KEYCLOAK_ACCESS_TOKEN_TTL, PROFILES, PROFILE_HELP } from './profiles.js';
import { startDevIdp } from './server.js';
import { DEFAULT_USERS } from './users.js';
import type { DevIdp, DevIdpAuthority, DevIdpClient, DevIdpOptions, DevIdpUser } from './types.js';

const NAME = 'tessera-dev-idp';
const DEFAULT_PORT = 4000;

const HELP = `Usage: ${NAME} [flags]

A local OpenID Connect provider for developing and testing single-page applications, offline.

Flags:
  --port <n>               TCP port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --host <address>         listen address (default 127.0.0.1)
  --issuer <url>           issuer identifier (default http://<host>:<port>); "{port}" in it is
                           replaced by the port, e.g. --issuer http://localhost:{port}
  --client <spec>          register a public client (repeatable; replaces the default client):
                             id=<client_id>,redirect=<uri>[,redirect=<uri>...]
                             [,logout=<post-logout redirect uri>...][,refresh=false]
                           e.g. --client id=my-app,redirect=http://127.0.0.1:5173/
  --access-token-ttl <s>   access token lifetime in seconds (default ${DEFAULT_TTL.accessToken}, profile keycloak
                           ${KEYCLOAK_ACCESS_TOKEN_TTL}; as low as 2 works)
  --no-refresh-rotation    keep refresh tokens valid after use (default: each refresh returns a
                           new refresh token and the used one is rejected with invalid_grant)
  --auto-login <username>  automatic mode: no pages; <username> signs in and consents to every
                           requested scope (a login_hint naming another user wins)
  --coop                   send Cross-Origin-Opener-Policy: same-origin on the login and consent
                           pages and authorization responses
  --entra                  also serve Entra-shaped authorities: /<tenant>/v2.0/.well-known/...,
                           /<tenant>/oauth2/v2.0/{authorize,token,logout}, and /common
                           (default tenant ${DEFAULT_TENANT})
  --config <file.json>     read options from a JSON file shaped like DevIdpOptions (port, host,
                           issuer, clients, users, resources, ttl, rotateRefreshTokens, autoLogin,
                           coop, entra, profile, keycloak); flags given on the command line win
  --profile <name>         reproduce a provider's quirks: ${PROFILES.join(', ')}
                           (default plain; see Profiles below)
  -h, --help               show this help

Defaults:
  users     ${DEFAULT_USERS.map((user) => `${user.username} / ${user.password}`).join(', ')}
  client    ${DEFAULT_CLIENT.clientId}: redirect URIs ${DEFAULT_CLIENT.redirectUris.join(' and ')}
  resource  ${DEFAULT_RESOURCE.audience} with scopes ${DEFAULT_RESOURCE.scopes.join(', ')}

Profiles (--profile <name>; Entra domains and B2C policies and the Keycloak realm come from
--config, e.g. {"entra": {"b2cPolicies": ["B2C_1_signin"]}, "keycloak": {"realm": "demo"}}):
${PROFILES.map((profile) => `  ${profile.padEnd(9)} ${PROFILE_HELP[profile]}`).join('\n')}

Control endpoints (loopback only, JSON): GET /__dev/stats, POST /__dev/reset-stats,
POST /__dev/end-sessions, POST /__dev/auto-login {"username":"alice","consent":"all"} or false,
POST /__dev/coop {"on":true}.

Exit status: 0 after SIGINT/SIGTERM, 2 for bad flags, configuration or an unusable port.
`;

/** A bad command line; the message is the whole line after the program name. */
class UsageError extends Error {}

interface Parsed {
  options: DevIdpOptions;
  /** Top-level options set by flags. */
  fromFlags: Set<string>;
  /** Top-level options the --config file set. */
  fromConfig: Set<string>;
  configFile: string | undefined;
}

function parseWholeNumber(flag: string, value: string, example: string): number {
  if (!/^\d+$/.test(value)) {
    throw new UsageError(
      `${flag}: ${JSON.stringify(value)} is not a whole number; e.g. ${flag} ${example}`,
    );
  }
  return Number(value);
}

function parseClient(spec: string): DevIdpClient {
  const usage = 'use id=<client_id>,redirect=<uri>[,redirect=<uri>][,logout=<uri>][,refresh=false]';
  let clientId: string | undefined;
  const redirectUris: string[] = [];
  const postLogoutRedirectUris: string[] = [];
  let refreshTokens = true;
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    if (eq === -1 || value === '') {
      throw new UsageError(
        `--client ${JSON.stringify(spec)}: ${JSON.stringify(part)} is not key=value; ${usage}`,
      );
    }
    switch (key) {
      case 'id':
        clientId = value;
        break;
      case 'redirect':
        redirectUris.push(value);
        break;
      case 'logout':
        postLogoutRedirectUris.push(value);
        break;
      case 'refresh':
        if (value !== 'true' && value !== 'false') {
          throw new UsageError(
            `--client ${JSON.stringify(spec)}: refresh must be true or false; ${usage}`,
          );
        }
        refreshTokens = value === 'true';
        break;
      default:
        throw new UsageError(
          `--client ${JSON.stringify(spec)}: unknown key ${JSON.stringify(key)}; ${usage}`,
        );
    }
  }
  if (clientId === undefined || redirectUris.length === 0) {
    throw new UsageError(
      `--client ${JSON.stringify(spec)}: needs id= and at least one redirect=; ${usage}`,
    );
  }
  return { clientId, redirectUris, postLogoutRedirectUris, refreshTokens };
}

function readConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(
      `--config ${file}: cannot read the file (${code}); give the path of a JSON file`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'parse error';
    throw new UsageError(`--config ${file}: not valid JSON (${reason}); fix the file`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(
      `--config ${file}: must hold a JSON object of options; e.g. {"port": 4000}`,
    );
  }
  return value as Record<string, unknown>;
}

function parseCli(argv: string[]): Parsed | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        issuer: { type: 'string' },
        client: { type: 'string', multiple: true },
        'access-token-ttl': { type: 'string' },
        'no-refresh-rotation': { type: 'boolean' },
        'auto-login': { type: 'string' },
        coop: { type: 'boolean' },
        entra: { type: 'boolean' },
        profile: { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw usageFromParseArgs(error);
  }
  if (values.help === true) return 'help';

  const configFile = values.config;
  const options: Record<string, unknown> = configFile === undefined ? {} : readConfig(configFile);
  const fromConfig = new Set(Object.keys(options));
  const fromFlags = new Set<string>();
  const set = (key: string, value: unknown): void => {
    options[key] = value;
    fromFlags.add(key);
  };
  if (values.port !== undefined)
    set('port', parseWholeNumber('--port', values.port, String(DEFAULT_PORT)));
  else options.port ??= DEFAULT_PORT;
  if (values.host !== undefined) set('host', values.host);
  if (values.issuer !== undefined) set('issuer', values.issuer);
  if (values.client !== undefined) set('clients', values.client.map(parseClient));
  if (values['access-token-ttl'] !== undefined) {
    const seconds = parseWholeNumber('--access-token-ttl', values['access-token-ttl'], '300');
    const ttl = typeof options.ttl === 'object' && options.ttl !== null ? options.ttl : {};
    set('ttl', { ...ttl, accessToken: seconds });
  }
  if (values['no-refresh-rotation'] === true) set('rotateRefreshTokens', false);
  if (values['auto-login'] !== undefined) set('autoLogin', { username: values['auto-login'] });
  if (values.coop === true) set('coop', true);
  if (values.entra === true) set('entra', options.entra ?? true);
  if (values.profile !== undefined) set('profile', values.profile);
  return { options, fromFlags, fromConfig, configFile };
}

function usageFromParseArgs(error: unknown): UsageError {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown flag ${quoted}; run ${NAME} --help to list the flags`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = quoted.split(' ')[0] ?? quoted;
      return new UsageError(`${flag} needs a value; e.g. ${flag} <value> (see ${NAME} --help)`);
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(
        `unexpected argument ${JSON.stringify(quoted)}; flags start with -- (see ${NAME} --help)`,
      );
    default:
      return new UsageError(`${message.split('\n')[0] ?? message}; see ${NAME} --help`);
  }
}

const FLAG_FOR: Record<string, string> = {
  port: '--port',
  host: '--host',
  issuer: '--issuer',
  clients: '--client',
  ttl: '--access-token-ttl',
  rotateRefreshTokens: '--no-refresh-rotation',
  autoLogin: '--auto-login',
  coop: '--coop',
  entra: '--entra',
  profile: '--profile',
};

/** Names the flag (or config file entry) behind an option path. */
function whereFor(field: string, parsed: Parsed): string {
  const top = /^[A-Za-z]+/.exec(field)?.[0] ?? field;
  const flag = FLAG_FOR[top];
  if (parsed.configFile !== undefined && parsed.fromConfig.has(top) && !parsed.fromFlags.has(top)) {
    return `--config ${parsed.configFile}: ${field}`;
  }
  if (flag === undefined) return field;
  return field === top ? flag : `${flag} (${field})`;
}

/** The start-up lines naming the profile's authorities. */
function authorityLines(idp: DevIdp): string[] {
  const of = (...kinds: DevIdpAuthority['kind'][]): string =>
    idp.authorities
      .filter((entry) => kinds.includes(entry.kind))
      .map((entry) => entry.authority)
      .join(', ');
  const lines: string[] = [];
  if (idp.profile !== 'plain') lines.push(`  profile ${idp.profile}: authority ${idp.authority}`);
  if (idp.authorities.some((entry) => entry.kind === 'tenant')) {
    lines.push(`  entra authorities: ${of('tenant', 'common', 'organizations', 'consumers')}`);
  }
  const domains = idp.authorities.filter((entry) => entry.kind === 'domain');
  if (domains.length > 0) {
    const named = domains.map((entry) => `${entry.authority} (issuer ${entry.issuer})`);
    lines.push(`  entra named tenants: ${named.join(', ')}`);
  }
  if (idp.authorities.some((entry) => entry.kind === 'b2c')) {
    lines.push(`  b2c authorities: ${of('b2c')}`);
  }
  return lines;
}

function fail(line: string): void {
  process.stderr.write(`${NAME}: ${line}\n`);
  process.exitCode = 2;
}

function describeUsers(users: readonly DevIdpUser[]): string {
  return users.map((user) => `${user.username} / ${user.password}`).join(', ');
}

async function run(argv: string[]): Promise<void> {
  let parsed: Parsed | 'help';
  try {
    parsed = parseCli(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      fail(error.message);
      return;
    }
    throw error;
  }
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return;
  }

  const options: DevIdpOptions = {
    ...parsed.options,
    logger: (line) => process.stderr.write(`${line}\n`),
  };
  let idp;
  try {
    idp = await startDevIdp(options);
  } catch (error) {
    if (error instanceof DevIdpConfigError) {
      fail(`${whereFor(error.field, parsed)}: ${error.problem}; ${error.fix}`);
      return;
    }
    throw error;
  }

  const users = options.users ?? DEFAULT_USERS;
  const clients = options.clients ?? [DEFAULT_CLIENT];
  const lines = [
    `${NAME} listening on ${idp.issuer}`,
    `  users: ${describeUsers(users)}`,
    `  clients: ${clients.map((client) => `${client.clientId} (${client.redirectUris.join(', ')})`).join('; ')}`,
  ];
  lines.push(...authorityLines(idp));
  if (options.autoLogin !== undefined && options.autoLogin !== false) {
    lines.push(`  automatic mode: signs in ${options.autoLogin.username}`);
  }
  lines.push(`  control: ${idp.url}/__dev/stats (see --help)`);
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      process.exit(130);
    }
    stopping = true;
    idp.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * Runs the command line with `argv`, the arguments after the program name. Sets
 * process.exitCode on failure; with a running server it resolves once listening, and the
 * process then stays up until SIGINT/SIGTERM.
 */
export function main(argv: string[]): Promise<void> {
  return run(argv).catch((error: unknown) => {
    process.stderr.write(`${NAME}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}

/** True when this file is the script node was started with (not when it is imported). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    // Node loads the main module by its real path; argv[1] may be a symlink.
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  await main(process.argv.slice(2));
}
