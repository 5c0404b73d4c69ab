/**
 * The browser side of `diagnose(app)`, loaded on first use: the shared discovery and metadata
 * checks, then what only a page can see — whether the browser may read the provider's
 * documents (CORS), whether the callback page loads in a frame, and what the provider answers
 * the library's hidden iframe.
 */
import type { FetchLike } from '../ports.js';
import type { UserAgentApplication } from '../user-agent-application.js';
import { judgeAnswer, notRegistered } from './authorization-answer.js';
import { checkCallbackPage } from './callback-checks.js';
import { checkDiscovery } from './discovery-check.js';
import { probeInIframe } from './iframe-probe.js';
import { checkProviderMetadata } from './metadata-checks.js';
import { createReport, hasFinding } from './report.js';
import { judgeTokenAnswer, sendTokenProbe } from './token-probe.js';
import type { DiagnoseOptions, Diagnosis, Finding } from './types.js';

/**
 * Tells "no CORS" from "unreachable" after a CORS fetch failed with a `TypeError`, which is all a
 * page learns in both cases: a `no-cors` request succeeds (with an opaque answer) when the
 * provider answered at all.
 */
async function explainNoAnswer(fetch: FetchLike, url: string, appOrigin: string): Promise<Finding> {
  let answered = false;
  try {
    await fetch(url, { mode: 'no-cors', credentials: 'omit', cache: 'no-store' });
    answered = true;
  } catch {
    // Not answered either way: unreachable.
  }
  const confirm = `To confirm, open the browser console (it names a CORS error), or run npx tessera-doctor --authority <authority> --client-id <id> --redirect-uri <uri> --origin ${appOrigin}, which prints the header the provider sends.`;
  return answered
    ? {
        id: 'discovery_cors_blocked',
        severity: 'error',
        message: `The browser may not read the discovery document at ${url} from this page's origin ${appOrigin}: the provider answered (a no-cors request reached it), but without "Access-Control-Allow-Origin: ${appOrigin}" (or *), so the browser hides the answer (CORS) and fetch fails with a TypeError.`,
        fix: `Allow the origin ${appOrigin} at the provider (the client's allowed web origins / CORS setting; many providers derive it from the registered single-page-app redirect URIs), and make any proxy or gateway in front of it pass the CORS headers through. ${confirm}`,
      }
    : {
        id: 'discovery_unreachable',
        severity: 'error',
        message: `The browser got no answer from ${url} (fetch failed with a TypeError, in no-cors mode too): the provider is unreachable from this page — a wrong host, port or scheme in auth.authority, the provider down, DNS, an untrusted TLS certificate, offline — or the page's Content-Security-Policy connect-src blocks it. (A missing CORS header also fails fetch with a TypeError, but then the no-cors request would have been answered.)`,
        fix: `Open ${url} in a browser tab: if it does not load, fix auth.authority or the provider; if it loads, check the page's connect-src and the console. ${confirm}`,
      };
}

/** Runs the browser checks; see `diagnose`. */
export async function runDiagnosis(
  app: UserAgentApplication,
  options: DiagnoseOptions = {},
): Promise<Diagnosis> {
  const config = app.getConfiguration();
  const fetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const win = typeof window === 'undefined' ? undefined : window;
  const appOrigin = win?.location.origin ?? new URL(config.redirectUri).origin;
  const report = createReport();

  const discovery = await checkDiscovery({
    authority: config.authority,
    protocolMode: config.protocolMode,
    clientId: config.clientId,
    fetch,
    authorityMetadata: config.authorityMetadata,
    networkTimeoutMs: config.networkTimeout,
    explainNoAnswer: (url) => explainNoAnswer(fetch, url, appOrigin),
  });
  report.merge(discovery);
  const provider = discovery.provider;
  // Read from this page: the provider allows this origin (or no request was needed).
  if (provider !== undefined && discovery.exchange !== undefined) report.pass('discovery_cors');
  if (provider !== undefined) {
    report.merge(checkProviderMetadata(provider.document, { offlineAccess: config.offlineAccess }));
  }
  if (provider !== undefined) {
    // The client probe; a TypeError means the answer could not be read here: CORS, most likely,
    // as discovery on the same provider was answered.
    try {
      const answer = await sendTokenProbe(fetch, provider.info.tokenEndpoint, {
        clientId: config.clientId,
        redirectUri: config.redirectUri,
      });
      report.pass('token_endpoint_cors');
      report.merge(judgeTokenAnswer(answer, config.clientId));
    } catch (error) {
      if (error instanceof TypeError) {
        report.add(
          'token_endpoint_cors_blocked',
          'error',
          `This page (${appOrigin}) cannot read answers of the token endpoint ${provider.info.tokenEndpoint}: a token request failed with a TypeError although discovery was answered — the provider does not allow this origin for client "${config.clientId}" (CORS), or the endpoint is unreachable.`,
          `Allow the origin ${appOrigin} for client "${config.clientId}" at the provider (allowed web origins / CORS; many providers derive it from registered single-page-app redirect URIs). npx tessera-doctor --origin ${appOrigin} prints the headers the endpoint sends.`,
        );
      }
    }
  }
  if (win === undefined) return report.diagnosis;

  const callback = await checkCallbackPage(fetch, config.redirectUri, appOrigin);
  report.merge(callback);
  if (provider === undefined) return report.diagnosis;

  const account = app.getAccount() ?? undefined;
  const probe = await probeInIframe(win, provider.protocol, {
    redirectUri: config.redirectUri,
    timeoutMs: options.timeoutMs ?? config.loadFrameTimeout,
    account: config.protocolMode === 'AAD' ? account : undefined,
  });
  if (probe.kind === 'answered') {
    report.merge(
      judgeAnswer(probe.answer, {
        redirectUri: config.redirectUri,
        clientId: config.clientId,
        signedIn:
          account === undefined
            ? undefined
            : {
                username: account.username,
                appOrigin,
                providerOrigin: new URL(provider.info.authorizationEndpoint).origin,
              },
      }),
    );
  } else if (
    probe.kind === 'timeout' &&
    (callback.findings.length > 0 || hasFinding(report.diagnosis, 'client_rejected'))
  ) {
    const first = callback.findings[0]?.id ?? 'client_rejected';
    report.add(
      'redirect_uri_unverified',
      'warning',
      `The hidden-iframe authorization request (prompt=none) did not come back to auth.redirectUri "${config.redirectUri}", but ${first === 'client_rejected' ? 'the provider does not accept the client' : 'that page cannot receive it anyway'} (see ${first}), so whether the redirect URI is registered is unknown.`,
      `Correct ${first === 'client_rejected' ? 'auth.clientId' : 'the callback page'} first, then diagnose again.`,
    );
  } else if (probe.kind === 'timeout') {
    const ms = options.timeoutMs ?? config.loadFrameTimeout;
    const finding = notRegistered(
      config.redirectUri,
      config.clientId,
      `a hidden-iframe authorization request (prompt=none, OIDC Core 3.1.2.1) did not come back to it within ${ms} ms. A provider shows an error page instead of redirecting to a redirect URI it does not know (RFC 6749 4.1.2.1). The same silence comes from a provider that refuses to be framed (X-Frame-Options / frame-ancestors on its pages), one that shows an error page for another reason, or a page at the redirect URI that does not hand the response back (it must run the app or completeAuthorizationCallback() from @tessera/browser/callback).`,
    );
    report.add(
      finding.id,
      finding.severity,
      finding.message,
      `${finding.fix} To tell the causes apart, run npx tessera-doctor --authority ${config.authority} --client-id ${config.clientId} --redirect-uri ${config.redirectUri}: it reads the provider's answer directly.`,
    );
  }
  return report.diagnosis;
}
