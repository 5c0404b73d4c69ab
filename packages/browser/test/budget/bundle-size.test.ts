import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM helper shared with `npm run bench`, no type declarations
import { bundleSize, splitSize } from '../../../../bench/bundle-size.mjs';

type Size = { minified: number; gzipped: number };
const measure = bundleSize as (entry?: string) => Promise<Size>;
type Chunks = Size & { chunks: number };
const measureSplit = splitSize as () => Promise<{ eager: Chunks; total: Chunks }>;

// Deterministic byte budgets (esbuild --minify, gzip -9) that move only on purpose: a change that
// costs bytes raises them in its own commit and says what for (last: several accounts, Entra
// tenants and scope casing, +1.1 KB; then the doctor moved to its own entry point, -0.3 KB eager). Timings live in `npm run bench`. The figures they guard are in bench/RESULTS.md.
describe('bundle budget', () => {
  it('a minimal app using acquireTokenSilent and acquireTokenPopup, as one file, stays under 28.5 KB gzip', async () => {
    const size = await measure();
    expect(size.gzipped).toBeLessThan(28.5 * 1024);
  });

  it('built with code splitting, what a page loads up front (entry + static imports) stays under 11.75 KB gzip in at most 2 files', async () => {
    const { eager, total } = await measureSplit();
    expect(eager.gzipped).toBeLessThan(11.75 * 1024);
    // The entry and one chunk it shares with the lazy part. A module that a lazily loaded part
    // and the entry both import, or an import() esbuild sees, adds a chunk and a request to
    // every page load.
    expect(eager.chunks).toBeLessThanOrEqual(2);
    // The rest (protocol engine, popup, iframe, redirect, sign-out) loads on first use.
    expect(total.gzipped - eager.gzipped).toBeGreaterThan(15 * 1024);
  });

  it('the callback entry for popup and iframe pages stays under 1 KB gzip', async () => {
    const size = await measure(new URL('../../src/callback.ts', import.meta.url).pathname);
    expect(size.gzipped).toBeLessThan(1024);
  });
});
