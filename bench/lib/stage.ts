// What the browser measurements run against: one app origin (static server) serving every
// library's pages, and for each library its own dev IdP behind a counting front, so requests and
// provider state are per library. One Chromium for the whole run; one context per library.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDevIdp } from '@tessera/dev-idp';
import type { DevIdp, DevIdpResource } from '@tessera/dev-idp';
import { launchChromium } from '../../e2e/harness/chromium.js';
import { PAGE_ENV_GLOBAL } from '../../e2e/harness/page-env.js';
import type { PageEnv } from '../../e2e/harness/page-env.js';
import { startStaticServer } from '../../e2e/harness/static-server.js';
import type { StaticServer } from '../../e2e/harness/static-server.js';
import type {} from '../pages/page.js';
import type { PeerEnv } from '../peers/types.js';
import type { Library, LibraryId } from './libraries.js';
import { buildPages, pageHeaders } from './pages.js';
import { startProviderFront } from './provider-front.js';
import type { ProviderFront } from './provider-front.js';

export const CLIENT_ID = 'bench-spa';
export const DEFAULT_SCOPES = ['api://demo/read'];

/** 50 resources with one scope each: 50 scope sets that each need a token of their own. */
export const SCOPE_SETS: string[][] = Array.from({ length: 50 }, (_, i) => [
  `api://bench-${String(i + 1).padStart(2, '0')}/read`,
]);

const RESOURCES: DevIdpResource[] = [
  { audience: 'api://demo', scopes: ['api://demo/read', 'api://demo/write'] },
  ...SCOPE_SETS.map((scopes) => ({
    audience: (scopes[0] ?? '').replace(/\/read$/, ''),
    scopes,
  })),
];

export interface ProviderOptions {
  /** Access-token lifetime in seconds. */
  accessTokenTtl: number;
}

/** One library's provider (dev IdP + counting front) and the browser context it is used from. */
export interface Lane {
  readonly library: Library;
  readonly front: ProviderFront;
  readonly idp: DevIdp;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly peerEnv: PeerEnv;
  /** The app's static server (shared by all lanes; lanes are used one at a time). */
  readonly app: StaticServer;
  readonly log: string[];
  /** An absolute URL of this library's pages, e.g. `url('app?cold')`. */
  url(path: string): string;
  close(): Promise<void>;
}

export interface Stage {
  readonly app: StaticServer;
  /** Libraries whose pages did not build, with the reason; they have no lane. */
  readonly buildFailures: ReadonlyMap<LibraryId, string>;
  readonly browser: Browser;
  openLane(library: Library, options: ProviderOptions): Promise<Lane>;
  close(): Promise<void>;
}

export async function startStage(libraries: readonly Library[]): Promise<Stage> {
  const { routes, failures: buildFailures } = await buildPages(libraries);
  const app = await startStaticServer({ routes, headers: pageHeaders });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await app.close();
    throw error;
  }

  const lanes = new Set<Lane>();
  const openLane = async (library: Library, options: ProviderOptions): Promise<Lane> => {
    const log: string[] = [];
    const cleanups: (() => Promise<void>)[] = [];
    const close = async (): Promise<void> => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    };
    try {
      const front = await startProviderFront();
      cleanups.push(() => front.close());
      const base = `${app.url}/${library.id}`;
      const scheme = library.httpsIssuer ? 'https' : 'http';
      const idp = await startDevIdp({
        host: '127.0.0.1',
        port: 0,
        issuer: `${scheme}://127.0.0.1:${front.port}`,
        clients: [
          {
            clientId: CLIENT_ID,
            redirectUris: [`${base}/callback`, `${base}/app`],
            refreshTokens: true,
          },
        ],
        resources: RESOURCES,
        ttl: { accessToken: options.accessTokenTtl },
        rotateRefreshTokens: true,
        autoLogin: { username: 'alice', consent: 'all' },
        logger: (line) => log.push(line),
      });
      cleanups.push(() => idp.close());
      // idp.url is the issuer's origin, which is the front itself: forward to the bound port.
      front.target = `http://127.0.0.1:${idp.port}`;

      let discovery: string | undefined;
      if (library.inlineDiscovery) {
        const response = await fetch(`${front.url}/.well-known/openid-configuration`);
        discovery = await response.text();
        front.reset();
      }
      const peerEnv: PeerEnv = {
        authority: front.url,
        issuer: idp.issuer,
        ...(discovery !== undefined && { discovery }),
        clientId: CLIENT_ID,
        callbackUri: `${base}/callback`,
        pageUri: `${base}/app`,
        scopes: DEFAULT_SCOPES,
      };

      const context = await browser.newContext();
      cleanups.push(() => context.close());
      context.setDefaultTimeout(20_000);
      const pageEnv: PageEnv = { appUrl: app.url, bench: peerEnv };
      await context.addInitScript(
        ({ name, value }) => {
          Object.defineProperty(globalThis, name, { value, configurable: false, writable: false });
        },
        { name: PAGE_ENV_GLOBAL, value: pageEnv },
      );
      context.on('page', (page) => {
        page.on('pageerror', (error) => log.push(`pageerror ${page.url()}: ${error.message}`));
        page.on('console', (message) => {
          if (message.type() === 'error')
            log.push(`console.error ${page.url()}: ${message.text()}`);
        });
      });
      const page = await context.newPage();
      const lane: Lane = {
        library,
        front,
        idp,
        context,
        page,
        peerEnv,
        app,
        log,
        url: (path) => `${base}/${path}`,
        close: async () => {
          lanes.delete(lane);
          await close();
        },
      };
      lanes.add(lane);
      return lane;
    } catch (error) {
      await close();
      throw error;
    }
  };

  return {
    app,
    buildFailures,
    browser,
    openLane,
    close: async () => {
      for (const lane of [...lanes]) await lane.close();
      await browser.close().catch(() => undefined);
      await app.close();
    },
  };
}

/** Opens one of the library's pages and waits until its script has run (and any redirect completed). */
export async function openPage(lane: Lane, path: string, page: Page = lane.page): Promise<void> {
  await page.goto(lane.url(path));
  await page.waitForFunction(() => typeof window.bench === 'object');
  await page.evaluate(() => window.bench.ready);
}

/**
 * Signs in through the library's own interactive flow. A popup resolves in the page; a redirect
 * leaves it, so the driver waits for the page it comes back to.
 */
export async function signIn(lane: Lane, scopes: readonly string[]): Promise<void> {
  const { page } = lane;
  await openPage(lane, 'app');
  const interaction = await page.evaluate(() => window.bench.interaction);
  if (interaction === 'popup') {
    await page.evaluate((s) => window.bench.signIn(s), [...scopes]);
    return;
  }
  const back = page.waitForURL(
    (url) => url.href.startsWith(lane.url('app')) && url.searchParams.has('code'),
  );
  await page.evaluate(
    (s) => {
      void window.bench.signIn(s);
    },
    [...scopes],
  );
  await back;
  await page.waitForFunction(() => typeof window.bench === 'object');
  await page.evaluate(() => window.bench.ready);
  if (!(await page.evaluate(() => window.bench.signedIn)))
    throw new Error('redirect sign-in did not complete');
}
