// The published packages as an app outside this repository gets them: `npm pack` tarballs of the
// built packages (not the workspace links), installed with npm into a new Vite + TypeScript app
// (vanilla, the callback page, React) and a new Angular CLI app (standalone, `provideMsal` and the
// functional interceptor), then type-checked under `strict` without `skipLibCheck` and built with
// the real tools. The two apps are set up and built in parallel in os.tmpdir(), removed after.
// Dependency versions are the ones in the repository's package-lock.json, so the npm cache of
// `npm ci` serves them (`--prefer-offline`); nothing is cached inside the repository.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  realpath,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Set TESSERA_KEEP_FRESH_APPS=1 to keep the apps in os.tmpdir() for a look after a failure. */
const keep = process.env['TESSERA_KEEP_FRESH_APPS'] === '1';

// --- processes -------------------------------------------------------------------------------

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

// The child processes get the environment of a terminal, not of `npm test` inside Vitest:
// npm's variables of the running script (its package, prefix, workspace) and Vitest's
// NODE_ENV=test (with which Vite would bundle React's development build) are left out.
const childEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) =>
      !/^(npm_package_|npm_lifecycle_|VITEST)/i.test(key) &&
      !/^(npm_config_(local_prefix|prefix|global_prefix|workspaces?|include_workspace_root)|npm_command|INIT_CWD|NODE_ENV|TEST|FORCE_COLOR)$/i.test(
        key,
      ),
  ),
);
childEnv['NO_COLOR'] = '1';
childEnv['NG_CLI_ANALYTICS'] = 'false';

function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) }),
    );
  });
}

/** What to show when a command failed: the command and the end of its output. */
function failure(what: string, result: Run): string {
  const output = `${result.stdout}\n${result.stderr}`.trim();
  return `${what} exited with ${String(result.code)}:\n${output.slice(-6000)}`;
}

/** Runs an installed tool's bin script with this Node, so nothing is fetched on the way. */
function tool(app: string, bin: string, args: readonly string[]): Promise<Run> {
  return run(process.execPath, [join(app, 'node_modules', bin), ...args], app);
}

function npmInstall(app: string): Promise<Run> {
  return run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], app);
}

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

// --- versions: the repository's lockfile, as Node resolves a name from a workspace ------------

const lockfile = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string } | undefined>;
};

/** The locked version of `name` as seen from `workspace` (its own node_modules, then the root). */
function locked(name: string, workspace: string): string {
  const version =
    lockfile.packages[`${workspace}/node_modules/${name}`]?.version ??
    lockfile.packages[`node_modules/${name}`]?.version;
  if (version === undefined) {
    throw new Error(`${name} is not in package-lock.json (looked from ${workspace})`);
  }
  return version;
}

const viteVersions = {
  typescript: locked('typescript', 'examples/spa'),
  vite: locked('vite', 'examples/spa'),
  react: locked('react', 'examples/react'),
  'react-dom': locked('react-dom', 'examples/react'),
  '@types/react': locked('@types/react', 'packages/react'),
  '@types/react-dom': locked('@types/react-dom', 'packages/react'),
};

const angularVersions = {
  '@angular/build': locked('@angular/build', 'packages/angular'),
  '@angular/cli': locked('@angular/cli', 'examples/angular'),
  '@angular/common': locked('@angular/common', 'packages/angular'),
  '@angular/compiler': locked('@angular/compiler', 'packages/angular'),
  '@angular/compiler-cli': locked('@angular/compiler-cli', 'packages/angular'),
  '@angular/core': locked('@angular/core', 'packages/angular'),
  '@angular/platform-browser': locked('@angular/platform-browser', 'packages/angular'),
  '@angular/router': locked('@angular/router', 'packages/angular'),
  rxjs: locked('rxjs', 'packages/angular'),
  tslib: locked('tslib', 'packages/angular'),
  typescript: locked('typescript', 'packages/angular'),
};

/**
 * webpack 5 and plain Rollup (no plugin but node resolution: no `process.env` replacement, no
 * CommonJS). Rollup is the version Vite uses here; webpack and the resolver are not in the
 * repository, so they are pinned here and come from the registry on the first run.
 */
const bundlerVersions = {
  rollup: locked('rollup', 'examples/spa'),
  '@rollup/plugin-node-resolve': '16.0.3',
  webpack: '5.113.0',
};

// --- the packages under test -----------------------------------------------------------------

interface Packed {
  name: string;
  version: string;
  /** The tarball, relative to the temporary root (`tarballs/<file>.tgz`). */
  tarball: string;
  /** A built file whose installed copy must be byte-identical to the repository's. */
  probe: string;
  /** The repository's copy of `probe`. */
  source: string;
}

const buildOutputs = [
  'packages/browser/dist/index.js',
  'packages/browser/dist/callback.js',
  'packages/react/dist/index.js',
  'packages/angular/dist/package.json',
  'packages/angular/dist/fesm2022/tessera-angular.mjs',
];

let root = '';
const packed = new Map<string, Packed>();
const timings: string[] = [];

beforeAll(async () => {
  const missing = buildOutputs.filter((path) => !existsSync(join(repoRoot, path)));
  if (missing.length > 0) {
    throw new Error(
      `The packages are not built (missing ${missing.join(', ')}): run \`npm run build\` first ` +
        '(`npm test` does).',
    );
  }
  root = await mkdtemp(join(await realpath(tmpdir()), 'tessera-fresh-apps-'));
  const fromRepo = relative(repoRoot, root);
  if (!fromRepo.startsWith('..') && !isAbsolute(fromRepo)) {
    throw new Error(`os.tmpdir() (${root}) is inside the repository; set TMPDIR elsewhere.`);
  }
  const tarballs = join(root, 'tarballs');
  await mkdir(tarballs);
  const pack = ['pack', '--json', '--pack-destination', tarballs];
  const [workspaces, angular] = await Promise.all([
    run('npm', [...pack, '-w', '@tessera/browser', '-w', '@tessera/react'], repoRoot),
    // ng-packagr writes the publishable package (its own package.json) into dist/.
    run('npm', pack, join(repoRoot, 'packages/angular/dist')),
  ]);
  for (const [what, result] of [
    ['npm pack -w @tessera/browser -w @tessera/react', workspaces],
    ['npm pack in packages/angular/dist', angular],
  ] as const) {
    if (result.code !== 0) throw new Error(failure(what, result));
    const entries = JSON.parse(result.stdout) as {
      name: string;
      version: string;
      filename: string;
    }[];
    for (const entry of entries) {
      const dir = {
        '@tessera/browser': 'packages/browser',
        '@tessera/react': 'packages/react',
        '@tessera/angular': 'packages/angular/dist',
      }[entry.name];
      if (dir === undefined) throw new Error(`unexpected package packed: ${entry.name}`);
      const probe =
        entry.name === '@tessera/angular' ? 'fesm2022/tessera-angular.mjs' : 'dist/index.js';
      packed.set(entry.name, {
        name: entry.name,
        version: entry.version,
        tarball: `tarballs/${entry.filename}`,
        probe,
        source: join(repoRoot, dir, probe),
      });
    }
  }
  timings.push(`pack ${workspaces.ms} ms (browser, react) / ${angular.ms} ms (angular)`);
}, 120_000);

afterAll(async () => {
  if (timings.length > 0) console.log(`fresh apps, measured:\n  ${timings.join('\n  ')}`);
  if (root === '') return;
  if (keep) console.log(`fresh apps kept in ${root}`);
  else await rm(root, { recursive: true, force: true });
});

function pkg(name: string): Packed {
  const entry = packed.get(name);
  if (entry === undefined) throw new Error(`${name} was not packed`);
  return entry;
}

/** The app's dependency on a tarball, as a user would write it after `npm pack`. */
function fileDependency(name: string): string {
  return `file:../${pkg(name).tarball}`;
}

// --- checks shared by both apps --------------------------------------------------------------

/** Asserts `name` in `app` was installed from its tarball: a real directory with the built files. */
async function expectInstalledFromTarball(
  expect: ExpectStatic,
  app: string,
  name: string,
): Promise<void> {
  const { version, tarball, probe, source } = pkg(name);
  const installed = join(app, 'node_modules', name);
  const stat = await lstat(installed);
  expect(stat.isSymbolicLink(), `${installed} is a link, not an installed copy`).toBe(false);
  expect(stat.isDirectory()).toBe(true);
  expect(relative(repoRoot, await realpath(installed))).toMatch(/^\.\./);
  const manifest = await readJson<{ version: string }>(join(installed, 'package.json'));
  expect(manifest.version).toBe(version);
  // The same bytes as this checkout's build, so the tarball is of this build, not a stale one.
  expect(await readFile(join(installed, probe), 'utf8')).toBe(await readFile(source, 'utf8'));
  const appLock = await readJson<{ packages: Record<string, { resolved?: string } | undefined> }>(
    join(app, 'package-lock.json'),
  );
  expect(appLock.packages[`node_modules/${name}`]?.resolved).toBe(`file:../${tarball}`);
  // Exactly one copy of each @tessera package: the peer dependencies resolve to the tarballs.
  const nested = Object.keys(appLock.packages).filter(
    (key) => key.endsWith(`/node_modules/${name}`) && key !== `node_modules/${name}`,
  );
  expect(nested).toEqual([]);
}

/** Asserts every pinned dependency is installed at exactly the lockfile's version. */
async function expectVersions(
  expect: ExpectStatic,
  app: string,
  versions: Record<string, string>,
): Promise<void> {
  const installed: Record<string, string> = {};
  for (const name of Object.keys(versions)) {
    const manifest = await readJson<{ version: string }>(
      join(app, 'node_modules', name, 'package.json'),
    );
    installed[name] = manifest.version;
  }
  expect(installed).toEqual(versions);
}

/**
 * The JavaScript a built page loads: its module scripts and, transitively, every chunk they
 * import statically or dynamically (relative `./chunk.js` specifiers, as Vite and esbuild emit).
 */
async function pageCode(dist: string, page: string): Promise<string> {
  const html = await readFile(join(dist, page), 'utf8');
  const queue = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)].map((match) =>
    join(dist, (match[1] ?? '').replace(/^\//, '')),
  );
  if (queue.length === 0) throw new Error(`${page} loads no script`);
  const seen = new Set<string>();
  let code = '';
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    code += `${text}\n`;
    for (const match of text.matchAll(
      /(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+\.js)["']/g,
    )) {
      queue.push(join(dirname(file), match[1] ?? ''));
    }
  }
  return code;
}

// --- app templates ---------------------------------------------------------------------------

const AUTHORITY = 'https://login.example.com/realms/app';
const API = 'https://api.example.com/v1';

function viteApp(): Record<string, string> {
  return {
    'package.json': JSON.stringify(
      {
        name: 'fresh-vite-app',
        private: true,
        type: 'module',
        scripts: { typecheck: 'tsc --noEmit', build: 'vite build' },
        dependencies: {
          '@tessera/browser': fileDependency('@tessera/browser'),
          '@tessera/react': fileDependency('@tessera/react'),
          react: viteVersions.react,
          'react-dom': viteVersions['react-dom'],
        },
        devDependencies: {
          '@types/react': viteVersions['@types/react'],
          '@types/react-dom': viteVersions['@types/react-dom'],
          typescript: viteVersions.typescript,
          vite: viteVersions.vite,
        },
      },
      null,
      2,
    ),
    // create-vite's tsconfig, with the library's declarations checked too (no skipLibCheck).
    'tsconfig.json': JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          useDefineForClassFields: true,
          module: 'ESNext',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          types: ['vite/client'],
          skipLibCheck: false,
          moduleResolution: 'bundler',
          allowImportingTsExtensions: true,
          verbatimModuleSyntax: true,
          moduleDetection: 'force',
          noEmit: true,
          jsx: 'react-jsx',
          strict: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          noFallthroughCasesInSwitch: true,
          noUncheckedSideEffectImports: true,
        },
        include: ['src'],
      },
      null,
      2,
    ),
    'vite.config.js': `import { defineConfig } from 'vite';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: { rollupOptions: { input: ['index.html', 'callback.html', 'react.html'] } },
});
`,
    'index.html': `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Fresh Vite app</title></head>
  <body>
    <button id="call-api">Call API</button>
    <button id="check-setup">Check setup</button>
    <pre id="out"></pre>
    <script type="module" src="/src/main.ts"></script>
  </body>
</html>
`,
    'callback.html': `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Signing in</title></head>
  <body>
    <script type="module" src="/src/callback.ts"></script>
  </body>
</html>
`,
    'react.html': `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Fresh React page</title></head>
  <body>
    <div id="root"></div>
    <script type="module" src="/src/react.tsx"></script>
  </body>
</html>
`,
    'src/main.ts': `import {
  AuthError,
  UserAgentApplication,
  createAuthFetch,
  type AuthResponse,
  type AuthenticationParameters,
} from '@tessera/browser';
import { diagnose, type Finding } from '@tessera/browser/diagnose';

const userAgentApplication = new UserAgentApplication({
  auth: {
    clientId: 'fresh-app',
    authority: '${AUTHORITY}',
    redirectUri: \`\${location.origin}/callback.html\`,
  },
  cache: { cacheLocation: 'sessionStorage' },
});

userAgentApplication.handleRedirectCallbacks(
  (response: AuthResponse) => show(\`signed in as \${response.account.username}\`),
  (error: AuthError) => show(error.errorCode),
);

const accessTokenRequest: AuthenticationParameters = { scopes: ['api://my-api/read'] };
const authFetch = createAuthFetch(userAgentApplication, {
  protectedResourceMap: { '${API}': ['api://my-api/read'] },
});

function show(text: string): void {
  const out = document.querySelector<HTMLPreElement>('#out');
  if (out) out.textContent = text;
}

function token(): Promise<string> {
  return userAgentApplication
    .acquireTokenSilent(accessTokenRequest)
    .then((response) => response.accessToken)
    .catch((error: AuthError) => {
      if (error.errorMessage.indexOf('interaction_required') !== -1) {
        return userAgentApplication
          .acquireTokenPopup(accessTokenRequest)
          .then((response) => response.accessToken);
      }
      throw error;
    });
}

document.querySelector('#call-api')?.addEventListener('click', () => {
  token()
    .then(() => authFetch('${API}/profile'))
    .then((response) => response.text())
    .then(show)
    .catch((error: unknown) => show(error instanceof AuthError ? error.errorCode : String(error)));
});

document.querySelector('#check-setup')?.addEventListener('click', () => {
  diagnose(userAgentApplication)
    .then(({ findings }) => show(findings.map((f: Finding) => \`\${f.id}: \${f.fix}\`).join('\\n')))
    .catch((error: unknown) => show(String(error)));
});
`,
    'src/callback.ts': `import { completeAuthorizationCallback, type CallbackContext } from '@tessera/browser/callback';

const context: CallbackContext = completeAuthorizationCallback();
document.title = \`callback: \${context}\`;
`,
    'src/react.tsx': `import { UserAgentApplication } from '@tessera/browser';
import {
  AuthenticatedTemplate,
  MsalProvider,
  UnauthenticatedTemplate,
  useAccessToken,
  useMsal,
} from '@tessera/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

const app = new UserAgentApplication({
  auth: { clientId: 'fresh-app', authority: '${AUTHORITY}', redirectUri: location.origin },
});

function Token() {
  const { token, status, error } = useAccessToken({ scopes: ['api://my-api/read'] });
  return <p>{status === 'error' ? error?.errorCode : (token ?? status)}</p>;
}

function SignIn() {
  const { instance } = useMsal();
  return <button onClick={() => void instance.loginPopup({ scopes: ['openid'] })}>Sign in</button>;
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MsalProvider instance={app}>
        <AuthenticatedTemplate>
          <Token />
        </AuthenticatedTemplate>
        <UnauthenticatedTemplate>
          <SignIn />
        </UnauthenticatedTemplate>
      </MsalProvider>
    </StrictMode>,
  );
}
`,
  };
}

function angularApp(): Record<string, string> {
  const build = {
    builder: '@angular/build:application',
    options: {
      browser: 'src/main.ts',
      index: 'src/index.html',
      tsConfig: 'tsconfig.app.json',
      outputPath: 'dist/fresh-app',
    },
    configurations: {
      production: { outputHashing: 'all', optimization: true, sourceMap: false },
    },
    defaultConfiguration: 'production',
  };
  return {
    'package.json': JSON.stringify(
      {
        name: 'fresh-angular-app',
        private: true,
        type: 'module',
        scripts: { build: 'ng build' },
        dependencies: {
          '@angular/common': angularVersions['@angular/common'],
          '@angular/core': angularVersions['@angular/core'],
          '@angular/platform-browser': angularVersions['@angular/platform-browser'],
          '@angular/router': angularVersions['@angular/router'],
          '@tessera/angular': fileDependency('@tessera/angular'),
          '@tessera/browser': fileDependency('@tessera/browser'),
          rxjs: angularVersions.rxjs,
          tslib: angularVersions.tslib,
        },
        devDependencies: {
          '@angular/build': angularVersions['@angular/build'],
          '@angular/cli': angularVersions['@angular/cli'],
          '@angular/compiler': angularVersions['@angular/compiler'],
          '@angular/compiler-cli': angularVersions['@angular/compiler-cli'],
          typescript: angularVersions.typescript,
        },
      },
      null,
      2,
    ),
    'angular.json': JSON.stringify(
      {
        $schema: './node_modules/@angular/cli/lib/config/schema.json',
        version: 1,
        cli: { analytics: false, packageManager: 'npm' },
        newProjectRoot: 'projects',
        projects: {
          'fresh-app': {
            projectType: 'application',
            root: '',
            sourceRoot: 'src',
            architect: { build },
          },
        },
      },
      null,
      2,
    ),
    // `ng new`'s tsconfig (strict, strict templates), with the libraries' declarations checked.
    'tsconfig.json': JSON.stringify(
      {
        compileOnSave: false,
        compilerOptions: {
          strict: true,
          noImplicitOverride: true,
          noPropertyAccessFromIndexSignature: true,
          noImplicitReturns: true,
          noFallthroughCasesInSwitch: true,
          skipLibCheck: false,
          isolatedModules: true,
          experimentalDecorators: true,
          importHelpers: true,
          target: 'ES2022',
          module: 'preserve',
        },
        angularCompilerOptions: {
          enableI18nLegacyMessageIdFormat: false,
          strictInjectionParameters: true,
          strictInputAccessModifiers: true,
          strictTemplates: true,
        },
        files: [],
        references: [{ path: './tsconfig.app.json' }],
      },
      null,
      2,
    ),
    'tsconfig.app.json': JSON.stringify(
      {
        extends: './tsconfig.json',
        compilerOptions: { outDir: './out-tsc/app', types: [] },
        include: ['src/**/*.ts'],
      },
      null,
      2,
    ),
    'src/index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Fresh Angular app</title>
    <base href="/" />
  </head>
  <body>
    <app-root></app-root>
  </body>
</html>
`,
    'src/main.ts': `import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { msalInterceptor, provideMsal } from '@tessera/angular';
import { completeAuthorizationCallback } from '@tessera/browser/callback';
import { App } from './app';

// In a popup or hidden iframe the page only reports the response back; the app starts otherwise.
if (completeAuthorizationCallback() === 'none') {
  bootstrapApplication(App, {
    providers: [
      provideZonelessChangeDetection(),
      provideMsal({
        clientID: 'fresh-app',
        authority: '${AUTHORITY}',
        redirectUri: 'http://localhost:4200/',
        protectedResourceMap: new Map([['${API}', ['api://my-api/read']]]),
      }),
      provideHttpClient(withInterceptors([msalInterceptor])),
    ],
  }).catch((error: unknown) => console.error(error));
}
`,
    'src/app.ts': `import { HttpClient } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { MsalService } from '@tessera/angular';

interface Profile {
  name: string;
}

@Component({
  selector: 'app-root',
  template: \`
    <p id="account">{{ msal.account()?.username ?? 'signed out' }}</p>
    <button id="load" (click)="load()">Load profile</button>
    <p id="profile">{{ profile()?.name }}</p>
  \`,
})
export class App {
  protected readonly msal = inject(MsalService);
  readonly #http = inject(HttpClient);
  protected readonly profile = signal<Profile | null>(null);

  protected load(): void {
    this.#http.get<Profile>('${API}/profile').subscribe({
      next: (profile) => this.profile.set(profile),
      error: (error: unknown) => console.error(error),
    });
  }
}
`,
  };
}

/** The seed's code in plain JavaScript, built by webpack 5 and by Rollup, each with code splitting. */
function bundlersApp(): Record<string, string> {
  return {
    'package.json': `${JSON.stringify(
      {
        name: 'fresh-bundlers-app',
        private: true,
        type: 'module',
        dependencies: { '@tessera/browser': fileDependency('@tessera/browser') },
        devDependencies: bundlerVersions,
      },
      null,
      2,
    )}\n`,
    'src/main.js': `import { UserAgentApplication } from '@tessera/browser';
import { diagnose } from '@tessera/browser/diagnose';

const userAgentApplication = new UserAgentApplication({
  auth: { clientId: 'fresh-app', authority: '${AUTHORITY}', redirectUri: location.origin + '/' },
});
const accessTokenRequest = { scopes: ['api://my-api/read'] };

document.querySelector('#call-api')?.addEventListener('click', () => {
  userAgentApplication
    .acquireTokenSilent(accessTokenRequest)
    .catch(function (error) {
      if (error.errorMessage.indexOf('interaction_required') !== -1) {
        return userAgentApplication.acquireTokenPopup(accessTokenRequest);
      }
      throw error;
    })
    .then((response) => console.log(response.accessToken.length));
});

document.querySelector('#check-setup')?.addEventListener('click', () => {
  diagnose(userAgentApplication).then(({ findings }) => console.log(findings.length));
});
`,
    'webpack.mjs': `import webpack from 'webpack';

const compiler = webpack({
  mode: 'production',
  entry: './src/main.js',
  target: 'web',
  output: { path: new URL('./dist-webpack', import.meta.url).pathname, clean: true },
});
compiler.run((error, stats) => {
  if (error || stats.hasErrors()) {
    console.error(error ?? stats.toString('errors-warnings'));
    process.exitCode = 1;
  }
  compiler.close(() => undefined);
});
`,
    'rollup.mjs': `import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';

const bundle = await rollup({ input: 'src/main.js', plugins: [nodeResolve({ browser: true })] });
await bundle.write({ dir: 'dist-rollup', format: 'es' });
await bundle.close();
`,
  };
}

/** Every JavaScript file a bundler wrote, and their text together. */
async function outputCode(dir: string): Promise<{ files: number; code: string }> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.js'));
  const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
  return { files: names.length, code: texts.join('\n') };
}

// --- the apps --------------------------------------------------------------------------------

describe.concurrent('the packed packages in new apps outside the repository', () => {
  it('a Vite + TypeScript app: installs the tarballs, type-checks (strict, lib check) and builds', async ({
    expect,
  }) => {
    const app = join(root, 'vite-app');
    await writeFiles(app, viteApp());

    const install = await npmInstall(app);
    expect(install.code, failure('npm install (Vite app)', install)).toBe(0);
    await expectInstalledFromTarball(expect, app, '@tessera/browser');
    await expectInstalledFromTarball(expect, app, '@tessera/react');
    await expectVersions(expect, app, viteVersions);

    const typecheck = await tool(app, 'typescript/bin/tsc', ['--noEmit', '-p', 'tsconfig.json']);
    expect(typecheck.code, failure('tsc --noEmit (Vite app)', typecheck)).toBe(0);

    const build = await tool(app, 'vite/bin/vite.js', ['build']);
    expect(build.code, failure('vite build', build)).toBe(0);
    timings.push(
      `Vite app: npm install ${install.ms} ms, tsc ${typecheck.ms} ms, vite build ${build.ms} ms`,
    );

    const dist = join(app, 'dist');
    // The main page carries the library: error codes the app's own code never mentions.
    const main = await pageCode(dist, 'index.html');
    expect(main).toContain('login_required');
    expect(main).toContain('consent_required');
    // The doctor, from its own entry point, reached through the page's dynamic imports.
    expect(main).toContain('discovery_unreachable');
    // The callback page carries the callback entry (it reports back over a BroadcastChannel).
    expect(await pageCode(dist, 'callback.html')).toContain('BroadcastChannel');
    // The React page carries @tessera/react (its message for a missing provider).
    expect(await pageCode(dist, 'react.html')).toContain(
      '@tessera/react: wrap the app in <MsalProvider',
    );
  }, 300_000);

  it('an Angular CLI app: installs the tarballs, ng build type-checks (strict templates) and builds', async ({
    expect,
  }) => {
    const app = join(root, 'angular-app');
    await writeFiles(app, angularApp());

    const install = await npmInstall(app);
    expect(install.code, failure('npm install (Angular app)', install)).toBe(0);
    await expectInstalledFromTarball(expect, app, '@tessera/angular');
    await expectInstalledFromTarball(expect, app, '@tessera/browser');
    await expectVersions(expect, app, angularVersions);

    // The application builder type-checks the whole program (and the templates) and fails on
    // any error.
    const build = await tool(app, '@angular/cli/bin/ng.js', ['build']);
    expect(build.code, failure('ng build', build)).toBe(0);
    timings.push(`Angular app: npm install ${install.ms} ms, ng build ${build.ms} ms`);

    const code = await pageCode(join(app, 'dist/fresh-app/browser'), 'index.html');
    // @tessera/angular's configuration check, and @tessera/browser's error codes and callback.
    expect(code).toContain('interactionFallback must be');
    expect(code).toContain('login_required');
    expect(code).toContain('BroadcastChannel');
  }, 300_000);

  it('webpack 5 and plain Rollup: the tarball builds unchanged, split into lazy chunks', async ({
    expect,
  }) => {
    const app = join(root, 'bundlers-app');
    await writeFiles(app, bundlersApp());

    const install = await npmInstall(app);
    expect(install.code, failure('npm install (bundlers app)', install)).toBe(0);
    await expectInstalledFromTarball(expect, app, '@tessera/browser');
    await expectVersions(expect, app, bundlerVersions);

    const webpack = await run(process.execPath, ['webpack.mjs'], app);
    expect(webpack.code, failure('webpack', webpack)).toBe(0);
    const rollup = await run(process.execPath, ['rollup.mjs'], app);
    expect(rollup.code, failure('rollup', rollup)).toBe(0);
    timings.push(
      `bundlers app: npm install ${install.ms} ms, webpack ${webpack.ms} ms, rollup ${rollup.ms} ms`,
    );

    for (const dist of ['dist-webpack', 'dist-rollup']) {
      const { files, code } = await outputCode(join(app, dist));
      // The flows the entry loads on first use (popup, iframe, redirect, sign-out) became chunks.
      expect(files, dist).toBeGreaterThan(2);
      expect(code, dist).toContain('login_required');
      expect(code, dist).toContain('discovery_unreachable');
      // Nothing for the app's bundler to define: Rollup without plugins leaves it as written.
      expect(code, dist).not.toContain('process.env');
    }
  }, 300_000);
});
