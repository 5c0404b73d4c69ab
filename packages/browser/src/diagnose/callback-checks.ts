/**
 * The callback page (the redirect URI) must load and, for silent renewal, load inside the app's
 * hidden iframe: its `X-Frame-Options` and CSP `frame-ancestors` must allow the app's origin.
 * The page is on the app's own origin (configuration requires it), so a same-origin `fetch`
 * reads its status and headers.
 */
import type { FetchLike } from '../ports.js';
import { createReport } from './report.js';
import type { Diagnosis } from './types.js';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** Whether one CSP source expression (CSP 3, "matches a source list") matches `origin`. */
function sourceMatches(source: string, origin: URL): boolean {
  const s = source.toLowerCase();
  // 'self' is the protected page's origin: the callback page is on the app's origin.
  if (s === "'self'" || s === '*') return true;
  const upgrades = (scheme: string): boolean =>
    scheme === origin.protocol || (scheme === 'http:' && origin.protocol === 'https:');
  if (/^[a-z][a-z0-9+.-]*:$/.test(s)) return upgrades(s);
  const match =
    /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*|(?:\*\.)?[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d+|\*))?(?:\/.*)?$/.exec(
      s,
    );
  if (match === null) return false;
  const [, scheme, host = '', port] = match;
  const protocol = scheme === undefined ? origin.protocol : `${scheme}:`;
  if (!upgrades(protocol)) return false;
  const hostOk =
    host === '*' ||
    (host.startsWith('*.') ? origin.hostname.endsWith(host.slice(1)) : host === origin.hostname);
  if (!hostOk || port === '*') return hostOk;
  return (port ?? DEFAULT_PORTS[protocol]) === (origin.port || DEFAULT_PORTS[origin.protocol]);
}

/**
 * Why a page with these headers cannot be framed by a same-origin parent at `appOrigin`, or
 * undefined when it can. CSP `frame-ancestors` (CSP 3; every policy must allow) wins over
 * `X-Frame-Options`, which is read as the HTML standard does (a conflicting list blocks).
 */
export function framingProblem(
  xFrameOptions: string | null,
  contentSecurityPolicy: string | null,
  appOrigin: string,
): string | undefined {
  const origin = new URL(appOrigin);
  let ancestorsSet = false;
  for (const policy of (contentSecurityPolicy ?? '').split(',')) {
    for (const directive of policy.split(';')) {
      const [name = '', ...sources] = directive.trim().split(/\s+/);
      if (name.toLowerCase() !== 'frame-ancestors') continue;
      ancestorsSet = true;
      if (!sources.some((source) => sourceMatches(source, origin))) {
        return `its Content-Security-Policy has "frame-ancestors ${sources.join(' ')}", which does not allow ${appOrigin}`;
      }
    }
  }
  if (ancestorsSet || xFrameOptions === null) return undefined;
  const values = new Set(
    xFrameOptions
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean),
  );
  const known = ['deny', 'sameorigin', 'allowall'].some((v) => values.has(v));
  if ((values.size > 1 && known) || values.has('deny')) {
    return `it sends "X-Frame-Options: ${xFrameOptions}"`;
  }
  // SAMEORIGIN: the parent (the app) is on the page's own origin.
  return undefined;
}

/**
 * `callback_page`: a same-origin GET of the redirect URI (carrying no response parameters) must
 * succeed, and its headers must let the app frame it (the hidden iframe of silent renewal).
 */
export async function checkCallbackPage(
  fetch: FetchLike,
  redirectUri: string,
  appOrigin: string,
): Promise<Pick<Diagnosis, 'findings' | 'passed'>> {
  const report = createReport();
  let response: Response;
  try {
    response = await fetch(redirectUri, { credentials: 'same-origin', cache: 'no-store' });
  } catch (cause) {
    report.add(
      'callback_page_unreachable',
      'error',
      `auth.redirectUri "${redirectUri}" could not be loaded (${String(cause)}): the provider's responses would land nowhere.`,
      'Serve a page at the redirect URI: the app itself, or a callback page that runs completeAuthorizationCallback() from @tessera/browser/callback.',
    );
    return report.part();
  }
  if (!response.ok) {
    report.add(
      'callback_page_unreachable',
      'error',
      `auth.redirectUri "${redirectUri}" answers HTTP ${response.status}: the provider's responses would land on an error page.`,
      'Serve a page at the redirect URI (for a single-page app with client-side routing, let the server answer that path with the app), or set auth.redirectUri to a page that exists.',
    );
    return report.part();
  }
  const problem = framingProblem(
    response.headers.get('x-frame-options'),
    response.headers.get('content-security-policy'),
    appOrigin,
  );
  if (problem !== undefined) {
    report.add(
      'callback_page_not_framable',
      'error',
      `auth.redirectUri "${redirectUri}" cannot be loaded in the app's hidden iframe: ${problem}. Silent renewal by iframe (prompt=none) then always times out.`,
      `Let the app frame its callback page: send "Content-Security-Policy: frame-ancestors 'self'" (and no "X-Frame-Options: DENY") for ${new URL(redirectUri).pathname}, or use a dedicated callback page that allows it.`,
    );
    return report.part();
  }
  report.pass('callback_page');
  return report.part();
}
