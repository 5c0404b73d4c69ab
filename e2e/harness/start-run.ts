// Runs the demo's `npm start` (or `node scripts/start.mjs`) as a child process group, and finds
// free loopback ports for it: shared by the tests that drive the demo end to end.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { REPO_ROOT } from './http.js';

const HOST = '127.0.0.1';

export interface StartRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /**
   * Resolves when the process has exited and every holder of its output pipes (npm's children
   * too) has closed them: the exit code, or the signal that ended it.
   */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** SIGINT to the whole process group (npm, sh, node), as Ctrl-C in a terminal does. */
  interrupt(): void;
  /** Kills what is left of the process group. */
  kill(): void;
}

/** The environment without TESSERA_* settings, so the dev IdP mode runs whatever the shell has. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TESSERA_')),
  );
}

/** Runs `npm start -- <args>` (or `node scripts/start.mjs <args>`) in its own process group. */
export function npmStart(
  args: readonly string[],
  command: 'npm' | 'node' = 'npm',
  env: NodeJS.ProcessEnv = {},
): StartRun {
  const argv = command === 'npm' ? ['start', '--', ...args] : ['scripts/start.mjs', ...args];
  const child = spawn(command, argv, {
    cwd: REPO_ROOT,
    env: { ...cleanEnv(), ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  child.on('exit', () => {
    for (const wake of waiters) wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms\n${out}\n${err}`));
        }, timeoutMs);
        const check = (): void => {
          const match = pattern.exec(out);
          if (match !== null) {
            clearTimeout(timer);
            resolve(match);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            reject(
              new Error(
                `npm start exited (${child.exitCode}) before ${String(pattern)}\n${out}\n${err}`,
              ),
            );
          }
        };
        waiters.push(check);
        check();
      });
    },
    interrupt: () => signalGroup('SIGINT'),
    kill: () => signalGroup('SIGKILL'),
  };
}

/** A port that is free now (bound and released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
