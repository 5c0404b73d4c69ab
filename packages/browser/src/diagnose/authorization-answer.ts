/**
 * What a `prompt=none` authorization request's answer says about the setup (OIDC Core 3.1.2.1:
 * with `prompt=none` the provider must not show a page; it answers at the redirect URI, with an
 * error when it needs the user). Shared by the browser's hidden-iframe probe and the CLI's
 * direct request. Pure: no I/O, no DOM.
 */
import { LOGIN_REQUIRED, INTERACTION_REQUIRED } from '../errors/error-codes.js';
import { readAuthorizationResponseParams } from '../response-params.js';
import { createReport } from './report.js';
import type { Diagnosis } from './types.js';

/** The errors a `prompt=none` request gets when only the user can continue (OIDC Core 3.1.2.6). */
const NEEDS_USER = new Set([
  LOGIN_REQUIRED,
  INTERACTION_REQUIRED,
  'consent_required',
  'account_selection_required',
]);

/** An authorization response at the redirect URI, reduced to what the checks read (no code). */
export interface AuthorizationAnswer {
  /** The `error` parameter, when the provider answered with one. */
  error: string | undefined;
  errorDescription: string | undefined;
  /** Whether a code came back (the code itself is never kept: a probe exchanges nothing). */
  code: boolean;
}

/** Reads an authorization response URL, dropping the code. */
export function answerOf(url: URL): AuthorizationAnswer | undefined {
  const params = readAuthorizationResponseParams(url);
  if (params === undefined) return undefined;
  return {
    error: params.get('error') ?? undefined,
    // Provider text: shown as text, shortened.
    errorDescription: params.get('error_description')?.slice(0, 200) ?? undefined,
    code: params.has('code'),
  };
}

/** The app and provider, for the messages. */
export interface AnswerContext {
  redirectUri: string;
  clientId: string;
  /**
   * The account signed in to the app here, when the probe ran in the browser's iframe: a
   * `login_required` then means the provider's session cookie did not reach the iframe.
   */
  signedIn?: { username: string; appOrigin: string; providerOrigin: string } | undefined;
}

/**
 * Judges an answer that reached the redirect URI: that alone proves the redirect URI registered
 * (RFC 6749 4.1.2.1: a provider never redirects to an unregistered one). An error other than the
 * "needs the user" ones is a finding; with an account signed in, a `login_required` or
 * `interaction_required` in the iframe means the session cookie was withheld.
 */
export function judgeAnswer(
  answer: AuthorizationAnswer,
  context: AnswerContext,
): Pick<Diagnosis, 'findings' | 'passed'> {
  const report = createReport();
  report.pass('redirect_uri_registered');
  const { error } = answer;
  if (error !== undefined && !NEEDS_USER.has(error)) {
    const described = answer.errorDescription ? ` (${answer.errorDescription})` : '';
    report.add(
      'authorization_error',
      'error',
      `The provider answered an authorization request of client "${context.clientId}" at ${context.redirectUri} with error "${error}"${described} (RFC 6749 4.1.2.1).`,
      error === 'unauthorized_client'
        ? `Allow the authorization code flow for client "${context.clientId}" at the provider (a single-page application / public client with PKCE).`
        : error === 'invalid_scope'
          ? 'Allow the openid scope for this client at the provider.'
          : `Check the settings of client "${context.clientId}" at the provider against the error description.`,
    );
    return report.part();
  }
  const signedIn = context.signedIn;
  if (signedIn === undefined) return report.part();
  if (error === LOGIN_REQUIRED || error === INTERACTION_REQUIRED) {
    report.add(
      'third_party_cookies_blocked',
      'warning',
      `"${signedIn.username}" is signed in here, but the provider answered the hidden-iframe request (prompt=none, OIDC Core 3.1.2.1) with ${error}: it saw no session. The likely cause: the browser withholds the provider's session cookie from the iframe, because the app (${signedIn.appOrigin}) and the provider (${signedIn.providerOrigin}) are different sites (third-party cookie blocking, or SameSite=Lax cookies). The other cause: the provider session ended (signed out there, or expired).`,
      "Renew with refresh tokens instead of the iframe: keep offline_access (leave auth.offlineAccess unset) and enable refresh tokens for this client at the provider; or serve the provider on the app's site (e.g. login.example.com for app.example.com). To tell the causes apart, sign in again and diagnose at once: login_required again means the cookie is withheld.",
    );
  } else if (answer.code) {
    report.pass('iframe_session');
  }
  return report.part();
}

/** What a provider did with a `prompt=none` request sent without following redirects (the CLI). */
export type DirectAnswer =
  | { kind: 'answered'; answer: AuthorizationAnswer }
  | { kind: 'not_registered'; detail: string }
  | { kind: 'unverified'; detail: string };

/**
 * Classifies the provider's HTTP answer to an authorization request (RFC 6749 4.1.2, 4.1.2.1): a
 * redirect to the redirect URI (with a code or an error) means registered; a page (2xx, 4xx) or
 * a redirect elsewhere means the provider would not send the response there; a 5xx proves
 * nothing.
 */
export function classifyDirectAnswer(
  status: number,
  location: string | null,
  redirectUri: string,
  authorizationEndpoint: string,
): DirectAnswer {
  if (status >= 300 && status < 400 && location !== null) {
    const target = new URL(location, authorizationEndpoint);
    const expected = new URL(redirectUri);
    if (target.origin === expected.origin && target.pathname === expected.pathname) {
      const answer = answerOf(target);
      if (answer !== undefined) return { kind: 'answered', answer };
    }
    return {
      kind: 'not_registered',
      detail: `it redirected to ${target.origin}${target.pathname} instead`,
    };
  }
  if (status >= 500) {
    return { kind: 'unverified', detail: `the provider failed with HTTP ${status}` };
  }
  return {
    kind: 'not_registered',
    detail: `it showed a page (HTTP ${status}) instead of redirecting back, as providers do for a redirect URI they do not trust (RFC 6749 4.1.2.1)`,
  };
}

/** The `redirect_uri_not_registered` finding's text, for both environments. */
export function notRegistered(redirectUri: string, clientId: string, why: string) {
  return {
    id: 'redirect_uri_not_registered' as const,
    severity: 'error' as const,
    message: `auth.redirectUri "${redirectUri}" seems not registered for client "${clientId}": ${why}`,
    fix: `Register "${redirectUri}" exactly (scheme, host, port, path and trailing slash; RFC 6749 3.1.2.2) as a redirect URI of client "${clientId}" at the provider, as a single-page application / public client, or set auth.redirectUri to one that is registered.`,
  };
}
