// Tables: one per measurement, as Markdown (readable in a terminal, rendered in RESULTS.md).
import { lifetimeFor } from './libraries.js';
import type { Library, LibraryId } from './libraries.js';
import type { Cell } from './cell.js';
import type {
  BrowserResults,
  ColdResult,
  ConcurrencyResult,
  HeapResult,
  SilentResult,
} from './measure.js';
import type { RequestCounts } from './provider-front.js';
import type { Size, SizeResults } from './sizes.js';

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  /** 1-minute load average when the run started (the machine may be shared). */
  loadAverage: number;
  os: string;
  node: string;
  chromium: string | undefined;
}

export interface Report {
  machine: Machine;
  libraries: { id: LibraryId; label: string; version: string }[];
  settings: Record<string, number>;
  sizes: SizeResults | undefined;
  browser: BrowserResults | undefined;
  durationSeconds: number;
}

const bytes = (n: number): string => n.toLocaleString('en-US');
const fixed = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

function requests(counts: RequestCounts): string {
  const parts = (['discovery', 'jwks', 'token', 'authorize', 'preflight', 'other'] as const)
    .filter((key) => counts[key] > 0)
    .map((key) => `${key} ${counts[key]}`);
  return parts.length === 0 ? '0' : `${counts.total} (${parts.join(', ')})`;
}

/** The cells of a result, or its reason spread over them. */
function cells<T>(
  result: Cell<T> | undefined,
  width: number,
  render: (value: T) => string[],
): string[] {
  if (result === undefined) return Array<string>(width).fill('–');
  if ('value' in result) return render(result.value);
  const reason = 'na' in result ? `n/a: ${result.na}` : `error: ${result.error}`;
  return [reason, ...Array<string>(width - 1).fill('')];
}

function name(report: Report, id: LibraryId): string {
  const library = report.libraries.find((entry) => entry.id === id);
  return library === undefined ? id : `${library.label} ${library.version}`;
}

function sizeRow<S extends Size>(
  label: string,
  size: Cell<S> | undefined,
  extra: (size: S) => string,
): string[] {
  return [
    label,
    ...cells(size, 4, (s) => [bytes(s.minified), bytes(s.gzipped), bytes(s.brotli), extra(s)]),
  ];
}

function sizesTable(report: Report, sizes: SizeResults): string {
  const rows = report.libraries
    .filter(({ id }) => sizes.oneFile[id] !== undefined)
    .map(({ id }) => sizeRow(name(report, id), sizes.oneFile[id], () => 'one file'));
  const split = (part: 'eager' | 'total'): Cell<Size & { chunks: number }> =>
    'value' in sizes.tesseraSplit ? { value: sizes.tesseraSplit.value[part] } : sizes.tesseraSplit;
  rows.push(
    sizeRow(
      '@tessera/browser, split: eager',
      split('eager'),
      (s) => `entry + static imports: ${s.chunks} chunks`,
    ),
    sizeRow(
      '@tessera/browser, split: all it can load',
      split('total'),
      (s) => `${s.chunks} chunks reachable from the entry`,
    ),
    sizeRow('@tessera/browser/callback', sizes.tesseraCallback, () => 'callback page entry'),
  );
  return table(['library', 'min B', 'gzip -9 B', 'brotli 11 B', 'build'], rows);
}

type Rows<T> = Partial<Record<LibraryId, Cell<T>>>;

function rowsOf<T>(
  report: Report,
  results: Rows<T>,
  width: number,
  render: (value: T) => string[],
): string[][] {
  return report.libraries
    .filter(({ id }) => results[id] !== undefined)
    .map(({ id }) => [name(report, id), ...cells(results[id], width, render)]);
}

function silentTable(report: Report, results: Rows<SilentResult>): string {
  return table(
    ['library', 'calls', 'median µs', 'p99 µs', 'mean µs', 'provider requests'],
    rowsOf(report, results, 5, (r) => [
      String(r.calls),
      fixed(r.medianUs),
      fixed(r.p99Us),
      fixed(r.meanUs),
      String(r.requests),
    ]),
  );
}

function coldTable(report: Report, cached: Rows<ColdResult>, expired: Rows<ColdResult>): string {
  const render = (r: ColdResult): string[] => [
    `${fixed(r.medianMs)} / ${fixed(r.minMs)} (${fixed(r.scriptMedianMs)})`,
    requests(r.requests),
  ];
  const scriptsOf = (result: Cell<ColdResult> | undefined): string =>
    result !== undefined && 'value' in result ? String(result.value.scripts) : '–';
  const scripts = (id: LibraryId): string => `${scriptsOf(cached[id])} / ${scriptsOf(expired[id])}`;
  const ids = report.libraries
    .map(({ id }) => id)
    .filter((id) => cached[id] !== undefined || expired[id] !== undefined);
  return table(
    [
      'library',
      'scripts cached / expired',
      'cached token: median / min ms (script→token)',
      'provider requests',
      'expired token: median / min ms (script→token)',
      'provider requests',
    ],
    ids.map((id) => [
      name(report, id),
      scripts(id),
      ...cells(cached[id], 2, render),
      ...cells(expired[id], 2, render),
    ]),
  );
}

function concurrencyTable(
  report: Report,
  oneTab: Rows<ConcurrencyResult>,
  threeTabs: Rows<ConcurrencyResult>,
): string {
  const render = ({ runs }: ConcurrencyResult): string[] => {
    const errors = [...new Set(runs.flatMap((run) => run.errors))];
    const alive = runs.filter((run) => run.alive).length;
    const how = [...new Set(runs.map((run) => run.aliveVia))].join('; ');
    return [
      runs.map((run) => run.tokenRequests).join(' / '),
      runs.map((run) => run.failed).join(' / ') +
        (errors.length > 0 ? ` (${errors.join('; ')})` : ''),
      `${alive} of ${runs.length} (${how})`,
    ];
  };
  const ids = report.libraries
    .map(({ id }) => id)
    .filter((id) => oneTab[id] !== undefined || threeTabs[id] !== undefined);
  const first = Object.values(oneTab).find((c) => c !== undefined && 'value' in c);
  const calls = first !== undefined && 'value' in first ? first.value.calls : '?';
  return table(
    [
      'library',
      `1 tab × ${calls}: token requests`,
      'failed calls',
      'session alive after',
      '3 tabs × 1: token requests',
      'failed calls',
      'session alive after',
    ],
    ids.map((id) => [
      name(report, id),
      ...cells(oneTab[id], 3, render),
      ...cells(threeTabs[id], 3, render),
    ]),
  );
}

function heapTable(report: Report, results: Rows<HeapResult>): string {
  return table(
    ['library', 'heap before KB', 'heap after KB', 'Δ KB', 'token requests', 'failed'],
    rowsOf(report, results, 5, (r) => [
      fixed(r.beforeKB, 0),
      fixed(r.afterKB, 0),
      fixed(r.afterKB - r.beforeKB, 0),
      String(r.tokenRequests),
      r.failed === 0 ? '0' : `${r.failed} (${r.errors.join('; ')})`,
    ]),
  );
}

/** How the expired-token measurements get expired tokens. */
function expiryNote(libraries: readonly Library[], usable: number): string {
  const lifetimes = libraries.map(
    (library) => `${library.label} ${lifetimeFor(library, usable)} s`,
  );
  return (
    `Access tokens are used for ${usable} s, then the driver waits until they are expired: ` +
    'each library renews some time before expiry (at its defaults), so each gets the lifetime ' +
    `that leaves it ${usable} s (${lifetimes.join(', ')}).`
  );
}

/** The whole report as Markdown: a header, then one table per measurement that ran. */
export function renderReport(report: Report, libraries: readonly Library[]): string {
  const { machine, settings } = report;
  const out: string[] = [
    '# Tessera bench: @tessera/browser side by side with its peers',
    '',
    `${machine.date} · ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ` +
      `load average ${machine.loadAverage.toFixed(2)} at start · ` +
      `${machine.os} · Node ${machine.node} · Chromium ${machine.chromium ?? '(not started)'} · ` +
      `run took ${Math.round(report.durationSeconds)} s`,
    '',
  ];
  const { sizes, browser } = report;
  if (sizes !== undefined) {
    out.push(
      '## 1. Bundle size of the minimal app',
      '',
      'The same app per library (construct; silent token; popup when interaction is required), ' +
        'esbuild ESM --minify, ES2022. Each chunk is compressed on its own. "All it can load" ' +
        'counts the chunks the entry reaches by static or dynamic import; esbuild also writes a ' +
        'chunk for the configuration doctor, whose only caller the minimal app never uses.',
      '',
      sizesTable(report, sizes),
      '',
    );
  }
  if (browser !== undefined) {
    if (Object.keys(browser.silent).length > 0) {
      out.push(
        '## 2. Cached silent call',
        '',
        `${settings['calls']} sequential calls after ${settings['warmup']} untimed ones, each ` +
          'timed alone with performance.now() in a cross-origin isolated page (5 µs resolution, ' +
          'jittered: medians fall on the grid, means do not).',
        '',
        silentTable(report, browser.silent),
        '',
      );
    }
    if (Object.keys(browser.coldCached).length + Object.keys(browser.coldExpired).length > 0) {
      out.push(
        '## 3. Cold start: page load → first token',
        '',
        `Median of ${settings['coldRuns']} loads (cached token) and ${settings['expiredRuns']} ` +
          'loads (access token expired, refresh token valid): median and fastest, ms from ' +
          'navigation start; in brackets the median from the start of the page script. Scripts: files of the app bundle the ' +
          'page loaded (split like a production build, so lazy parts load on first use). Provider ' +
          'requests of one load, CORS preflights included, counted at the provider.',
        '',
        expiryNote(libraries, settings['shortTtl'] ?? 0),
        '',
        coldTable(report, browser.coldCached, browser.coldExpired),
        '',
      );
    }
    if (Object.keys(browser.oneTab).length + Object.keys(browser.threeTabs).length > 0) {
      out.push(
        '## 4. Concurrent silent calls with an expired access token',
        '',
        `${settings['concurrencyRuns']} runs per scenario, figures per run. Refresh-token ` +
          'rotation on: a refresh token sent twice revokes the whole grant. ' +
          `${expiryNote(libraries, settings['shortTtl'] ?? 0)} ` +
          '"Session alive after": one more silent call with forceRefresh (or the library’s ' +
          'equivalent) succeeds; after a run that ended the session, the library signs in again.',
        '',
        concurrencyTable(report, browser.oneTab, browser.threeTabs),
        '',
      );
    }
    if (Object.keys(browser.heap).length > 0) {
      out.push(
        '## 5. JS heap',
        '',
        `Used JS heap (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) before and ` +
          `after ${settings['acquisitions']} silent calls round-robin over 50 scope sets (50 ` +
          'resources, one token each).',
        '',
        heapTable(report, browser.heap),
        '',
      );
    }
  }
  out.push(
    '## Setup',
    '',
    '- Each library has its own dev IdP (@tessera/dev-idp: automatic sign-in and consent, ' +
      'refresh-token rotation on) behind a counting front on a loopback port, and its own ' +
      'browser context; the app pages are on another loopback port. Real headless Chromium. ' +
      'Every figure goes through the same adapter interface (bench/peers/<library>.ts): a ' +
      'silent call is the adapter’s getToken, the library’s idiomatic call sequence.',
    '- Timings come from a machine that may be shared (see the load average above): compare ' +
      'libraries within one run, not across runs.',
    ...libraries.map((library) => `- ${library.label}: ${library.notes.join('; ')}.`),
    '',
  );
  return out.join('\n');
}
