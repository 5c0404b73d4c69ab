// The browser measurements. Phase A (long-lived tokens): cold start with a cached token, the
// cached silent call, heap. Phase B (short-lived access tokens, refresh tokens valid): cold start
// with an expired token, 50 concurrent calls in one tab, three tabs calling at once.
import { setTimeout as delay } from 'node:timers/promises';
import type { CDPSession } from 'playwright-core';
import { COLD_REPORT, type ColdStart, type Settled } from '../pages/page.js';
import { message } from './cell.js';
import type { Cell } from './cell.js';
import { lifetimeFor } from './libraries.js';
import type { Library, LibraryId } from './libraries.js';
import type { RequestCounts } from './provider-front.js';
import { DEFAULT_SCOPES, openPage, SCOPE_SETS, signIn } from './stage.js';
import type { Lane, Stage } from './stage.js';

export type Measure = 'sizes' | 'silent' | 'cold' | 'concurrency' | 'heap';

export interface Settings {
  only: ReadonlySet<Measure>;
  /** Timed cached calls, after `warmup` untimed ones. */
  calls: number;
  warmup: number;
  /** Page loads per library for cold start with a cached token. */
  coldRuns: number;
  /** Page loads per library for cold start with an expired token (each needs an expiry wait). */
  expiredRuns: number;
  /** Access-token lifetime in phase B, seconds. */
  shortTtl: number;
  concurrentCalls: number;
  /** Rounds of each concurrency scenario (each starts with expired tokens). */
  concurrencyRuns: number;
  acquisitions: number;
  log: (line: string) => void;
}

export interface SilentResult {
  calls: number;
  medianUs: number;
  p99Us: number;
  meanUs: number;
  /** Provider requests during the timed calls (0 for a cache hit). */
  requests: number;
}

export interface ColdResult {
  runs: number;
  medianMs: number;
  /** The fastest load: least disturbed by other work on the machine. */
  minMs: number;
  /** Page script start → token (leaves out fetching the HTML and script). */
  scriptMedianMs: number;
  /** Provider requests of one page load (the median run's). */
  requests: RequestCounts;
  /** Script files the page loaded from the app (entry and chunks). */
  scripts: number;
}

export interface ConcurrencyRun {
  tokenRequests: number;
  failed: number;
  errors: string[];
  /** One more call with forceRefresh succeeded. */
  alive: boolean;
  /** How the alive check got its token (refresh grant, authorize endpoint), or why it failed. */
  aliveVia: string;
}

export interface ConcurrencyResult {
  /** Calls per run. */
  calls: number;
  /** One entry per run; after a run that ended the session the library signed in again. */
  runs: ConcurrencyRun[];
}

export interface HeapResult {
  beforeKB: number;
  afterKB: number;
  acquisitions: number;
  scopeSets: number;
  tokenRequests: number;
  failed: number;
  errors: string[];
}

export interface BrowserResults {
  chromium: string;
  silent: Partial<Record<LibraryId, Cell<SilentResult>>>;
  coldCached: Partial<Record<LibraryId, Cell<ColdResult>>>;
  coldExpired: Partial<Record<LibraryId, Cell<ColdResult>>>;
  oneTab: Partial<Record<LibraryId, Cell<ConcurrencyResult>>>;
  threeTabs: Partial<Record<LibraryId, Cell<ConcurrencyResult>>>;
  heap: Partial<Record<LibraryId, Cell<HeapResult>>>;
}

const STEP_TIMEOUT_MS = 60_000;

/** Runs a step with a deadline, so one stuck library cannot stall the run. */
async function within<T>(label: string, step: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${label}: no result within ${STEP_TIMEOUT_MS / 1000} s`)),
      STEP_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([step(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function cell<T>(
  label: string,
  step: () => Promise<T>,
  lane?: Lane,
  log?: (line: string) => void,
): Promise<Cell<T>> {
  try {
    return { value: await within(label, step) };
  } catch (error) {
    const text = message(error);
    // What the provider and the pages logged explains most failures.
    log?.(`    ${lane?.library.label ?? ''} ${label}: ${text}`);
    for (const line of lane?.log.slice(-5) ?? []) log?.(`      ${line}`);
    return { error: text };
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/** Nearest-rank quantile. */
const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;

type ColdLoad = ColdStart & { requests: RequestCounts; scripts: number };

async function coldLoad(lane: Lane): Promise<ColdLoad> {
  const { page } = lane;
  lane.front.reset();
  const appRequests = lane.app.requests.length;
  // Nothing is evaluated in the page until its token is in (see COLD_REPORT).
  const reported = page.waitForEvent('console', {
    predicate: (line) => line.text().startsWith(COLD_REPORT),
    timeout: 30_000,
  });
  await page.goto(lane.url('app?cold'));
  const result = JSON.parse((await reported).text().slice(COLD_REPORT.length)) as ColdStart;
  // Requests a library makes right after handing out the token still belong to this load.
  await delay(200);
  if (!result.ok) throw new Error(result.error ?? 'cold start failed');
  const scripts = lane.app.requests
    .slice(appRequests)
    .filter((request) => request.path.endsWith('.js')).length;
  return { ...result, requests: lane.front.counts(), scripts };
}

function coldSummary(loads: readonly ColdLoad[]): ColdResult {
  const byTime = [...loads].sort((a, b) => a.loadToTokenMs - b.loadToTokenMs);
  const middle = byTime[(byTime.length - 1) >> 1];
  if (middle === undefined) throw new Error('no cold start');
  return {
    runs: loads.length,
    medianMs: median(loads.map((load) => load.loadToTokenMs)),
    minMs: Math.min(...loads.map((load) => load.loadToTokenMs)),
    scriptMedianMs: median(loads.map((load) => load.scriptToTokenMs)),
    requests: middle.requests,
    scripts: middle.scripts,
  };
}

async function collectGarbage(cdp: CDPSession): Promise<number> {
  // Twice: objects freed by the first pass's finalizers go in the second.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 1024;
}

/**
 * Phase A: every library signed in (long-lived tokens), then cold starts with a cached token
 * (runs interleaved across libraries, so background load on the machine falls on all alike),
 * the cached silent call, and the heap.
 */
async function phaseA(
  stage: Stage,
  libraries: readonly Library[],
  settings: Settings,
  results: BrowserResults,
): Promise<void> {
  const { only, log } = settings;
  const lanes: Lane[] = [];
  const broken = new Map<LibraryId, { error: string }>();
  try {
    for (const library of libraries) {
      log(`  ${library.label}: sign-in`);
      const lane = await stage.openLane(library, { accessTokenTtl: 3600 });
      lanes.push(lane);
      const scopeSets = only.has('heap') && library.noScopeSets === undefined;
      const scopes = scopeSets ? [...DEFAULT_SCOPES, ...SCOPE_SETS.flat()] : DEFAULT_SCOPES;
      const signedIn = await cell(
        'sign-in',
        async () => {
          await signIn(lane, scopes);
          await lane.page.evaluate(() => window.bench.getToken());
        },
        lane,
        log,
      );
      if ('error' in signedIn) broken.set(library.id, { error: `sign-in: ${signedIn.error}` });
    }
    const working = lanes.filter((lane) => !broken.has(lane.library.id));
    for (const [id, failure] of broken) {
      if (only.has('cold')) results.coldCached[id] = failure;
      if (only.has('silent')) results.silent[id] = failure;
      if (only.has('heap') && library(libraries, id).noScopeSets === undefined) {
        results.heap[id] = failure;
      }
    }

    if (only.has('cold')) {
      log('  cold start, cached token');
      const loads = new Map<LibraryId, ColdLoad[]>();
      for (let run = 0; run < settings.coldRuns; run += 1) {
        for (const lane of working) {
          const id = lane.library.id;
          if (results.coldCached[id] !== undefined) continue;
          const load = await cell('cold start', () => coldLoad(lane), lane, log);
          if ('value' in load) loads.set(id, [...(loads.get(id) ?? []), load.value]);
          else results.coldCached[id] = load;
        }
      }
      for (const [id, list] of loads) {
        results.coldCached[id] ??= { value: coldSummary(list) };
      }
    }

    if (only.has('silent')) {
      log('  cached silent call');
      for (const lane of working) {
        results.silent[lane.library.id] = await cell(
          'silent',
          async () => {
            await openPage(lane, 'isolated');
            if (!(await lane.page.evaluate(() => window.bench.crossOriginIsolated))) {
              throw new Error('the timing page is not cross-origin isolated');
            }
            lane.front.reset();
            const samples = await lane.page.evaluate(
              ([warmup, calls]) => window.bench.timeSilent(warmup, calls),
              [settings.warmup, settings.calls] as const,
            );
            const sorted = [...samples].sort((a, b) => a - b);
            return {
              calls: samples.length,
              medianUs: median(sorted),
              p99Us: quantile(sorted, 0.99),
              meanUs: samples.reduce((sum, x) => sum + x, 0) / samples.length,
              requests: lane.front.counts().total,
            };
          },
          lane,
          log,
        );
      }
    }

    if (only.has('heap')) {
      log('  heap');
      for (const lane of lanes) {
        const { id, noScopeSets } = lane.library;
        if (noScopeSets !== undefined) {
          results.heap[id] = { na: noScopeSets };
          continue;
        }
        if (broken.has(id)) continue;
        results.heap[id] = await cell('heap', () => measureHeap(lane, settings), lane, log);
      }
    }
  } finally {
    for (const lane of lanes) await lane.close();
  }
}

function library(libraries: readonly Library[], id: LibraryId): Library {
  const found = libraries.find((entry) => entry.id === id);
  if (found === undefined) throw new Error(`unknown library ${id}`);
  return found;
}

async function measureHeap(lane: Lane, settings: Settings): Promise<HeapResult> {
  await openPage(lane, 'app');
  // Run the cache and the refresh path once, so their code is loaded and compiled before the
  // first reading.
  await lane.page.evaluate(() => window.bench.getToken());
  await lane.page.evaluate(() => window.bench.forceRefresh());
  const cdp = await lane.context.newCDPSession(lane.page);
  try {
    const beforeKB = await collectGarbage(cdp);
    lane.front.reset();
    const run = await lane.page.evaluate(([sets, total]) => window.bench.acquireMany(sets, total), [
      SCOPE_SETS,
      settings.acquisitions,
    ] as const);
    const afterKB = await collectGarbage(cdp);
    return {
      beforeKB,
      afterKB,
      acquisitions: settings.acquisitions,
      scopeSets: SCOPE_SETS.length,
      tokenRequests: lane.front.counts().token,
      failed: run.failed,
      errors: run.errors,
    };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Waits until every token handed out before `since` has expired (plus a margin). */
async function expireTokens(lastTokenAt: number, ttlSeconds: number): Promise<void> {
  const wait = lastTokenAt + ttlSeconds * 1000 + 600 - Date.now();
  if (wait > 0) await delay(wait);
}

async function aliveCheck(lane: Lane): Promise<Pick<ConcurrencyRun, 'alive' | 'aliveVia'>> {
  const before = lane.front.counts();
  const result: Settled = await lane.page.evaluate(() => window.bench.forceRefresh());
  const after = lane.front.counts();
  const via =
    after.authorize > before.authorize
      ? 'authorize (iframe)'
      : after.token > before.token
        ? 'refresh'
        : 'no request';
  return {
    alive: result.ok === 1,
    aliveVia: result.ok === 1 ? via : (result.errors[0] ?? 'failed'),
  };
}

/** Phase B: every library signed in at once, then rounds that each start with expired tokens. */
async function phaseB(
  stage: Stage,
  libraries: readonly Library[],
  settings: Settings,
  results: BrowserResults,
): Promise<void> {
  const { only, shortTtl, log } = settings;
  const lanes: Lane[] = [];
  const broken = new Map<LibraryId, string>();
  let lastTokenAt = Date.now();
  try {
    for (const library of libraries) {
      // Each library renews a token some time before it expires (its renewal window, at its
      // defaults): the lifetime is chosen so that every library uses a token for `shortTtl` s.
      const lane = await stage.openLane(library, {
        accessTokenTtl: lifetimeFor(library, shortTtl),
      });
      lanes.push(lane);
      const signedIn = await cell(
        'sign-in',
        () => signIn(lane, DEFAULT_SCOPES),
        lane,
        settings.log,
      );
      if ('error' in signedIn) broken.set(library.id, `sign-in: ${signedIn.error}`);
      lastTokenAt = Date.now();
    }
    /**
     * `runs` rounds of `step` over the libraries, each round once their tokens expired. A
     * library whose session ended in a round (`ended`) signs in again (a fresh grant) first.
     */
    const rounds = async <T>(
      label: string,
      runs: number,
      step: (lane: Lane) => Promise<T>,
      ended: (result: T) => boolean = () => false,
    ): Promise<Map<LibraryId, Cell<T[]>>> => {
      const out = new Map<LibraryId, Cell<T[]>>();
      for (const lane of lanes) {
        const reason = broken.get(lane.library.id);
        out.set(lane.library.id, reason === undefined ? { value: [] } : { error: reason });
      }
      const over = new Set<LibraryId>();
      for (let run = 1; run <= runs; run += 1) {
        for (const lane of lanes.filter((l) => over.has(l.library.id))) {
          over.delete(lane.library.id);
          const again = await cell('sign-in again', () => signIn(lane, DEFAULT_SCOPES), lane, log);
          if ('error' in again) out.set(lane.library.id, { error: `sign-in: ${again.error}` });
          lastTokenAt = Date.now();
        }
        await expireTokens(lastTokenAt, shortTtl);
        log(`  ${label} (${run}/${runs})`);
        for (const lane of lanes) {
          const id = lane.library.id;
          const sofar = out.get(id);
          if (sofar === undefined || !('value' in sofar)) continue;
          const result = await cell(label, () => step(lane), lane, log);
          lastTokenAt = Date.now();
          if ('value' in result) {
            sofar.value.push(result.value);
            if (ended(result.value)) over.add(id);
          } else {
            out.set(id, result);
          }
        }
      }
      return out;
    };

    if (only.has('cold')) {
      const loads = await rounds('cold start, expired token', settings.expiredRuns, coldLoad);
      for (const [id, result] of loads) {
        results.coldExpired[id] = 'value' in result ? { value: coldSummary(result.value) } : result;
      }
    }

    if (only.has('concurrency')) {
      const calls = settings.concurrentCalls;
      const gather = (
        runs: Map<LibraryId, Cell<ConcurrencyRun[]>>,
        perRun: number,
        target: Partial<Record<LibraryId, Cell<ConcurrencyResult>>>,
      ): void => {
        for (const [id, result] of runs) {
          target[id] =
            'value' in result ? { value: { calls: perRun, runs: result.value } } : result;
        }
      };
      const oneTab = await rounds(
        `${calls} concurrent calls, one tab`,
        settings.concurrencyRuns,
        async (lane): Promise<ConcurrencyRun> => {
          await openPage(lane, 'app');
          lane.front.reset();
          const run = await lane.page.evaluate((n) => window.bench.concurrent(n), calls);
          const tokenRequests = lane.front.counts().token;
          return {
            tokenRequests,
            failed: run.failed,
            errors: run.errors,
            ...(await aliveCheck(lane)),
          };
        },
        (run) => !run.alive,
      );
      gather(oneTab, calls, results.oneTab);

      const threeTabs = await rounds(
        'three tabs at once',
        settings.concurrencyRuns,
        async (lane): Promise<ConcurrencyRun> => {
          const others = [await lane.context.newPage(), await lane.context.newPage()];
          try {
            await openPage(lane, 'app');
            for (const page of others) await openPage(lane, 'app', page);
            lane.front.reset();
            for (const page of others) await page.evaluate(() => window.bench.arm(1));
            const first = await lane.page.evaluate(() => window.bench.fire(1));
            const rest = await Promise.all(
              others.map((page) =>
                page.evaluate(() => window.bench.armed ?? Promise.reject(new Error('not armed'))),
              ),
            );
            const tabs = [first, ...rest];
            const tokenRequests = lane.front.counts().token;
            return {
              tokenRequests,
              failed: tabs.reduce((sum, tab) => sum + tab.failed, 0),
              errors: [...new Set(tabs.flatMap((tab) => tab.errors))],
              ...(await aliveCheck(lane)),
            };
          } finally {
            for (const page of others) await page.close().catch(() => undefined);
          }
        },
        (run) => !run.alive,
      );
      gather(threeTabs, 3, results.threeTabs);
    }
  } finally {
    for (const lane of lanes) await lane.close();
  }
}

export async function measureInBrowser(
  stage: Stage,
  libraries: readonly Library[],
  settings: Settings,
): Promise<BrowserResults> {
  const results: BrowserResults = {
    chromium: stage.browser.version(),
    silent: {},
    coldCached: {},
    coldExpired: {},
    oneTab: {},
    threeTabs: {},
    heap: {},
  };
  const { only } = settings;
  for (const [id, reason] of stage.buildFailures) {
    const failure = { error: `page build: ${reason}` };
    settings.log(`  ${id}: ${failure.error}`);
    const tables = [
      ['silent', 'silent'],
      ['coldCached', 'cold'],
      ['coldExpired', 'cold'],
      ['oneTab', 'concurrency'],
      ['threeTabs', 'concurrency'],
      ['heap', 'heap'],
    ] as const;
    for (const [table, measure] of tables) if (only.has(measure)) results[table][id] = failure;
  }
  const built = libraries.filter((library) => !stage.buildFailures.has(library.id));
  if (only.has('cold') || only.has('silent') || only.has('heap')) {
    await phaseA(stage, built, settings, results);
  }
  if (only.has('cold') || only.has('concurrency')) {
    settings.log(`  all: sign-in, access tokens usable for ${settings.shortTtl} s`);
    await phaseB(stage, built, settings, results);
  }
  return results;
}
