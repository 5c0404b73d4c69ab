// Test helpers: a browser-ish redirect follower with a cookie jar, and oauth4webapi glue.
import * as oauth from 'oauth4webapi';
import { onTestFinished } from 'vitest';
import { CookieJar, startDevIdp } from '../src/index.js';
import type { DevIdp, DevIdpOptions } from '../src/index.js';

/** Options for oauth4webapi calls against the http (loopback) dev IdP. */
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** The default client of the dev IdP. */
export const DEMO_CLIENT: oauth.Client = { client_id: 'tessera-demo' };
export const DEMO_REDIRECT = 'http://127.0.0.1:5173/';

/** The tests keep the dev IdP's cookies in the package's own jar. */
export { CookieJar };

/** Where a redirect chain ended: at the client's redirect URI, or on a page of the IdP. */
export type Landing =
  | { kind: 'callback'; url: URL }
  | { kind: 'page'; url: URL; status: number; html: string; headers: Headers };

/** A GET or form POST sent like a browser would (cookies, no automatic redirects). */
export async function browse(
  jar: CookieJar,
  url: string | URL,
  form?: URLSearchParams,
): Promise<Response> {
  const headers: Record<string, string> = { cookie: jar.header() };
  const init: RequestInit = { redirect: 'manual', headers };
  if (form !== undefined) {
    init.method = 'POST';
    init.body = form.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const response = await fetch(url, init);
  jar.store(response);
  return response;
}

/** A page whose script submits its first form at once (what a browser with script does). */
function autoSubmitted(
  html: string,
  base: URL,
): { action: URL; form: URLSearchParams } | undefined {
  if (!/<script>[^<]*\.submit\(\)/.test(html)) return undefined;
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (action === undefined) return undefined;
  const form = new URLSearchParams();
  for (const input of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    form.append(input[1] ?? '', (input[2] ?? '').replaceAll('&amp;', '&'));
  }
  return { action: new URL(action.replaceAll('&amp;', '&'), base), form };
}

/**
 * Follows redirects (and self-submitting forms) from `start` until one leaves for
 * `redirectUri` or a page is shown.
 */
export async function follow(
  jar: CookieJar,
  start: string | URL,
  redirectUri: string,
  form?: URLSearchParams,
): Promise<Landing> {
  let url = new URL(start);
  let response = await browse(jar, url, form);
  for (let hop = 0; hop < 20; hop += 1) {
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) {
      const html = await response.text();
      const next = autoSubmitted(html, url);
      if (next === undefined) {
        return { kind: 'page', url, status: response.status, html, headers: response.headers };
      }
      url = next.action;
      if (url.href.startsWith(redirectUri)) return { kind: 'callback', url };
      response = await browse(jar, url, next.form);
      continue;
    }
    await response.body?.cancel();
    url = new URL(location, url);
    if (url.href.startsWith(redirectUri)) return { kind: 'callback', url };
    response = await browse(jar, url);
  }
  throw new Error(`too many redirects, last at ${url.href}`);
}

/** An authorization request with PKCE, state and nonce. */
export interface AuthRequest {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

/** Builds an authorization URL for a public client. */
export async function authorizationUrl(
  as: oauth.AuthorizationServer,
  params: {
    clientId?: string;
    redirectUri?: string;
    scope: string;
    prompt?: string;
    loginHint?: string;
  },
): Promise<AuthRequest> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint ?? '');
  url.searchParams.set('client_id', params.clientId ?? DEMO_CLIENT.client_id);
  url.searchParams.set('redirect_uri', params.redirectUri ?? DEMO_REDIRECT);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', params.scope);
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (params.prompt !== undefined) url.searchParams.set('prompt', params.prompt);
  if (params.loginHint !== undefined) url.searchParams.set('login_hint', params.loginHint);
  return { url, verifier, state, nonce };
}

/** Discovery through oauth4webapi (which also checks the issuer). */
export async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const issuerUrl = new URL(issuer);
  const response = await oauth.discoveryRequest(issuerUrl, { algorithm: 'oidc', ...insecure });
  return oauth.processDiscoveryResponse(issuerUrl, response);
}

/** Exchanges the code in `callback` (checking `iss` and `state`) for tokens. */
export async function redeem(
  as: oauth.AuthorizationServer,
  request: AuthRequest,
  callback: URL,
  client: oauth.Client = DEMO_CLIENT,
  redirectUri: string = DEMO_REDIRECT,
): Promise<oauth.TokenEndpointResponse> {
  const params = oauth.validateAuthResponse(as, client, callback, request.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri,
    request.verifier,
    insecure,
  );
  return oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: request.nonce,
    requireIdToken: true,
  });
}

/** Runs a refresh_token grant. */
export async function refresh(
  as: oauth.AuthorizationServer,
  refreshToken: string,
  client: oauth.Client = DEMO_CLIENT,
): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.refreshTokenGrantRequest(
    as,
    client,
    oauth.None(),
    refreshToken,
    insecure,
  );
  return oauth.processRefreshTokenResponse(as, client, response);
}

/** The OAuth error code of a rejected promise (oauth4webapi's ResponseBodyError). */
export async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) return error.error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

/** Decodes a JWT's payload without verifying it. */
export function jwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Form fields of an HTML page's first form: action and the named inputs. */
export function formAction(html: string, base: URL): URL {
  const match = /<form[^>]*action="([^"]+)"/.exec(html);
  if (match?.[1] === undefined) throw new Error('no form on the page');
  return new URL(match[1].replaceAll('&amp;', '&'), base);
}

/**
 * Starts a dev IdP in automatic mode (alice) for the running test, and closes it when the test
 * ends — every one a test starts, not only the last.
 */
export async function startForTest(options: DevIdpOptions = {}): Promise<DevIdp> {
  const idp = await startDevIdp({ autoLogin: { username: 'alice' }, ...options });
  onTestFinished(() => idp.close());
  return idp;
}

/**
 * Follows an authorization request in automatic mode to the redirect URI; throws with the page
 * it stopped on instead (a login, consent or error page).
 */
export async function landAtCallback(jar: CookieJar, url: URL): Promise<URL> {
  const landing = await follow(jar, url, DEMO_REDIRECT);
  if (landing.kind !== 'callback') throw new Error(`stopped on a page: ${landing.html}`);
  return landing.url;
}
