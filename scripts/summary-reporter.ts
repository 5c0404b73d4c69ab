import type { Reporter, TestModule } from 'vitest/node';
import { hostileSummaryLine } from '../e2e/hostile/summary.js';

/**
 * Prints the closing lines: the hostile-provider suite's verdict when it ran, then
 * `tests: N passed, N failed, N skipped`, which CI systems read without knowing Vitest's own
 * summary format.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed += 1;
    }
    // The hostile-provider suite's verdict (how many cases, whether all six invariants held),
    // collected from its workers; absent when the run had none of its files.
    const hostile = hostileSummaryLine(process.pid, true);
    if (hostile !== undefined) process.stdout.write(`\n${hostile}`);
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
