// The hostile suite's closing count across its files. Each family (a test file, in its own worker)
// adds its result to a file named after the Vitest process of the run; the line printed after the
// last family says how many hostile cases ran and that the six invariants held for each. Plain
// Node, no Vitest: a reporter can call `hostileSummaryLine(process.pid)` in `onTestRunEnd` to print
// the same line as the run's last.
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The families of e2e/hostile/*.e2e.ts. */
export const HOSTILE_FAMILIES = 8;

export interface FamilyResult {
  family: string;
  /** Cases that ran and held all six invariants. */
  held: number;
  /** Cases that ran and failed. */
  failed: number;
  /** Cases skipped as library defects. */
  skipped: number;
  at: number;
}

/** The run's summary file; `runPid` is the Vitest process (a test worker's parent). */
export function summaryFile(runPid: number): string {
  return join(tmpdir(), `tessera-hostile-summary-${runPid}.jsonl`);
}

/** Adds one family's result to the run's summary (from a test worker); sweeps old runs' files. */
export function recordFamily(result: Omit<FamilyResult, 'at'>, runPid = process.ppid): void {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    try {
      if (
        /^tessera-hostile-summary-\d+\.jsonl$/.test(name) &&
        statSync(path).mtimeMs < Date.now() - 864e5
      ) {
        rmSync(path, { force: true });
      }
    } catch {
      // another run's file, gone meanwhile
    }
  }
  appendFileSync(summaryFile(runPid), `${JSON.stringify({ ...result, at: Date.now() })}\n`);
}

function read(runPid: number): FamilyResult[] {
  try {
    return readFileSync(summaryFile(runPid), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as FamilyResult);
  } catch {
    return [];
  }
}

/**
 * The closing line for the families recorded so far in this run, e.g. `hostile suite: 131
 * hostile cases ran in 8 families; all six invariants held for each`; undefined when none ran.
 * With `cleanup` (a reporter at the end of the run), the summary file is removed.
 */
export function hostileSummaryLine(runPid = process.ppid, cleanup = false): string | undefined {
  const byFamily = new Map(read(runPid).map((entry) => [entry.family, entry]));
  if (byFamily.size === 0) return undefined;
  const sum = (field: 'held' | 'failed' | 'skipped') =>
    [...byFamily.values()].reduce((total, entry) => total + entry[field], 0);
  const all = byFamily.size >= HOSTILE_FAMILIES;
  if (cleanup) rmSync(summaryFile(runPid), { force: true });
  const verdict =
    sum('failed') === 0 ? 'all six invariants held for each' : `${sum('failed')} FAILED`;
  const skipped = sum('skipped') > 0 ? ` (${sum('skipped')} defect cases skipped)` : '';
  const families = all
    ? `${byFamily.size} families`
    : `${byFamily.size} of ${HOSTILE_FAMILIES} families`;
  return `hostile suite${all ? '' : ' so far'}: ${sum('held')} hostile cases ran in ${families}; ${verdict}${skipped}`;
}
