#!/usr/bin/env node
// `npm start`: the Tessera demo in one command. Builds the SPA when needed, starts the dev IdP,
// the protected demo API and the SPA's static server on loopback, prints what to open and who
// can sign in, and stops everything on Ctrl-C (SIGINT) or SIGTERM. With TESSERA_AUTHORITY (or a
// --config file) the SPA talks to that provider instead and the dev IdP is not started.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSpa, bundleSize, isBuildFresh, kB } from './start/build-spa.mjs';
import { DEV_CLIENT_ID, DEV_USERS, HELP, UsageError, parseOptions } from './start/options.mjs';
import { BusyPortError, busyLine, listenErrorCode, originOf, probePort } from './start/ports.mjs';
import { contentSecurityPolicy, startSpaServer } from './start/static-server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SPA_DIRS = { spa: join(ROOT, 'examples', 'spa'), react: join(ROOT, 'examples', 'react') };

const SERVICES = {
  app: { service: 'demo SPA', flag: '--app-port', envName: 'TESSERA_APP_PORT' },
  idp: { service: 'dev IdP', flag: '--idp-port', envName: 'TESSERA_IDP_PORT' },
  api: { service: 'demo API', flag: '--api-port', envName: 'TESSERA_API_PORT' },
};

const originOfUrl = (url) => new URL(url).origin;

/** Things to stop, newest first. */
const running = [];
let stopping;

async function stopAll() {
  stopping ??= (async () => {
    for (const { close } of running.splice(0).reverse()) {
      await close().catch(() => undefined);
    }
  })();
  return stopping;
}

function fail(line, status) {
  process.stderr.write(`${line}\n`);
  return stopAll().then(() => process.exit(status));
}

/** Runs `start()`, turning a listen failure into the one-line busy-port error. */
async function bind(kind, host, port, start) {
  try {
    return await start();
  } catch (error) {
    const code = listenErrorCode(error);
    if (code === undefined) throw error;
    throw new BusyPortError(busyLine({ ...SERVICES[kind], port, host, code }));
  }
}

async function importBuilt(relative, what) {
  try {
    return await import(pathToFileURL(join(ROOT, relative)).href);
  } catch (error) {
    throw new Error(`${what} is not built (${error.message}); run \`npm run build\` first`);
  }
}

async function main() {
  const settings = parseOptions(process.argv.slice(2), process.env);
  if (settings.help) {
    process.stdout.write(HELP);
    return;
  }
  const { host, external, localApi, provider } = settings;
  // `--react`: the React demo, same config.json, same servers.
  const SPA_DIR = settings.react ? SPA_DIRS.react : SPA_DIRS.spa;

  // Refuse a busy port before the (slow) build, so nothing starts at all.
  const planned = [['app', settings.appPort]];
  if (!external) planned.push(['idp', settings.idpPort]);
  if (localApi) planned.push(['api', settings.apiPort]);
  for (const [kind, port] of planned) await bind(kind, host, port, () => probePort(host, port));

  let buildNote = 'up to date';
  if (settings.rebuild || !isBuildFresh(SPA_DIR, ROOT)) {
    process.stdout.write('Building the demo SPA (vite build)…\n');
    buildNote = `built in ${(Math.round((await buildSpa(SPA_DIR)) / 100) / 10).toFixed(1)} s`;
  }
  const size = await bundleSize(SPA_DIR);

  const state = { issuer: provider.authority ?? '', apiUrl: provider.apiUrl ?? '' };
  const appOriginFor = (port) => originOf(host, port);
  let appOrigin = appOriginFor(settings.appPort);

  // The SPA first: with --app-port 0 its origin (the redirect URI) is known only after binding.
  const app = await bind('app', host, settings.appPort, () =>
    startSpaServer({
      root: join(SPA_DIR, 'dist'),
      host,
      port: settings.appPort,
      csp: () =>
        external
          ? contentSecurityPolicy({
              // Token and discovery endpoints may sit on other https hosts than the authority.
              connect: ['https:', ...[state.issuer, state.apiUrl].filter(Boolean).map(originOfUrl)],
              frame: ['https:', originOfUrl(state.issuer)],
            })
          : contentSecurityPolicy({
              connect: [state.issuer, state.apiUrl].filter(Boolean).map(originOfUrl),
              frame: [state.issuer].filter(Boolean).map(originOfUrl),
            }),
      config: () => ({
        ...provider,
        authority: state.issuer,
        apiUrl: state.apiUrl,
        testUsers: external
          ? []
          : DEV_USERS.map(({ username, password }) => ({ username, password })),
      }),
    }),
  );
  running.push(app);
  appOrigin = appOriginFor(app.port);
  const appUrl = `${appOrigin}/`;

  let idp;
  if (!external) {
    const { startDevIdp } = await importBuilt('packages/dev-idp/dist/index.js', '@tessera/dev-idp');
    idp = await bind('idp', host, settings.idpPort, () =>
      startDevIdp({
        port: settings.idpPort,
        host,
        clients: [
          {
            clientId: DEV_CLIENT_ID,
            redirectUris: [appUrl],
            postLogoutRedirectUris: [appUrl],
            refreshTokens: true,
          },
        ],
        users: DEV_USERS,
        resources: [{ audience: settings.apiAudience, scopes: provider.scopes }],
        ttl: { accessToken: settings.tokenTtl },
        logger: (line) => process.stderr.write(`[dev-idp] ${line}\n`),
      }),
    );
    running.push(idp);
    state.issuer = idp.issuer;
  }

  let api;
  if (localApi) {
    const { startApi } = await importBuilt('examples/api/dist/server.js', 'The demo API');
    api = await bind('api', host, settings.apiPort, () =>
      startApi({
        port: settings.apiPort,
        host,
        issuer: settings.apiIssuer ?? state.issuer,
        audience: settings.apiAudience,
        allowedOrigins: [appOrigin],
      }),
    );
    running.push(api);
    state.apiUrl = api.url;
  }

  const lines = ['', 'Tessera demo', ''];
  if (idp !== undefined) {
    lines.push(
      `  Dev IdP   ${idp.url}   client ${DEV_CLIENT_ID}, access tokens live ${settings.tokenTtl} s`,
    );
  } else {
    lines.push(`  Provider  ${state.issuer}   client ${provider.clientId}`);
  }
  if (api !== undefined) lines.push(`  API       ${api.url}   audience ${settings.apiAudience}`);
  else if (state.apiUrl !== '') lines.push(`  API       ${state.apiUrl}`);
  lines.push(
    `  App       ${appUrl}   (SPA ${buildNote}: JS ${kB(size.js)} minified, ${kB(size.jsGzip)} gzip)`,
    '',
  );
  if (external) {
    lines.push(
      `Register ${appUrl} at your provider as a single-page-application redirect URI.`,
      'Sign in with an account of your provider.',
    );
  } else {
    lines.push('Test users (username / password):');
    for (const user of DEV_USERS) lines.push(`  ${user.username} / ${user.password}`);
  }
  lines.push('', `Open ${appUrl} in your browser. Press Ctrl-C to stop.`, `Ready: ${appUrl}`, '');
  process.stdout.write(lines.join('\n'));
}

let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) process.exit(130); // a second Ctrl-C does not wait
    process.stdout.write('\nStopping…\n');
    void stopAll().then(() => {
      process.stdout.write('Stopped.\n');
      process.exit(0);
    });
  });
}

main().catch((error) => {
  if (error instanceof UsageError || error instanceof BusyPortError) return fail(error.message, 2);
  const message = error instanceof Error ? error.message : String(error);
  return fail(`npm start: ${message}`, 1);
});
