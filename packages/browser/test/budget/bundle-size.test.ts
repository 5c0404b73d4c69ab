import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM helper shared with `npm run bench`, no type declarations
import { bundleSize, splitSize } from '../../../../bench/bundle-size.mjs';

type Size = { minified: number; gzipped: number };
const measure = bundleSize as (entry?: string) => Promise<Size>;
const measureSplit = splitSize as () => Promise<{ eager: Size; total: Size }>;

// Deterministic byte budgets (esbuild --minify, gzip -9) that move only on purpose: a change that
// costs bytes raises them in its own commit and says what for (last: several accounts, Entra
// tenants and scope casing, +1.1 KB). Timings live in `npm run bench`. The figures they guard are in bench/RESULTS.md.
describe('bundle budget', () => {
  it('a minimal app using acquireTokenSilent and acquireTokenPopup, as one file, stays under 28.5 KB gzip', async () => {
    const size = await measure();
    expect(size.gzipped).toBeLessThan(28.5 * 1024);
  });

  it('built with code splitting, what a page loads up front (entry + static imports) stays under 12 KB gzip', async () => {
    const { eager, total } = await measureSplit();
    expect(eager.gzipped).toBeLessThan(12 * 1024);
    // The rest (protocol engine, popup, iframe, redirect, sign-out) loads on first use.
    expect(total.gzipped - eager.gzipped).toBeGreaterThan(15 * 1024);
  });

  it('the callback entry for popup and iframe pages stays under 1 KB gzip', async () => {
    const size = await measure(new URL('../../src/callback.ts', import.meta.url).pathname);
    expect(size.gzipped).toBeLessThan(1024);
  });
});
