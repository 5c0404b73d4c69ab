/**
 * The checks `npx tessera-doctor` runs from Node, where the provider's headers can be read: the
 * shared discovery and metadata checks, CORS headers for the app's origin, the redirect URI's
 * registration from the provider's direct answer, and its Cross-Origin-Opener-Policy.
 * DOM-free; Node 20's global `fetch` with `redirect: 'manual'` shows redirects as they are.
 */
import { resolveConfiguration } from '../config.js';
import type { FetchLike } from '../ports.js';
import type { ProtocolMode } from '../protocol/types.js';
import { classifyDirectAnswer, judgeAnswer, notRegistered } from './authorization-answer.js';
import { checkDiscovery } from './discovery-check.js';
import { checkProviderMetadata } from './metadata-checks.js';
import { createReport, hasFinding, type ReportBuilder } from './report.js';
import { judgeTokenAnswer, sendTokenProbe } from './token-probe.js';
import type { Diagnosis } from './types.js';

/** What the CLI checks. */
export interface ServerCheckOptions {
  authority: string;
  clientId: string;
  redirectUri: string;
  /** The app's origin, sent as `Origin` in the CORS checks; default the redirect URI's. */
  origin?: string | undefined;
  protocolMode?: ProtocolMode | undefined;
  /** Default the global `fetch`. */
  fetch?: FetchLike | undefined;
  /** Time limit of each request, ms (default 10 000). */
  timeoutMs?: number | undefined;
}

/** Whether an `Access-Control-Allow-Origin` value lets `origin` read the answer (Fetch 3.2.5). */
function corsAllows(headers: Headers, origin: string): boolean {
  const allowed = headers.get('access-control-allow-origin');
  return allowed === '*' || allowed === origin;
}

const seenHeader = (headers: Headers): string => {
  const value = headers.get('access-control-allow-origin');
  return value === null
    ? 'no Access-Control-Allow-Origin'
    : `Access-Control-Allow-Origin: ${value}`;
};

const because = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  return String(cause?.code ?? cause?.message ?? (error as Error | undefined)?.message ?? error);
};

/**
 * The token endpoint must let the app's origin read its answers: a preflight (what a browser
 * sends first when a request needs one) and the client probe (`token-probe.ts`), whose error
 * answer carries the CORS headers the browser applies to real token responses (providers like
 * oidc-provider allow origins per client there) and says whether the client is known.
 */
async function checkTokenEndpointCors(
  report: ReportBuilder,
  fetch: FetchLike,
  tokenEndpoint: string,
  clientId: string,
  redirectUri: string,
  origin: string,
): Promise<void> {
  const fix = `Allow the origin ${origin} for client "${clientId}" at the provider (its allowed web origins / CORS setting; many providers derive it from registered single-page-app redirect URIs).`;
  try {
    const preflight = await fetch(tokenEndpoint, {
      method: 'OPTIONS',
      redirect: 'manual',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    if (!corsAllows(preflight.headers, origin)) {
      report.add(
        'token_endpoint_cors_blocked',
        'error',
        `The token endpoint ${tokenEndpoint} answers a CORS preflight from ${origin} with HTTP ${preflight.status} and ${seenHeader(preflight.headers)}: the browser cannot redeem codes or refresh tokens there.`,
        fix,
      );
      return;
    }
    const post = await sendTokenProbe(fetch, tokenEndpoint, {
      clientId,
      redirectUri,
      headers: { origin },
    });
    if (!corsAllows(post.headers, origin)) {
      report.add(
        'token_endpoint_cors_blocked',
        'error',
        `The token endpoint ${tokenEndpoint} answers a token request of client "${clientId}" from ${origin} with ${seenHeader(post.headers)} (its preflight is allowed): the browser cannot read token responses.`,
        fix,
      );
      return;
    }
    report.pass('token_endpoint_cors');
    report.merge(judgeTokenAnswer(post, clientId));
  } catch (error) {
    report.add(
      'token_endpoint_cors_blocked',
      'error',
      `No answer from the token endpoint ${tokenEndpoint} (${because(error)}).`,
      "Check the provider's token_endpoint in its discovery document, and that it is reachable.",
    );
  }
}

/** Runs the CLI's checks. @throws ClientConfigurationError for an invalid authority, redirect URI or mode. */
export async function runServerChecks(options: ServerCheckOptions): Promise<Diagnosis> {
  // The library's own validation and defaults (AAD mode for Microsoft hosts, https rules).
  const config = resolveConfiguration(
    {
      auth: {
        clientId: options.clientId,
        authority: options.authority,
        redirectUri: options.redirectUri,
        ...(options.protocolMode !== undefined && { protocolMode: options.protocolMode }),
      },
    },
    undefined,
  );
  const fetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const origin = options.origin ?? new URL(config.redirectUri).origin;
  const report = createReport();

  const discovery = await checkDiscovery({
    authority: config.authority,
    protocolMode: config.protocolMode,
    clientId: config.clientId,
    fetch,
    networkTimeoutMs: options.timeoutMs,
    headers: { origin },
    explainNoAnswer: (url, error) =>
      Promise.resolve({
        id: 'discovery_unreachable',
        severity: 'error',
        message: `No answer from ${url} (${because(error)}).`,
        fix: 'Check auth.authority (scheme, host, port and path) and that the provider is running and reachable from here.',
      }),
  });
  report.merge(discovery);
  const exchange = discovery.exchange;
  if (exchange !== undefined && exchange.status === 200) {
    if (corsAllows(exchange.headers, origin)) {
      report.pass('discovery_cors');
    } else {
      report.add(
        'discovery_cors_blocked',
        'error',
        `The discovery document at ${exchange.url} comes with ${seenHeader(exchange.headers)} for Origin ${origin}: a browser on ${origin} cannot read it (CORS), and fetch fails there with a TypeError.`,
        `Allow the origin ${origin} at the provider (the client's allowed web origins / CORS setting), and make any proxy or gateway in front of it pass the CORS headers through.`,
      );
    }
  }
  const provider = discovery.provider;
  if (provider === undefined) return report.diagnosis;
  report.merge(checkProviderMetadata(provider.document, { offlineAccess: config.offlineAccess }));
  await checkTokenEndpointCors(
    report,
    fetch,
    provider.info.tokenEndpoint,
    config.clientId,
    config.redirectUri,
    origin,
  );

  // The redirect URI: the library's own authorization URL (PKCE S256, state, nonce) with
  // prompt=none (OIDC Core 3.1.2.1), its answer read without following it.
  try {
    const { url } = await provider.protocol.createAuthorizationRequest({
      redirectUri: config.redirectUri,
      scopes: ['openid'],
      prompt: 'none',
    });
    const answer = await fetch(url.href, { redirect: 'manual' });
    const coop = answer.headers.get('cross-origin-opener-policy');
    if (coop !== null && !/^\s*unsafe-none\b/i.test(coop)) {
      report.diagnosis.notes.push({
        id: 'authorization_coop',
        message: `The authorization endpoint sends "Cross-Origin-Opener-Policy: ${coop}": a sign-in popup showing it is severed from the app (window.opener is null, popup.closed reads true). Popups still work: the callback page hands the result back over a BroadcastChannel keyed by state, not through the opener.`,
      });
    }
    const verdict = classifyDirectAnswer(
      answer.status,
      answer.headers.get('location'),
      config.redirectUri,
      url.href,
    );
    if (verdict.kind === 'answered') {
      report.merge(
        judgeAnswer(verdict.answer, { redirectUri: config.redirectUri, clientId: config.clientId }),
      );
    } else if (
      verdict.kind === 'not_registered' &&
      hasFinding(report.diagnosis, 'client_rejected')
    ) {
      report.add(
        'redirect_uri_unverified',
        'warning',
        `Whether auth.redirectUri "${config.redirectUri}" is registered is unknown: the provider does not accept the client (see client_rejected), and ${verdict.detail}.`,
        'Correct auth.clientId first, then check again.',
      );
    } else if (verdict.kind === 'not_registered') {
      const finding = notRegistered(
        config.redirectUri,
        config.clientId,
        `to an authorization request with it (prompt=none), ${verdict.detail}.`,
      );
      report.add(finding.id, finding.severity, finding.message, finding.fix);
    } else {
      report.add(
        'redirect_uri_unverified',
        'warning',
        `Whether auth.redirectUri "${config.redirectUri}" is registered is unknown: ${verdict.detail}.`,
        'Try again later; if it persists, check the client at the provider.',
      );
    }
  } catch (error) {
    report.add(
      'redirect_uri_unverified',
      'warning',
      `Whether auth.redirectUri "${config.redirectUri}" is registered is unknown: no answer from the authorization endpoint (${because(error)}).`,
      "Check the provider's authorization_endpoint in its discovery document, and that it is reachable.",
    );
  }
  return report.diagnosis;
}
