import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM helper shared with `npm run bench`, no type declarations
import { bundleSize } from '../../../../bench/bundle-size.mjs';

type Size = { minified: number; gzipped: number };
const measure = bundleSize as (entry?: string) => Promise<Size>;

// Deterministic byte budgets (esbuild --minify, gzip -9); timings live in `npm run bench`.
describe('bundle budget', () => {
  it('a minimal app using acquireTokenSilent and acquireTokenPopup stays under 25 KB gzip', async () => {
    const size = await measure();
    expect(size.gzipped).toBeLessThan(25 * 1024);
  });

  it('the callback entry for popup and iframe pages stays under 1.5 KB gzip', async () => {
    const size = await measure(new URL('../../src/callback.ts', import.meta.url).pathname);
    expect(size.gzipped).toBeLessThan(1536);
  });
});
