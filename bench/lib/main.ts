// The bench run: sizes, then the browser measurements, then one report (console, RESULTS.md,
// JSON). bench/run.mjs parses the command line and calls `run`.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { LIBRARIES, versionOf } from './libraries.js';
import type { LibraryId } from './libraries.js';
import { measureInBrowser } from './measure.js';
import type { BrowserResults, Measure, Settings } from './measure.js';
import { BENCH_DIR, RESULTS_DIR } from './paths.js';
import { renderReport } from './report.js';
import type { Report } from './report.js';
import { measureSizes } from './sizes.js';
import type { SizeResults } from './sizes.js';
import { startStage } from './stage.js';

export interface RunOptions extends Omit<Settings, 'log'> {
  libraries: readonly LibraryId[];
}

export const ALL_MEASURES: readonly Measure[] = ['sizes', 'silent', 'cold', 'concurrency', 'heap'];

export async function run(options: RunOptions): Promise<number> {
  const started = performance.now();
  const loadAverage = loadavg()[0] ?? NaN;
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const settings: Settings = { ...options, log };
  const libraries = LIBRARIES.filter((library) => options.libraries.includes(library.id));
  const { only } = options;

  let sizes: SizeResults | undefined;
  if (only.has('sizes')) {
    log('bundle sizes');
    sizes = await measureSizes(libraries);
  }

  let browser: BrowserResults | undefined;
  if (ALL_MEASURES.some((measure) => measure !== 'sizes' && only.has(measure))) {
    log('browser measurements');
    const stage = await startStage(libraries);
    try {
      browser = await measureInBrowser(stage, libraries, settings);
    } finally {
      await stage.close();
    }
  }

  const cpu = cpus();
  const report: Report = {
    machine: {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      cpu: cpu[0]?.model.trim() ?? 'unknown CPU',
      cores: cpu.length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadAverage,
      os: `${platform()} ${release()}`,
      node: process.versions.node,
      chromium: browser?.chromium,
    },
    libraries: libraries.map((library) => ({
      id: library.id,
      label: library.label,
      version: versionOf(library),
    })),
    settings: {
      calls: options.calls,
      warmup: options.warmup,
      coldRuns: options.coldRuns,
      expiredRuns: options.expiredRuns,
      shortTtl: options.shortTtl,
      concurrentCalls: options.concurrentCalls,
      concurrencyRuns: options.concurrencyRuns,
      acquisitions: options.acquisitions,
    },
    sizes,
    browser,
    durationSeconds: (performance.now() - started) / 1000,
  };

  const markdown = renderReport(report, libraries);
  process.stdout.write(`\n${markdown}`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  await writeFile(`${RESULTS_DIR}/latest.json`, json);
  await writeFile(`${RESULTS_DIR}/${report.machine.date.replace(/[:]/g, '-')}.json`, json);
  const complete =
    ALL_MEASURES.every((measure) => only.has(measure)) && libraries.length === LIBRARIES.length;
  if (complete) {
    await writeFile(`${BENCH_DIR}/RESULTS.md`, markdown);
    log(`\nwrote bench/RESULTS.md and bench/results/latest.json`);
  } else {
    log('\npartial run: wrote bench/results/latest.json, left bench/RESULTS.md as it was');
  }
  return 0;
}
