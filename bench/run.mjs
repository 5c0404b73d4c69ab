// `npm run bench`: @tessera/browser side by side with @azure/msal-browser, oidc-client-ts,
// @auth0/auth0-spa-js and a bare oauth4webapi client, in one run. This file reads the command
// line; the bench itself (bench/lib/main.ts) is TypeScript, bundled here with esbuild because
// Node 20 cannot run TypeScript.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MEASURES = ['sizes', 'silent', 'cold', 'concurrency', 'heap'];
const LIBRARIES = ['tessera', 'msal-browser', 'oidc-client-ts', 'auth0-spa-js', 'oauth4webapi'];
const NUMBERS = {
  '--calls': ['calls', 2000, 'timed cached silent calls per library'],
  '--warmup': ['warmup', 300, 'untimed cached calls before them'],
  '--cold-runs': ['coldRuns', 10, 'page loads per library, cold start with a cached token'],
  '--expired-runs': ['expiredRuns', 9, 'page loads per library, cold start with an expired token'],
  '--short-ttl': ['shortTtl', 5, 'access-token lifetime (s) for the expired-token measurements'],
  '--concurrent': ['concurrentCalls', 50, 'concurrent silent calls in one tab'],
  '--concurrency-runs': ['concurrencyRuns', 3, 'runs of each concurrency scenario'],
  '--acquisitions': ['acquisitions', 1000, 'silent calls over 50 scope sets for the heap'],
};

const HELP = `Usage: npm run bench -- [options]

Measures, in one run, @tessera/browser (built from the working tree) against
@azure/msal-browser, oidc-client-ts, @auth0/auth0-spa-js and a bare oauth4webapi client
(bench/bare-client), each through the same adapter interface (bench/peers/<name>.ts), in headless
Chromium against the dev IdP (@tessera/dev-idp) on loopback:

  sizes        the same minimal app as one file (esbuild --minify): min, gzip -9, brotli 11;
               @tessera/browser also split (eager part, every chunk it can load) and its callback entry
  silent       a cached acquireTokenSilent-equivalent, each call timed alone in a cross-origin
               isolated page: median, p99, mean (µs)
  cold         page load → first token with (a) a cached token, (b) an expired access token and a
               valid refresh token: time and provider requests (discovery, preflights included)
  concurrency  50 concurrent silent calls in one tab, and 3 tabs at once, with an expired access
               token: token requests, failures, whether the session is still alive
  heap         JS heap before and after 1,000 silent calls over 50 scope sets

Prints one table per measurement; writes bench/results/latest.json (and a dated copy) and, after
a complete run (all measurements, all libraries), bench/RESULTS.md. Takes about 3-5 minutes.

Options:
  --only <list>        comma-separated measurements (default: all): ${MEASURES.join(',')}
  --libs <list>        comma-separated libraries (default: all): ${LIBRARIES.join(',')}
${Object.entries(NUMBERS)
  .map(([flag, [, value, text]]) => `  ${`${flag} <n>`.padEnd(21)}${text} (default ${value})`)
  .join('\n')}
  -h, --help           this text

Needs Chromium (/usr/bin/chromium or CHROMIUM_PATH) and the dev IdP's dependencies installed.
The bench's own checks: npx vitest run --config bench/vitest.config.ts
`;

class UsageError extends Error {}

/** @param {string} value @param {readonly string[]} allowed @param {string} flag */
function list(value, allowed, flag) {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const unknown = items.filter((item) => !allowed.includes(item));
  if (items.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `${flag}: unknown ${JSON.stringify(unknown.join(','))}; use ${allowed.join(',')}`,
    );
  }
  return items;
}

/** @param {string[]} argv */
function parse(argv) {
  /** @type {Record<string, unknown>} */
  const options = { only: new Set(MEASURES), libraries: LIBRARIES };
  for (const [, [key, value]] of Object.entries(NUMBERS)) options[key] = value;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') return undefined;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg];
    const value = () => {
      const next = inline ?? argv[(i += 1)];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === '--only') options.only = new Set(list(value(), MEASURES, flag));
    else if (flag === '--libs') options.libraries = list(value(), LIBRARIES, flag);
    else if (flag !== undefined && flag in NUMBERS) {
      const raw = value();
      const n = Number(raw);
      if (!Number.isSafeInteger(n) || n < 1)
        throw new UsageError(`${flag}: ${raw} is not a whole number ≥ 1`);
      options[NUMBERS[flag][0]] = n;
    } else throw new UsageError(`unknown option ${arg} (see --help)`);
  }
  if (/** @type {number} */ (options.shortTtl) < 2)
    throw new UsageError('--short-ttl: at least 2 s');
  return options;
}

let options;
try {
  options = parse(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`npm run bench: ${error.message}\n`);
  process.exit(2);
}
if (options === undefined) {
  process.stdout.write(HELP);
  process.exit(0);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const outfile = `${here}results/.build/bench.mjs`;
await mkdir(`${here}results/.build`, { recursive: true });
const { build } = await import('esbuild');
await build({
  entryPoints: [`${here}lib/main.ts`],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  define: { BENCH_REPO_ROOT: JSON.stringify(root.replace(/\/$/, '')) },
  // The dev IdP from its sources, like @tessera/browser: the bench measures the working tree.
  alias: { '@tessera/dev-idp': `${root}packages/dev-idp/src/index.ts` },
  plugins: [
    {
      // bundle-size.mjs finds the repo from its own location: keep it a file of its own.
      name: 'bundle-size-external',
      setup(plugin) {
        plugin.onResolve({ filter: /bundle-size\.mjs$/ }, () => ({
          path: pathToFileURL(`${here}bundle-size.mjs`).href,
          external: true,
        }));
      },
    },
  ],
});
const { run } = await import(pathToFileURL(outfile).href);
process.exitCode = await run(options);
