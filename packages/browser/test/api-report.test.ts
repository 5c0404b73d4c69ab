import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

// The committed packages/<pkg>/api-report.md files are the public APIs as reviewed; the built
// declarations (`npm test` builds first) must still give the same reports.
describe('API reports', () => {
  it('the public API of every package matches its committed report', () => {
    const result = spawnSync(process.execPath, ['scripts/api-report.mjs'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr || result.stdout).toBe(0);
  }, 120_000);
});
