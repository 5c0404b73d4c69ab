import { describe, expect, it } from 'vitest';
import { checkCallbackPage, framingProblem } from '../../src/diagnose/callback-checks.js';
import { APP_ORIGIN, REDIRECT_URI, fakeFetch } from './fakes.js';

describe('callback page framing (CSP frame-ancestors, X-Frame-Options)', () => {
  it.each([
    [null, null],
    ['SAMEORIGIN', null],
    [null, "default-src 'self'; frame-ancestors 'self'"],
    [null, 'frame-ancestors https://app.example.com'],
    [null, 'frame-ancestors https://*.example.com'],
    [null, 'frame-ancestors app.example.com:443'],
    [null, 'frame-ancestors https:'],
    [null, 'frame-ancestors *'],
    // frame-ancestors wins over X-Frame-Options (CSP 3).
    ['DENY', "frame-ancestors 'self'"],
    // Several invalid values are ignored (HTML standard).
    ['foo, bar', null],
  ])('allows X-Frame-Options %s with CSP %s', (xfo, csp) => {
    expect(framingProblem(xfo, csp, APP_ORIGIN)).toBeUndefined();
  });

  it.each([
    ['DENY', null, 'X-Frame-Options: DENY'],
    ['SAMEORIGIN, DENY', null, 'X-Frame-Options'],
    [null, "frame-ancestors 'none'", "frame-ancestors 'none'"],
    [null, 'frame-ancestors https://portal.example.org', 'does not allow https://app.example.com'],
    [null, 'frame-ancestors https://app.example.com:8443', 'frame-ancestors'],
    [null, 'frame-ancestors wss:', 'frame-ancestors'],
    // Every policy must allow.
    [null, "frame-ancestors 'self', frame-ancestors 'none'", "'none'"],
  ])('blocks X-Frame-Options %s with CSP %s', (xfo, csp, named) => {
    expect(framingProblem(xfo, csp, APP_ORIGIN)).toContain(named);
  });

  it('an http app may be framed by a source without scheme or with https upgrade', () => {
    expect(
      framingProblem(null, 'frame-ancestors localhost:5173', 'http://localhost:5173'),
    ).toBeUndefined();
    expect(
      framingProblem(null, 'frame-ancestors localhost:5174', 'http://localhost:5173'),
    ).toBeDefined();
  });
});

describe('callback page check', () => {
  it('a framable page that loads passes', async () => {
    const fake = fakeFetch({ [REDIRECT_URI]: () => new Response('<html></html>') });
    expect(await checkCallbackPage(fake.fetch, REDIRECT_URI, APP_ORIGIN)).toEqual({
      findings: [],
      passed: ['callback_page'],
    });
  });

  it('a 404 is callback_page_unreachable with the status', async () => {
    const fake = fakeFetch({});
    const result = await checkCallbackPage(fake.fetch, REDIRECT_URI, APP_ORIGIN);
    expect(result.findings.map((f) => f.id)).toEqual(['callback_page_unreachable']);
    expect(result.findings[0]!.message).toContain('HTTP 404');
  });

  it('a fetch failure is callback_page_unreachable', async () => {
    const result = await checkCallbackPage(
      () => Promise.reject(new TypeError('Failed to fetch')),
      REDIRECT_URI,
      APP_ORIGIN,
    );
    expect(result.findings.map((f) => f.id)).toEqual(['callback_page_unreachable']);
  });

  it('X-Frame-Options DENY is callback_page_not_framable with the fix for its path', async () => {
    const fake = fakeFetch({
      [REDIRECT_URI]: () => new Response('', { headers: { 'x-frame-options': 'DENY' } }),
    });
    const result = await checkCallbackPage(fake.fetch, REDIRECT_URI, APP_ORIGIN);
    expect(result.findings.map((f) => f.id)).toEqual(['callback_page_not_framable']);
    expect(result.findings[0]!.message).toContain('X-Frame-Options: DENY');
    expect(result.findings[0]!.fix).toContain("frame-ancestors 'self'");
    expect(result.findings[0]!.fix).toContain('/callback');
    expect(result.passed).toEqual([]);
  });
});
