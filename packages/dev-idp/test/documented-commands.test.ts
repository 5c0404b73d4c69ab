// Every shell command the READMEs show either runs here, from the repository root the way a
// reader would type it, or sits in SKIP with the reason. A README command in neither list fails,
// so the lists cannot fall behind the READMEs.
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const binScript = join(packageDir, 'bin', 'tessera-dev-idp.js');

/** Commands run to completion; each must exit 0 within COMMAND_TIME_LIMIT_MS and print `output`. */
const RUN: Record<string, { output: RegExp }> = {
  'npx tessera-dev-idp --help': { output: /^Usage: tessera-dev-idp \[flags\]$/m },
  'npm run bench -- --help': { output: /^Usage: npm run bench -- \[options\]$/m },
};

/** Commands not run here, and why. npm scripts among them are still checked to exist. */
const SKIP: Record<string, string> = {
  'npm start': 'long-running: serves the demo on fixed loopback ports until Ctrl-C',
  'TESSERA_AUTHORITY=... TESSERA_CLIENT_ID=... npm start':
    'long-running, and needs a real provider with a registered app',
  'npm test': 'runs every test, this file included, plus the build and e2e in Chromium: minutes',
  'npm ci': 'replaces node_modules under the running tests and needs the registry',
  'apt-get install -y chromium': 'needs root and the network, and changes the machine',
  'npm run bench': 'long-running: bundles the peer libraries and times them in Chromium',
  'npm run build':
    'builds every package, Angular with ng-packagr, beyond the time limit; npm test runs it',
  'npm run build -w @tessera/angular':
    'ng-packagr build, beyond the time limit; npm run build runs it',
  'npm run lint': 'type-aware ESLint over the whole workspace, beyond the time limit',
  'npm run format': 'rewrites files in the working tree',
  'npm run docs:api':
    'writes docs/api/ in the working tree; npm test runs the same TypeDoc build without output (docs:check)',
  'npm run test:unit': 'runs this file again (recursion) and every unit test',
  'npm run test:e2e': 'drives real Chromium against the dev IdP: minutes',
  'npm run build && npm start -- --react':
    'builds every package, then serves the React demo until Ctrl-C; e2e/react-demo.e2e.ts runs it',
  'npm start -- --help':
    'npm start builds the packages (tsc -b) before the help: beyond the time limit',
  'npx tessera-dev-idp --auto-login alice':
    'long-running: serves on port 4000 until Ctrl-C; cli.test.ts starts the CLI with --auto-login',
  'npx tessera-doctor --authority https://login.example.com/realms/app --client-id your_app_id --redirect-uri https://app.example.com/':
    'needs a real provider with a registered app; packages/browser/test/diagnose/cli-idp.test.ts runs the CLI against the dev IdP',
  'npx tessera-dev-idp --profile entra --config idp.json':
    "long-running, and needs the reader's idp.json; cli.test.ts starts the CLI with --profile entra",
};

const COMMAND_TIME_LIMIT_MS = 20_000;
const SHELL_FENCES = new Set(['sh', 'bash', 'shell', 'zsh', 'console']);
// An inline code span is a command when its first word (after VAR=value settings) is one of
// these and it has arguments, so `npm` alone or `node:crypto` are not taken for commands.
const PROGRAMS = new Set(['npx', 'npm', 'node', 'apt-get', 'git', 'curl', 'yarn', 'pnpm']);

interface Shown {
  command: string;
  /** file:line of each place it is shown. */
  where: string[];
}

function readmes(): string[] {
  const files = [join(repoRoot, 'README.md')];
  for (const group of ['packages', 'examples']) {
    const dir = join(repoRoot, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name, 'README.md');
      if (existsSync(file)) files.push(file);
    }
  }
  return files;
}

function isInlineCommand(text: string): boolean {
  const words = text.split(' ');
  let first = 0;
  while (first < words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[first] ?? '')) first++;
  return PROGRAMS.has(words[first] ?? '') && words.length > first + 1;
}

/** Commands in shell fences, and inline code spans that are commands, with where they appear. */
function shownCommands(): Shown[] {
  const found = new Map<string, string[]>();
  const add = (command: string, where: string): void => {
    found.set(command, [...(found.get(command) ?? []), where]);
  };
  for (const file of readmes()) {
    const name = relative(repoRoot, file);
    const lines = readFileSync(file, 'utf8').split('\n');
    // Prose with fenced blocks blanked, so inline spans keep their line numbers.
    const prose: string[] = [];
    let fence: { marker: string; shell: boolean } | undefined;
    let pending = '';
    lines.forEach((line, index) => {
      const opening = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
      if (fence === undefined && opening !== null) {
        fence = { marker: opening[1] ?? '```', shell: SHELL_FENCES.has(opening[2] ?? '') };
        prose.push('');
        return;
      }
      if (fence !== undefined) {
        prose.push('');
        if (line.trim().startsWith(fence.marker)) {
          fence = undefined;
          return;
        }
        if (!fence.shell) return;
        // `$ ` prompts and trailing `# comments` are not part of the command.
        let text = line
          .trim()
          .replace(/^\$\s+/, '')
          .replace(/(^|\s)#.*$/, '')
          .trim();
        if (text.endsWith('\\')) {
          pending += `${text.slice(0, -1).trim()} `;
          return;
        }
        text = `${pending}${text}`.trim();
        pending = '';
        if (text !== '') add(text, `${name}:${index + 1}`);
        return;
      }
      prose.push(line);
    });
    const text = prose.join('\n');
    for (const match of text.matchAll(/`([^`]+)`/g)) {
      const span = (match[1] ?? '').replace(/\s+/g, ' ').trim();
      if (!isInlineCommand(span)) continue;
      const line = text.slice(0, match.index).split('\n').length;
      add(span, `${name}:${line}`);
    }
  }
  return [...found].map(([command, where]) => ({ command, where }));
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command line in sh from the repository root; kills its process group at the limit. */
function runCommand(command: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Offline and never install: a command that does not resolve locally fails at once
      // instead of fetching something from the registry.
      env: {
        ...process.env,
        npm_config_offline: 'true',
        npm_config_yes: 'false',
        npm_config_update_notifier: 'false',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${command} did not exit within ${COMMAND_TIME_LIMIT_MS} ms`));
    }, COMMAND_TIME_LIMIT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The package.json an `npm ... -w <name>` command uses: the named workspace's, or the root's. */
function packageJsonFor(workspace: string | undefined): string {
  if (workspace === undefined) return join(repoRoot, 'package.json');
  for (const group of ['packages', 'examples']) {
    for (const name of readdirSync(join(repoRoot, group))) {
      const file = join(repoRoot, group, name, 'package.json');
      if (existsSync(file) && readJson(file).name === workspace) return file;
    }
  }
  throw new Error(`no workspace is named ${workspace}`);
}

/** For `npm start|test|run <script> [-w <workspace>]` (after VAR=value settings): the script. */
function npmScript(command: string): { script: string; workspace: string | undefined } | null {
  const words = command.split(' ').filter((word) => !/^[A-Z_][A-Z0-9_]*=/.test(word));
  if (words[0] !== 'npm') return null;
  const workspaceFlag = words.findIndex((word) => word === '-w' || word === '--workspace');
  const workspace = workspaceFlag === -1 ? undefined : words[workspaceFlag + 1];
  if (words[1] === 'start' || words[1] === 'test') return { script: words[1], workspace };
  if (words[1] === 'run' && words[2] !== undefined) return { script: words[2], workspace };
  return null;
}

const shown = shownCommands();

beforeAll(() => {
  // The run list needs the built CLI, as after `npm run build`; tsc -b skips it when up to date.
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-b', 'packages/dev-idp'], { cwd: repoRoot, stdio: 'pipe' });
}, 120_000);

describe('commands the READMEs show', () => {
  it('finds the shell fences and inline commands (the dev IdP command among them)', () => {
    const commands = shown.map((entry) => entry.command);
    expect(commands).toContain('npx tessera-dev-idp --help');
    expect(commands).toContain('npm start');
  });

  it('lists in RUN or SKIP only commands a README still shows', () => {
    const commands = new Set(shown.map((entry) => entry.command));
    const stale = [...Object.keys(RUN), ...Object.keys(SKIP)].filter((c) => !commands.has(c));
    expect(stale, 'no README shows these any more; remove them from RUN/SKIP').toEqual([]);
  });

  for (const { command, where } of shown) {
    const title = `${command}  (${where.join(', ')})`;
    const run = RUN[command];
    const reason = SKIP[command];
    if (run !== undefined) {
      it(
        `runs: ${title}`,
        async () => {
          const result = await runCommand(command);
          const report = `exit ${String(result.code)}\n${result.stdout}${result.stderr}`;
          expect(result.code, report).toBe(0);
          expect(result.stdout, report).toMatch(run.output);
        },
        COMMAND_TIME_LIMIT_MS + 5_000,
      );
    } else if (reason !== undefined) {
      const npm = npmScript(command);
      if (npm === null) {
        it.skip(`not run: ${title}: ${reason}`, () => {});
        continue;
      }
      // Not run, but a renamed or removed script would make the README wrong: check it exists.
      it(`script exists, not run: ${title}: ${reason}`, () => {
        const file = packageJsonFor(npm.workspace);
        const scripts = (readJson(file).scripts ?? {}) as Record<string, string>;
        const body = scripts[npm.script];
        expect(body, `${relative(repoRoot, file)} has no "${npm.script}" script`).toBeTypeOf(
          'string',
        );
        for (const match of (body ?? '').matchAll(/\bnode (\S+\.[cm]?js)\b/g)) {
          expect(
            existsSync(join(repoRoot, match[1] ?? '')),
            `${body ?? ''}: no ${match[1] ?? ''}`,
          ).toBe(true);
        }
      });
    } else {
      it(`is listed: ${title}`, () => {
        expect.fail(
          `${where.join(', ')} shows \`${command}\`, which is in neither RUN nor SKIP of ` +
            'packages/dev-idp/test/documented-commands.test.ts: run it there or skip it with a reason',
        );
      });
    }
  }
});

describe('the tessera-dev-idp bin on a fresh clone', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'dev-idp-bin-'));
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('is the committed bin script, which npm ci links before anything is built', () => {
    const manifest = readJson(join(packageDir, 'package.json'));
    expect(manifest.bin).toEqual({ 'tessera-dev-idp': './bin/tessera-dev-idp.js' });
    expect(manifest.files).toContain('bin');
    const link = join(repoRoot, 'node_modules', '.bin', 'tessera-dev-idp');
    expect(realpathSync(link)).toBe(realpathSync(binScript));
  });

  it('prints one line naming `npm run build` and exits 1 when dist/ is not built', async () => {
    // A copy with no dist/ beside it: the state of a fresh clone right after npm ci.
    mkdirSync(join(scratch, 'bin'));
    const copy = join(scratch, 'bin', 'tessera-dev-idp.js');
    copyFileSync(binScript, copy);
    const result = await runCommand(`"${process.execPath}" "${copy}" --help`);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^tessera-dev-idp: not built yet .*; run `npm run build` first$/m,
    );
  });
});
