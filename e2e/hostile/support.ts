// The hostile-provider suite's harness: per file one hostile provider, one app server, one
// recording API and one Chromium; per case a fresh browser context (empty storage) with the test
// page open. `hostileCase` registers a case; each must end in `assertInvariants` (invariants.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import type { HostileConfig, Outcome } from '../pages/hostile/app.js';
import { startRecordingApi } from '../harness/api-server.js';
import type { RecordingApi } from '../harness/api-server.js';
import { launchChromium } from '../harness/chromium.js';
import { REPO_ROOT } from '../harness/http.js';
import { PAGE_ENV_GLOBAL } from '../harness/page-env.js';
import type { PageEnv } from '../harness/page-env.js';
import { startStaticServer } from '../harness/static-server.js';
import type { StaticServer } from '../harness/static-server.js';
import { startHostileProvider } from './provider.js';
import type { HostileProvider } from './provider.js';
import { hostileSummaryLine, recordFamily } from './summary.js';

export type { Outcome };

/** The client id the test page uses (the hostile provider accepts any). */
export const CLIENT_ID = 'hostile-e2e';

/** The scope a signed-in session holds a token for. */
export const SESSION_SCOPES = ['api://a/read'];

/** The family's servers and browser, valid inside tests. */
export interface HostileSuite {
  readonly family: string;
  readonly provider: HostileProvider;
  readonly app: StaticServer;
  readonly api: RecordingApi;
  readonly browser: Browser;
  /** A fresh context with the test page loaded (closed when the test ends). */
  open(config?: Partial<HostileConfig>): Promise<Case>;
}

/** One case's browser context and page. */
export interface Case {
  readonly suite: HostileSuite;
  readonly context: BrowserContext;
  readonly page: Page;
  /** `${app.url}/`: the app's redirect URI (redirect flows). */
  readonly redirectUri: string;
  /** Console lines and page errors of every page of the context. */
  readonly console: string[];
  /** Every URL any page of the context requested (answered or failed), in order. */
  readonly requested: string[];
  /** Pending requests planted at open, which no case may touch: storage key → value. */
  readonly bystanders: Readonly<Record<string, string>>;
  /** Set by `assertInvariants` once all six held. */
  held: boolean;
  /** Waits until the page (re)loaded and its script ran. */
  ready(): Promise<void>;
  /** Runs a hook of the test page and returns its result. */
  run<T>(fn: () => T | Promise<T>): Promise<T>;
}

interface Registry {
  suite: HostileSuite | undefined;
  /** Cases that run (skipped defect cases are counted in `skipped` only). */
  registered: number;
  skipped: number;
  held: string[];
  current: Case | undefined;
}

const registry: Registry = {
  suite: undefined,
  registered: 0,
  skipped: 0,
  held: [],
  current: undefined,
};

/** The case running now (set by `suite.open`). */
export function currentCase(): Case {
  if (registry.current === undefined) throw new Error('no hostile case is open');
  return registry.current;
}

/**
 * Sets up the family's servers and browser (beforeAll) and closes them (afterAll), which also
 * prints the family's line: how many cases ran and that the six invariants held for each.
 */
export function useHostileSuite(family: string): HostileSuite {
  let parts:
    | { provider: HostileProvider; app: StaticServer; api: RecordingApi; browser: Browser }
    | undefined;
  const get = () => {
    if (parts === undefined) throw new Error('the hostile suite is not started');
    return parts;
  };
  const suite: HostileSuite = {
    family,
    get provider() {
      return get().provider;
    },
    get app() {
      return get().app;
    },
    get api() {
      return get().api;
    },
    get browser() {
      return get().browser;
    },
    open: (config) => openCase(suite, config ?? {}),
  };
  registry.suite = suite;

  beforeAll(async () => {
    const started: { close(): Promise<void> }[] = [];
    try {
      const provider = await startHostileProvider();
      started.push(provider);
      const app = await startStaticServer({
        root: 'e2e/pages/hostile',
        bundles: {
          '/app.js': 'e2e/pages/hostile/app.ts',
          '/callback.js': 'e2e/pages/hostile/callback.ts',
        },
      });
      started.push(app);
      const api = await startRecordingApi({ allowOrigin: app.url });
      started.push(api);
      const browser = await launchChromium();
      parts = { provider, app, api, browser };
    } catch (error) {
      for (const part of started.reverse()) await part.close().catch(() => undefined);
      throw error;
    }
  });

  afterAll(async () => {
    if (parts !== undefined) {
      const { provider, app, api, browser } = parts;
      parts = undefined;
      await browser.close();
      await Promise.all([provider.close(), app.close(), api.close()]);
    }
    report(family);
  });
  return suite;
}

/** Registers a hostile case: it must end with `assertInvariants` holding. */
export function hostileCase(name: string, body: () => Promise<unknown>, timeout?: number): void {
  registry.registered += 1;
  it(
    name,
    async () => {
      registry.current = undefined;
      await body();
      const c = registry.current as Case | undefined;
      expect(c?.held, 'the case must end with assertInvariants').toBe(true);
      registry.held.push(name);
    },
    timeout,
  );
}

/**
 * A case that shows a library defect: it asserts the correct behaviour and is skipped until the
 * library is fixed. The caller writes a `// DEFECT:` comment saying what is wrong, where.
 */
hostileCase.skip = (name: string, body: () => Promise<unknown>, timeout?: number): void => {
  // HOSTILE_DEFECTS=1 runs them, to watch them fail (or pass once fixed).
  if (process.env['HOSTILE_DEFECTS'] === '1') return hostileCase(name, body, timeout);
  registry.skipped += 1;
  it.skip(name, body, timeout);
};

/** The family's closing test: every registered case ran and held all six invariants. */
export function countCheck(): void {
  it('every hostile case of this family ran and held all six invariants', () => {
    expect(registry.held).toHaveLength(registry.registered);
  });
}

function report(family: string): void {
  const held = registry.held.length;
  const expected = registry.registered;
  const skipped =
    registry.skipped > 0
      ? ` (${registry.skipped} skipped: library defects, see DEFECT comments)`
      : '';
  const lines = [
    held === expected
      ? `hostile ${family}: ${held} cases, 6 invariants each: held${skipped}`
      : `hostile ${family}: ${expected - held} of ${expected} cases FAILED${skipped}`,
  ];
  try {
    recordFamily({ family, held, failed: expected - held, skipped: registry.skipped });
    lines.push(hostileSummaryLine() ?? '');
  } catch {
    // The family's own line still says it.
  }
  console.log(lines.join('\n'));
}

async function openCase(suite: HostileSuite, config: Partial<HostileConfig>): Promise<Case> {
  suite.provider.reset();
  const context = await suite.browser.newContext();
  context.setDefaultTimeout(15_000);
  const pageEnv: PageEnv = {
    appUrl: suite.app.url,
    redirectUri: `${suite.app.url}/`,
    clientId: CLIENT_ID,
    hostile: { authority: suite.provider.url, ...config },
  };
  await context.addInitScript(
    ({ name, value }) => {
      Object.defineProperty(globalThis, name, { value, configurable: false, writable: false });
    },
    { name: PAGE_ENV_GLOBAL, value: pageEnv },
  );
  const consoleLines: string[] = [];
  const requested: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (message) =>
      consoleLines.push(`console.${message.type()}: ${message.text()}`),
    );
    page.on('pageerror', (error) =>
      consoleLines.push(`pageerror: ${error.stack ?? error.message}`),
    );
  };
  context.on('page', watch);
  // Requests that reached a server or failed on the way; not the target of a redirect the
  // browser did not follow (Playwright reports it as a request aborted before it was sent).
  context.on('response', (response) => requested.push(response.url()));
  context.on('requestfailed', (request) => {
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') requested.push(request.url());
  });
  const page = await context.newPage();

  const c: Case = {
    suite,
    context,
    page,
    redirectUri: `${suite.app.url}/`,
    console: consoleLines,
    requested,
    bystanders: {},
    held: false,
    async ready() {
      await page.locator('body[data-state=ready]').waitFor();
      await page.waitForFunction(() => window.hostile?.ready === true);
    },
    run: (fn) => page.evaluate(fn),
  };
  registry.current = c;
  onTestFinished(async (context_) => {
    try {
      if (context_.task.result?.state === 'fail') saveArtifacts(c, context_.task.name);
    } finally {
      await context.close().catch(() => undefined);
    }
  });

  await page.goto(c.redirectUri);
  await c.ready();
  // Two pending requests no case may touch: one of this client (a sign-in in another tab's
  // flow that this tab also waits for), one of another client on the same origin.
  const bystanders = await page.evaluate((clientId) => {
    const entry = (state: string, authority: string) =>
      JSON.stringify({
        v: 1,
        state,
        createdAt: Date.now(),
        data: {
          kind: 'login',
          interaction: 'popup',
          authority,
          redirectUri: `${location.origin}/callback.html`,
          secrets: {
            state,
            nonce: `nonce-${state}`,
            codeVerifier: `verifier-${state}-${'v'.repeat(43)}`,
          },
          requestedScopes: ['openid', 'profile', 'offline_access'],
          resource: undefined,
          correlationId: `bystander-${state}`,
          userState: '',
          startPage: undefined,
        },
      });
    const planted: Record<string, string> = {
      [`tessera.v1.txn.${clientId}|bystander-own`]: entry('bystander-own', location.origin),
      [`tessera.v1.txn.other-client|bystander-other`]: entry('bystander-other', location.origin),
    };
    for (const [key, value] of Object.entries(planted)) sessionStorage.setItem(key, value);
    return planted;
  }, CLIENT_ID);
  Object.assign(c.bystanders, bystanders);
  return c;
}

function saveArtifacts(c: Case, name: string): void {
  try {
    const dir = join(REPO_ROOT, 'e2e', 'artifacts', `hostile-${c.suite.family}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name.replace(/[^\w.-]+/g, '-').slice(0, 80)}.log`);
    const lines = [
      `test: ${name}`,
      ...c.context.pages().map((p, i) => `page ${i}: ${p.url()}`),
      '',
      'provider requests:',
      ...c.suite.provider.requests.map(
        (r) =>
          `  #${r.seq} ${r.method} ${r.path}${r.query.size > 0 ? `?${r.query.toString()}` : ''}`,
      ),
      '',
      'browser requests:',
      ...c.requested.map((u) => `  ${u.slice(0, 300)}`),
      '',
      ...c.console,
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    console.error(`hostile artifacts for "${name}": ${file} (${basename(file)})`);
  } catch (error) {
    console.error('could not save hostile artifacts:', error);
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
