import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { LIBRARIES, lifetimeFor } from '../lib/libraries.js';
import type { Library, LibraryId } from '../lib/libraries.js';
import { startProviderFront } from '../lib/provider-front.js';
import { renderReport } from '../lib/report.js';
import type { Report } from '../lib/report.js';
import { bundleSize, eagerChunks, splitSize } from '../lib/sizes.js';

const library = (id: LibraryId): Library => {
  const found = LIBRARIES.find((entry) => entry.id === id);
  if (found === undefined) throw new Error(id);
  return found;
};

describe('expired-token lifetimes', () => {
  it('leave every library the same usable time under its own renewal rule', () => {
    expect(lifetimeFor(library('tessera'), 5)).toBe(10); // renews at half the lifetime
    expect(lifetimeFor(library('msal-browser'), 5)).toBe(305);
    expect(lifetimeFor(library('auth0-spa-js'), 5)).toBe(65);
  });
});

describe('eager chunks', () => {
  it('follow static imports transitively and stop at dynamic ones', () => {
    const output = (imports: Metafile['outputs'][string]['imports'], entryPoint?: string) => ({
      bytes: 1,
      inputs: {},
      exports: [],
      imports,
      ...(entryPoint !== undefined && { entryPoint }),
    });
    const metafile: Metafile = {
      inputs: {},
      outputs: {
        'out/lazy.js': output([{ path: 'out/shared.js', kind: 'import-statement' }]),
        'out/main.js': output(
          [
            { path: 'out/a.js', kind: 'import-statement' },
            { path: 'out/lazy.js', kind: 'dynamic-import' },
          ],
          'main.ts',
        ),
        'out/a.js': output([{ path: 'out/shared.js', kind: 'import-statement' }]),
        'out/shared.js': output([]),
      },
    };
    expect([...eagerChunks(metafile)]).toEqual(['out/main.js', 'out/a.js', 'out/shared.js']);
  });

  it('of the minimal app are part of all its chunks', async () => {
    const [split, one] = await Promise.all([splitSize(), bundleSize()]);
    expect(split.eager.chunks).toBeLessThanOrEqual(split.total.chunks);
    expect(split.eager.minified).toBeLessThanOrEqual(split.total.minified);
    // Splitting moves code around; it adds only a little glue.
    expect(Math.abs(split.total.minified - one.minified) / one.minified).toBeLessThan(0.05);
  });
});

describe('provider front', () => {
  it('counts by kind, maps /oauth/token and forwards with the browser’s Host', async () => {
    const seen: string[] = [];
    const upstream = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.host}`);
      res.end('ok');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const front = await startProviderFront();
    try {
      front.target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      await fetch(`${front.url}/.well-known/openid-configuration`);
      await fetch(`${front.url}/oauth/token`, { method: 'POST', body: 'grant_type=x' });
      await fetch(`${front.url}/token`, { method: 'OPTIONS' });
      expect(front.counts()).toMatchObject({ total: 3, discovery: 1, token: 1, preflight: 1 });
      expect(seen[1]).toBe(`POST /token 127.0.0.1:${front.port}`);
      front.reset();
      expect(front.counts().total).toBe(0);
    } finally {
      await front.close();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});

describe('report', () => {
  it('puts the reason of a missing figure in the table', () => {
    const report: Report = {
      machine: {
        date: '2026-01-01T00:00:00Z',
        cpu: 'cpu',
        cores: 2,
        memoryGiB: 4,
        loadAverage: 0.5,
        os: 'linux',
        node: '20',
        chromium: '1',
      },
      libraries: [
        { id: 'tessera', label: '@tessera/browser', version: '0.1.0' },
        { id: 'oidc-client-ts', label: 'oidc-client-ts', version: '3.5.0' },
      ],
      settings: { calls: 10, warmup: 1, acquisitions: 10 },
      sizes: undefined,
      browser: {
        chromium: '1',
        silent: { tessera: { error: 'it broke' } },
        coldCached: {},
        coldExpired: {},
        oneTab: {},
        threeTabs: {},
        heap: { 'oidc-client-ts': { na: 'one token per user' } },
      },
      durationSeconds: 1,
    };
    const text = renderReport(report, [library('tessera'), library('oidc-client-ts')]);
    expect(text).toMatch(/\| @tessera\/browser 0\.1\.0 +\| error: it broke/);
    expect(text).toMatch(/\| oidc-client-ts 3\.5\.0 +\| n\/a: one token per user/);
    expect(text).not.toContain('## 3.');
  });
});
