/**
 * `tessera-doctor`: the command line of the configuration doctor (the bin is a thin wrapper in
 * `bin/tessera-doctor.mjs`). Argument parsing is pure, so it is tested without a process.
 */
import { isAuthError } from '../errors/auth-error.js';
import type { FetchLike } from '../ports.js';
import { formatDiagnosis, hasErrors } from './report.js';
import { runServerChecks, type ServerCheckOptions } from './server-checks.js';

export const USAGE = `Usage: tessera-doctor [flags]

Checks a single-page app's sign-in setup against its OpenID provider and says which setting is
wrong and how to fix it. Exit code 0: nothing to fix (warnings at most); 1: errors found;
2: bad flags.

Flags:
  --authority <url>        auth.authority: the provider's issuer URL (required)
  --client-id <id>         auth.clientId (required)
  --redirect-uri <url>     auth.redirectUri (required)
  --origin <origin>        the app's origin, for the CORS checks (default: the redirect URI's)
  --protocol-mode <mode>   OIDC or AAD (default: AAD for Microsoft hosts, else OIDC)
  -h, --help               show this help

Checks: discovery reachable; CORS for the origin on discovery and the token endpoint; issuer
identical to the authority (OIDC Discovery 4.3); code flow, PKCE S256, offline_access and the
refresh_token grant; the redirect URI registered (a prompt=none request, its answer read
without following it); the authorization endpoint's Cross-Origin-Opener-Policy (a note).
What only a browser sees (third-party cookies, the callback page in a frame) is checked by
diagnose(app) from @tessera/browser.

Example:
  npx tessera-doctor --authority https://login.example.com/realms/app \\
    --client-id my-spa --redirect-uri https://app.example.com/
`;

/** The parsed command line. */
export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'run'; options: ServerCheckOptions }
  | { kind: 'error'; message: string };

const FLAGS = {
  '--authority': 'authority',
  '--client-id': 'clientId',
  '--redirect-uri': 'redirectUri',
  '--origin': 'origin',
  '--protocol-mode': 'protocolMode',
} as const;

type FlagName = keyof typeof FLAGS;

/** Parses `argv` (without node and the script): `--flag value` or `--flag=value`. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const values: Partial<Record<(typeof FLAGS)[FlagName], string>> = {};
  const error = (message: string): ParsedArgs => ({
    kind: 'error',
    message: `${message} (see --help)`,
  });
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!Object.hasOwn(FLAGS, flag)) {
      return error(arg.startsWith('-') ? `unknown flag ${flag}` : `unexpected argument "${arg}"`);
    }
    const key = FLAGS[flag as FlagName];
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') return error(`${flag} needs a value`);
    if (values[key] !== undefined) return error(`${flag} is given twice`);
    values[key] = value;
  }
  for (const flag of ['--authority', '--client-id', '--redirect-uri'] as const) {
    if (values[FLAGS[flag]] === undefined) return error(`${flag} is required`);
  }
  const mode = values.protocolMode?.toUpperCase();
  if (mode !== undefined && mode !== 'OIDC' && mode !== 'AAD') {
    return error(`--protocol-mode must be OIDC or AAD, not "${values.protocolMode}"`);
  }
  if (values.origin !== undefined) {
    let origin: string | undefined;
    try {
      origin = new URL(values.origin).origin;
    } catch {
      // reported below
    }
    if (origin === undefined || origin === 'null' || origin !== values.origin.replace(/\/$/, '')) {
      return error(
        `--origin must be an origin like https://app.example.com, not "${values.origin}"`,
      );
    }
    values.origin = origin;
  }
  return {
    kind: 'run',
    options: {
      authority: values.authority!,
      clientId: values.clientId!,
      redirectUri: values.redirectUri!,
      origin: values.origin,
      protocolMode: mode,
    },
  };
}

/** Where the CLI writes, and the seams its tests use. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  fetch?: FetchLike | undefined;
}

/**
 * Runs the CLI: prints the report (one line per finding with its fix) and returns the exit code:
 * 0 nothing to fix or warnings only, 1 errors found, 2 bad flags or configuration.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.err(`tessera-doctor: ${parsed.message}\n`);
    return 2;
  }
  const { options } = parsed;
  try {
    const diagnosis = await runServerChecks({ ...options, fetch: io.fetch });
    const origin = options.origin ?? new URL(options.redirectUri).origin;
    io.out(
      `tessera-doctor: ${options.authority}, client ${options.clientId}, redirect URI ${options.redirectUri}, origin ${origin}\n`,
    );
    io.out(formatDiagnosis(diagnosis));
    return hasErrors(diagnosis) ? 1 : 0;
  } catch (error) {
    // A configuration the library itself refuses: its message names the setting and the fix.
    const message = isAuthError(error) ? error.errorMessage : String(error);
    io.err(`tessera-doctor: ${message.split('\n')[0]}\n`);
    return 2;
  }
}
