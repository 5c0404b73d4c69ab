#!/usr/bin/env node
// Runs the demo API standalone:
//   node examples/api/dist/cli.js [--port 4001] [--issuer http://127.0.0.1:4000]
//     [--audience api://demo] [--allow-origin http://127.0.0.1:5173]...
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startApi } from './server.js';
import type { ApiOptions, RunningApi } from './server.js';

/** Defaults of the CLI flags. */
export const CLI_DEFAULTS = {
  port: 4001,
  issuer: 'http://127.0.0.1:4000',
  audience: 'api://demo',
  allowOrigins: ['http://127.0.0.1:5173', 'http://localhost:5173'],
} as const;

const USAGE = `Usage: tessera-example-api [--port ${CLI_DEFAULTS.port}] [--issuer ${CLI_DEFAULTS.issuer}] [--audience ${CLI_DEFAULTS.audience}] [--allow-origin ORIGIN]...`;

/** A command-line mistake: reported as one stderr line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses CLI arguments (without `node` and the script) into {@link startApi} options.
 * `--allow-origin` may be repeated; given once or more, it replaces the default origins.
 * @throws {@link UsageError} for an unknown flag or a bad `--port`.
 */
export function parseCliArgs(argv: readonly string[]): ApiOptions & { port: number } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        issuer: { type: 'string' },
        audience: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
      },
    }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}. ${USAGE}`);
  }
  const portText = values.port ?? String(CLI_DEFAULTS.port);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got ${portText}`);
  }
  const issuer = values.issuer ?? CLI_DEFAULTS.issuer;
  if (!URL.canParse(issuer)) throw new UsageError(`--issuer must be a URL, got ${issuer}`);
  const allowedOrigins = values['allow-origin'] ?? [...CLI_DEFAULTS.allowOrigins];
  for (const origin of allowedOrigins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new UsageError(
        `--allow-origin must be a bare origin such as http://localhost:5173, got ${origin}`,
      );
    }
  }
  return { port, issuer, audience: values.audience ?? CLI_DEFAULTS.audience, allowedOrigins };
}

/** Where the CLI writes. */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/**
 * Runs the CLI: starts the API and returns it, or reports a problem on one stderr line and
 * returns exit code 2 (bad flags, a busy or forbidden port).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
): Promise<{ api: RunningApi } | { exitCode: number }> {
  let options;
  try {
    options = parseCliArgs(argv);
    const api = await startApi(options);
    io.stdout(
      `Tessera demo API at ${api.url} (issuer ${options.issuer}, audience ${options.audience}, ` +
        `CORS ${options.allowedOrigins.join(' ')})`,
    );
    return { api };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (options !== undefined && (code === 'EADDRINUSE' || code === 'EACCES')) {
      const why = code === 'EADDRINUSE' ? 'is already in use' : 'may not be used';
      io.stderr(`Port ${options.port} ${why}; choose another with --port.`);
      return { exitCode: 2 };
    }
    if (error instanceof UsageError) {
      io.stderr(error.message);
      return { exitCode: 2 };
    }
    throw error;
  }
}

function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const result = await runCli(process.argv.slice(2), {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  });
  if ('exitCode' in result) {
    process.exitCode = result.exitCode;
  } else {
    const stop = (): void => {
      void result.api.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}
