// One call to set up what an e2e test needs: the dev IdP, the app's static server (another
// port, so another origin), optionally the recording API, and a fresh Chromium with a page.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Frame, Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import type { TestContext } from 'vitest';
import type * as DevIdpModule from '@tessera/dev-idp';
import type { DevIdp, DevIdpOptions } from '@tessera/dev-idp';
import { startRecordingApi } from './api-server.js';
import type { RecordingApi, RecordingApiOptions } from './api-server.js';
import { launchChromium } from './chromium.js';
import type { LaunchChromiumOptions } from './chromium.js';
import { REPO_ROOT } from './http.js';
import { PAGE_ENV_GLOBAL } from './page-env.js';
import type { PageEnv } from './page-env.js';
import { startStaticServer } from './static-server.js';
import type { RouteHandler, StaticServer } from './static-server.js';

export type { DevIdp, DevIdpOptions } from '@tessera/dev-idp';

/** The client id `startEnv` registers at the dev IdP unless `idp.clients` is given. */
export const DEFAULT_CLIENT_ID = 'tessera-e2e';

export interface EnvOptions {
  /**
   * Start the dev IdP with these options (or a function of the app's origin, which is only known
   * once the static server listens). Without `clients`, one public client `clientId` is
   * registered with redirect and post-logout redirect URI `${app.url}/` and refresh tokens on.
   * Omit to run without an IdP.
   */
  idp?: DevIdpOptions | ((app: { url: string }) => DevIdpOptions);
  /** Folder with the test pages (relative to the repo root), served as `/`. */
  pages?: string;
  /** URL path → TypeScript entry, bundled by esbuild (see `startStaticServer`). */
  bundles?: Record<string, string>;
  headers?: (path: string) => Record<string, string>;
  routes?: Record<string, RouteHandler>;
  /** Host name in the app's URL (default `127.0.0.1`; `localhost` makes it cross-site to the IdP). */
  appHost?: string;
  /** Also start a recording API whose CORS allows the app's origin. */
  api?: boolean | Omit<RecordingApiOptions, 'allowOrigin'>;
  /** Client id of the default client (default `tessera-e2e`). */
  clientId?: string;
  /** Extra values for the page's `pageEnv()`. */
  pageEnv?: Record<string, unknown>;
  /** Default timeout of playwright actions and waits in this env, in ms (default 20 000). */
  timeout?: number;
  /** Options for the browser context (viewport, storage state, ...). */
  context?: BrowserContextOptions;
  /** Options for launching Chromium (e.g. keep the popup blocker on). */
  launch?: LaunchChromiumOptions;
}

export interface Env {
  /** The dev IdP (throws when the env was started without `idp`). */
  readonly idp: DevIdp;
  /** The app's static server. */
  readonly app: StaticServer;
  /** The recording API (throws when the env was started without `api`). */
  readonly api: RecordingApi;
  readonly browser: Browser;
  readonly context: BrowserContext;
  /** A page in `context`, opened on about:blank. */
  readonly page: Page;
  readonly clientId: string;
  /** `${app.url}/`: the default client's redirect URI. */
  readonly redirectUri: string;
  /** What every page of the context sees as `pageEnv()`. */
  readonly pageEnv: PageEnv;
  /** Console messages, page errors and failed requests of all pages, for failure reports. */
  readonly log: string[];
  /** Stops the browser and all servers; safe to call more than once. */
  close(): Promise<void>;
}

async function loadDevIdp(): Promise<typeof DevIdpModule> {
  // A computed specifier: resolved when an env needs the IdP, so tests without one (and a clear
  // error when the package is not built) do not depend on it at transform time.
  const specifier: string = '@tessera/dev-idp';
  try {
    return (await import(/* @vite-ignore */ specifier)) as typeof DevIdpModule;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not load @tessera/dev-idp (${reason}). Build it first: \`npm run build\` ` +
        '(or `npx tsc -b packages/dev-idp`).',
    );
  }
}

function watchPage(page: Page, log: string[]): void {
  const tag = (): string => `[${new Date().toISOString().slice(11, 23)}]`;
  page.on('console', (message) => {
    const where = message.location().url || page.url();
    log.push(`${tag()} console.${message.type()} ${where}: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      const request = response.request();
      log.push(`${tag()} http ${response.status()} ${request.method()} ${response.url()}`);
    }
  });
  page.on('pageerror', (error) => {
    log.push(`${tag()} pageerror ${page.url()}: ${error.stack ?? error.message}`);
  });
  page.on('requestfailed', (request) => {
    log.push(`${tag()} requestfailed ${request.url()}: ${request.failure()?.errorText ?? ''}`);
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) log.push(`${tag()} navigated ${frame.url()}`);
  });
}

/**
 * Starts an environment. Inside a test, it is closed automatically when the test finishes
 * (pass or fail; on failure a screenshot and the browser log go to `e2e/artifacts/`). Started
 * elsewhere (e.g. `beforeAll`), the caller must `close()` it.
 */
export async function startEnv(options: EnvOptions = {}): Promise<Env> {
  const cleanups: (() => Promise<void>)[] = [];
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      const errors: unknown[] = [];
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length > 0) throw new AggregateError(errors, 'e2e env cleanup failed');
    })();
    return closed;
  };

  try {
    const app = await startStaticServer({
      ...(options.pages !== undefined && { root: options.pages }),
      ...(options.bundles !== undefined && { bundles: options.bundles }),
      ...(options.headers !== undefined && { headers: options.headers }),
      ...(options.routes !== undefined && { routes: options.routes }),
      ...(options.appHost !== undefined && { urlHost: options.appHost }),
    });
    cleanups.push(() => app.close());

    const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
    const redirectUri = `${app.url}/`;

    let idp: DevIdp | undefined;
    if (options.idp !== undefined) {
      const { startDevIdp } = await loadDevIdp();
      const idpOptions =
        typeof options.idp === 'function' ? options.idp({ url: app.url }) : options.idp;
      const started = await startDevIdp({
        port: 0,
        host: '127.0.0.1',
        ...idpOptions,
        clients: idpOptions.clients ?? [
          {
            clientId,
            redirectUris: [redirectUri],
            postLogoutRedirectUris: [redirectUri],
            refreshTokens: true,
          },
        ],
      });
      idp = started;
      cleanups.push(() => started.close());
    }

    let api: RecordingApi | undefined;
    if (options.api !== undefined && options.api !== false) {
      const started = await startRecordingApi({
        ...(options.api === true ? {} : options.api),
        allowOrigin: app.url,
      });
      api = started;
      cleanups.push(() => started.close());
    }

    const browser = await launchChromium(options.launch);
    cleanups.push(() => browser.close());
    const context = await browser.newContext(options.context);
    cleanups.push(() => context.close());
    // Fail a stuck wait with playwright's precise message well before the 60 s test timeout.
    context.setDefaultTimeout(options.timeout ?? 20_000);

    const pageEnv: PageEnv = {
      ...options.pageEnv,
      appUrl: app.url,
      redirectUri,
      clientId,
      ...(idp !== undefined && { issuer: idp.issuer }),
      ...(api !== undefined && { apiUrl: api.url }),
    };
    await context.addInitScript(
      ({ name, value }) => {
        Object.defineProperty(globalThis, name, { value, configurable: false, writable: false });
      },
      { name: PAGE_ENV_GLOBAL, value: pageEnv },
    );

    const log: string[] = [];
    context.on('page', (page) => watchPage(page, log));
    const page = await context.newPage();

    const env: Env = {
      get idp(): DevIdp {
        if (idp === undefined) throw new Error('This env has no dev IdP: pass `idp` to startEnv.');
        return idp;
      },
      app,
      get api(): RecordingApi {
        if (api === undefined)
          throw new Error('This env has no API: pass `api: true` to startEnv.');
        return api;
      },
      browser,
      context,
      page,
      clientId,
      redirectUri,
      pageEnv,
      log,
      close,
    };
    registerCleanup(env);
    return env;
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

function registerCleanup(env: Env): void {
  try {
    onTestFinished(async (context) => {
      try {
        if (context.task.result?.state === 'fail') await saveFailureArtifacts(env, context);
      } finally {
        await env.close();
      }
    });
  } catch {
    // Not inside a test (beforeAll, a helper script): the caller owns close().
  }
}

async function saveFailureArtifacts(env: Env, context: TestContext): Promise<void> {
  const task = context.task;
  const file = basename(task.file.name).replace(/\.e2e\.ts$/, '');
  const name = task.name.replace(/[^\w.-]+/g, '-').slice(0, 80);
  const dir = join(REPO_ROOT, 'e2e', 'artifacts', file);
  try {
    await mkdir(dir, { recursive: true });
    const pages = env.context.pages();
    const lines = [
      `test: ${task.name}`,
      ...pages.map((p, i) => `page ${i}: ${p.url()}`),
      '',
      ...env.log,
    ];
    await writeFile(join(dir, `${name}.log`), `${lines.join('\n')}\n`);
    for (const [i, p] of pages.entries()) {
      await p
        .screenshot({ path: join(dir, `${name}${i === 0 ? '' : `-${i}`}.png`), timeout: 5_000 })
        .catch(() => undefined);
    }
    console.error(`e2e artifacts for "${task.name}": ${dir}/${name}.{log,png}`);
  } catch (error) {
    console.error('could not save e2e failure artifacts:', error);
  }
}

type Target = Page | Frame;

/** Fills and submits the dev IdP's login form (in a page, a popup or a frame). */
export async function fillLogin(target: Target, username: string, password: string): Promise<void> {
  const user = target.locator('#username');
  await user.waitFor({ state: 'visible', timeout: 15_000 });
  await user.fill(username);
  await target.locator('#password').fill(password);
  await target.locator('#login-submit').click();
}

/**
 * Answers the dev IdP's consent page: `'all'` grants every offered scope, a list grants exactly
 * those (other offered scopes are unchecked).
 */
export async function consent(target: Target, scopes: readonly string[] | 'all'): Promise<void> {
  const submit = target.locator('#consent-submit');
  await submit.waitFor({ state: 'visible', timeout: 15_000 });
  const boxes = target.locator('input[type=checkbox][name=scope]');
  for (const box of await boxes.all()) {
    const value = (await box.getAttribute('value')) ?? '';
    if (await box.isDisabled()) continue;
    await box.setChecked(scopes === 'all' || scopes.includes(value));
  }
  await submit.click();
}

/** Refuses on the dev IdP's consent page. */
export async function denyConsent(target: Target): Promise<void> {
  const deny = target.locator('#consent-deny');
  await deny.waitFor({ state: 'visible', timeout: 15_000 });
  await deny.click();
}
