// @tessera/angular in real Chromium against the dev IdP: the example app (examples/angular) in
// its two styles — NgModule exactly as the seed writes it (MsalModule.forRoot + MsalInterceptor
// via HTTP_INTERCEPTORS + the BroadcastService component) and standalone (provideMsal +
// msalInterceptor + msalGuard) — built once with Angular's application builder and served from
// its dist folder. The recording API checks, server-side, which requests carried which token.
import { execFile } from 'node:child_process';
import { readFile, readdir, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consent, DEFAULT_CLIENT_ID, fillLogin, startEnv } from './harness/fixtures.js';
import type { DevIdpOptions, Env } from './harness/fixtures.js';
import { REPO_ROOT } from './harness/http.js';

const run = promisify(execFile);
const LIB_DIR = join(REPO_ROOT, 'packages', 'angular');
const EXAMPLE_DIR = join(REPO_ROOT, 'examples', 'angular');
const API_SCOPE = 'api://demo/read';

type AppStyle = 'module-app' | 'standalone-app';

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    newest = Math.max(newest, await newestMtime(join(path, entry)));
  }
  return newest;
}

/** Runs a local binary of the monorepo (no npx: no registry look-up, no prompts). */
async function runBin(bin: string, args: string[], cwd: string): Promise<void> {
  await run(join(REPO_ROOT, 'node_modules', '.bin', bin), args, {
    cwd,
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', NG_FORCE_TTY: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  });
}

/**
 * Builds the wrapper (ng-packagr) and the example (application builder) unless their outputs are
 * newer than their inputs: once per run at most, cached in packages/angular/dist and
 * examples/angular/dist.
 */
async function buildOnce(): Promise<void> {
  const libSources = Math.max(
    await newestMtime(join(LIB_DIR, 'src')),
    await newestMtime(join(LIB_DIR, 'package.json')),
  );
  const libBuilt = await newestMtime(join(LIB_DIR, 'dist', 'fesm2022'));
  if (libBuilt < libSources) {
    const started = Date.now();
    await runBin('ng-packagr', ['-p', 'ng-package.json', '-c', 'tsconfig.lib.json'], LIB_DIR);
    console.info(`angular e2e: built @tessera/angular in ${Date.now() - started} ms`);
  }
  const exampleSources = Math.max(
    await newestMtime(join(EXAMPLE_DIR, 'src')),
    await newestMtime(join(EXAMPLE_DIR, 'public')),
    await newestMtime(join(EXAMPLE_DIR, 'angular.json')),
    await newestMtime(join(LIB_DIR, 'dist', 'fesm2022')),
    await newestMtime(join(REPO_ROOT, 'packages', 'browser', 'dist')),
  );
  for (const style of ['module-app', 'standalone-app'] as const) {
    const index = join(EXAMPLE_DIR, 'dist', style, 'browser', 'index.html');
    if ((await newestMtime(index)) > exampleSources) continue;
    const started = Date.now();
    await runBin('ng', ['build', style], EXAMPLE_DIR);
    console.info(`angular e2e: built ${style} in ${Date.now() - started} ms`);
  }
}

beforeAll(buildOnce, 300_000);

interface AngularEnv extends Env {
  style: AppStyle;
}

function sendFile(res: ServerResponse, body: string | Buffer, type: string): void {
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

/**
 * Serves the built example with the harness static server: `/config.json` points the app at this
 * test's dev IdP and API; deep links (`/other`, `/guarded`) get index.html, as any SPA host does.
 */
async function startAngularEnv(
  style: AppStyle,
  idp: (app: { url: string }) => DevIdpOptions = () => ({ autoLogin: false }),
): Promise<AngularEnv> {
  const root = join(EXAMPLE_DIR, 'dist', style, 'browser');
  const runtime: { config?: Record<string, unknown> } = {};
  const index = (_req: unknown, res: ServerResponse): void => {
    void readFile(join(root, 'index.html')).then((html) => sendFile(res, html, 'text/html'));
  };
  const env = await startEnv({
    pages: root,
    idp,
    api: true,
    routes: {
      '/config.json': (_req, res) =>
        sendFile(res, JSON.stringify(runtime.config), 'application/json'),
      '/other': index,
      '/guarded': index,
    },
  });
  runtime.config = {
    issuer: env.idp.issuer,
    clientId: env.clientId,
    apiUrl: env.api.url,
    scopes: [API_SCOPE],
    redirectUri: env.redirectUri,
  };
  return Object.assign(env, { style });
}

/** A client without refresh tokens and with 2-second access tokens: every silent call renews. */
function noRefreshTokens(app: { url: string }): DevIdpOptions {
  return {
    autoLogin: false,
    ttl: { accessToken: 2 },
    clients: [
      {
        clientId: DEFAULT_CLIENT_ID,
        redirectUris: [`${app.url}/`],
        postLogoutRedirectUris: [`${app.url}/`],
        refreshTokens: false,
      },
    ],
  };
}

interface LogEntry {
  source: string;
  event: string;
  detail: string;
}

/** The example's log (`window.__exampleLog`, see examples/angular/src/shared/event-log.ts). */
function logOf(page: Page): Promise<LogEntry[]> {
  return page.evaluate(() => (window as Window & { __exampleLog?: LogEntry[] }).__exampleLog ?? []);
}

async function waitForLog(page: Page, source: string, event: string, count = 1): Promise<void> {
  await expect
    .poll(async () => (await logOf(page)).filter((e) => e.source === source && e.event === event))
    .toHaveLength(count);
}

async function open(env: AngularEnv, path = '/'): Promise<void> {
  await env.page.goto(`${env.app.url}${path}`);
  await env.page.locator('body[data-ready=true]').waitFor();
}

/** Signs in as alice through the dev IdP's real login and consent pages. */
async function signIn(env: AngularEnv): Promise<void> {
  const { page } = env;
  if (env.style === 'module-app') {
    // NgModule example: loginPopup from the click handler.
    const popupOpened = env.context.waitForEvent('page');
    await page.locator('#sign-in').click();
    const popup = await popupOpened;
    await fillLogin(popup, 'alice', 'alice-password');
    await consent(popup, 'all');
  } else {
    // Standalone example: loginRedirect.
    await page.locator('#sign-in').click();
    await page.waitForURL((url) => url.origin === env.idp.url);
    await fillLogin(page, 'alice', 'alice-password');
    await consent(page, 'all');
    await page.waitForURL((url) => url.origin === env.app.url);
  }
  await page.locator('#status[data-state=signed-in]').waitFor();
}

function jwtPayload(token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe.each(['module-app', 'standalone-app'] as const)('@tessera/angular %s', (style) => {
  it('attaches a bearer token with the mapped scopes to the protected API only', async () => {
    const env = await startAngularEnv(style);
    await open(env);
    await signIn(env);

    await env.page.locator('#call-protected').click();
    await waitForLog(env.page, 'api', 'GET /profile');
    await env.page.locator('#call-public').click();
    await waitForLog(env.page, 'api', 'GET /health');

    const log = await logOf(env.page);
    expect(log.filter((e) => e.source === 'api').map((e) => e.detail)).toEqual([
      'ok {"ok":true}',
      'ok {"ok":true}',
    ]);
    const calls = env.api.calls();
    const profile = calls.filter((c) => c.path === '/profile');
    expect(profile).toHaveLength(1);
    const [scheme, token] = (profile[0]?.authorization ?? '').split(' ');
    expect(scheme).toBe('Bearer');
    const claims = jwtPayload(token ?? '');
    expect(claims['aud']).toBe('api://demo');
    expect(String(claims['scope']).split(' ')).toContain(API_SCOPE);
    expect(claims['sub']).toBe('alice');
    expect(claims['client_id']).toBe(env.clientId);
    expect(claims['iss']).toBe(env.idp.issuer);

    const health = calls.filter((c) => c.path === '/health');
    expect(health).toHaveLength(1);
    expect(health[0]?.authorization).toBeUndefined();
    // Nothing failed along the way.
    expect(log.filter((e) => e.event === 'msal:acquireTokenFailure')).toEqual([]);
  });

  it('MsalGuard sends an anonymous user to sign in and back to the guarded route', async () => {
    const env = await startAngularEnv(style);
    await env.page.goto(`${env.app.url}/guarded`);
    await env.page.waitForURL((url) => url.origin === env.idp.url);
    await fillLogin(env.page, 'alice', 'alice-password');
    await consent(env.page, 'all');

    await env.page.locator('#guarded').waitFor();
    const url = new URL(env.page.url());
    expect(url.origin).toBe(env.app.url);
    expect(url.pathname).toBe('/guarded');
    expect(url.search).toBe(''); // the authorization response left the address bar
    await env.page.locator('#status[data-state=signed-in]').waitFor();

    // Signed in now: the guard lets the user through without another trip to the provider.
    await env.page.locator('#nav-home').click();
    await env.page.locator('#call-protected').waitFor();
    const authorizations = env.idp.stats().authorizationRequests;
    await env.page.locator('#nav-guarded').click();
    await env.page.locator('#guarded').waitFor();
    expect(env.idp.stats().authorizationRequests).toBe(authorizations);
  });
});

describe('@tessera/angular BroadcastService (the seed component, NgModule style)', () => {
  it('reports msal:acquireTokenFailure once with the error; not after the component is destroyed', async () => {
    const env = await startAngularEnv('module-app', noRefreshTokens);
    await open(env);
    await signIn(env);
    const { page } = env;

    // While the provider session lives, the hidden iframe renews the 2-second token.
    await page.locator('#call-protected').click();
    await waitForLog(page, 'api', 'GET /profile');
    expect(env.api.calls().filter((c) => c.path === '/profile')[0]?.authorization).toMatch(
      /^Bearer /,
    );

    // Provider session ended, no refresh token: silent renewal needs interaction. The 2 s token
    // is served from the cache for the first half of its life; wait until it needs renewal.
    await env.idp.endSessions();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await page.locator('#call-protected').click();
    await waitForLog(page, 'shell', 'msal:acquireTokenFailure', 1);
    await waitForLog(page, 'api', 'GET /profile', 2);

    let log = await logOf(page);
    const home = log.filter((e) => e.source.startsWith('home#'));
    expect(home).toEqual([
      {
        source: home[0]?.source,
        event: 'msal:acquireTokenFailure',
        detail: 'InteractionRequiredAuthError:login_required',
      },
    ]);
    const first = home[0]?.source ?? '';
    // The HttpClient caller got the same error; the request never reached the API.
    expect(log.filter((e) => e.source === 'api').map((e) => e.detail)).toEqual([
      'ok {"ok":true}',
      'error InteractionRequiredAuthError:login_required',
    ]);
    expect(env.api.calls().filter((c) => c.path === '/profile')).toHaveLength(1);

    // Navigate away: the component is destroyed (next(1), unsubscribe); failures go on.
    await page.locator('#nav-other').click();
    await page.locator('h1', { hasText: 'Other page' }).waitFor();
    await page.locator('#call-protected').click();
    await waitForLog(page, 'shell', 'msal:acquireTokenFailure', 2);
    log = await logOf(page);
    expect(log.filter((e) => e.source === first)).toHaveLength(1);

    // A new instance hears only new failures: nothing stale is replayed to it.
    await page.locator('#nav-home').click();
    await page.locator('#call-protected').waitFor();
    await page.locator('#call-protected').click();
    await waitForLog(page, 'shell', 'msal:acquireTokenFailure', 3);
    log = await logOf(page);
    const second = log.filter((e) => e.source.startsWith('home#') && e.source !== first);
    expect(second.map((e) => e.detail)).toEqual(['InteractionRequiredAuthError:login_required']);
    expect(log.filter((e) => e.source === first)).toHaveLength(1);
  });
});
