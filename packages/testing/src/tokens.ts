// Real tokens from the dev IdP without a browser: authorization code + PKCE driven with fetch.
// In automatic mode the provider signs the user in and consents by itself (login_hint picks the
// user); otherwise this fills in its login and consent forms as a person would. The response is
// validated with oauth4webapi, the same engine @tessera/browser uses, and checked the same way.
import * as oauth from 'oauth4webapi';
import type { IdTokenClaims } from '@tessera/browser';
import { CookieJar, type DevIdp } from '@tessera/dev-idp';
import { authorityOf, discoveryOf, testIdpInfo } from './test-idp.js';

/** What {@link acquireTestTokens} asks the dev IdP for. */
export interface TestTokenRequest {
  /** The client; default the first client of a `TestIdp`. Required with a plain `DevIdp`. */
  clientId?: string;
  /**
   * A redirect URI registered for the client (the provider's answer is read from the redirect,
   * never loaded); default the client's first one when the dev IdP came from `startTestIdp`.
   */
  redirectUri?: string;
  /** The authority the app configures; default the dev IdP's own (its issuer). */
  authority?: string;
  /**
   * The user to sign in; default the automatic mode's user. Sent as `login_hint` (automatic
   * mode signs in that user) and typed into the login form otherwise.
   */
  username?: string;
  /**
   * The password for the login form, needed only when the dev IdP shows it (`autoLogin: false`);
   * default the password of `username` among a `TestIdp`'s `users`.
   */
  password?: string;
  /**
   * The scopes the app's access tokens are for, e.g. `['api://demo/read']`. `openid`, `profile`
   * and `offline_access` are added, as `@tessera/browser` adds them.
   */
  scopes?: readonly string[];
  /** More authorization request parameters, e.g. `{ audience: 'https://api.example' }` (Auth0). */
  extraQueryParameters?: Record<string, string>;
}

/** Tokens from one sign-in, checked as `@tessera/browser` checks a token response. */
export interface TestTokens {
  /** The client the tokens are for. */
  readonly clientId: string;
  /** The authority they came from (the app's `auth.authority`). */
  readonly authority: string;
  /** The ID token's issuer. */
  readonly issuer: string;
  readonly idToken: string;
  readonly idTokenClaims: IdTokenClaims;
  readonly accessToken: string;
  /** Always `Bearer`. */
  readonly tokenType: string;
  /** The scopes granted with the access token (the provider's `scope`, else those requested). */
  readonly grantedScopes: readonly string[];
  /** Every scope that was requested, OIDC ones included. */
  readonly requestedScopes: readonly string[];
  /** When the access token expires, ms since the epoch. */
  readonly expiresAt: number;
  /** When the response arrived, ms since the epoch. */
  readonly receivedAt: number;
  /** The refresh token, when the client gets them. */
  readonly refreshToken: string | undefined;
}

/** Scopes every sign-in of `@tessera/browser` asks for (its DEFAULT_OIDC_SCOPES). */
const OIDC_SCOPES = ['openid', 'profile', 'offline_access'];

/** The dev IdP is plain http on loopback: oauth4webapi must be told that is intended. */
const onLoopback = (url: string) =>
  new URL(url).protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};

const unescapeHtml = (value: string) =>
  value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The first form of a page: its action and the named inputs a browser would submit. */
function firstForm(html: string, base: URL): { action: URL; fields: [string, string][] } | null {
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (form === null) return null;
  const fields: [string, string][] = [];
  for (const input of (form[2] ?? '').matchAll(/<input\b[^>]*>/gi)) {
    const tag = input[0];
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    if (name === undefined || /\bdisabled\b/.test(tag)) continue;
    const type = /\btype="([^"]*)"/.exec(tag)?.[1] ?? 'text';
    if (type === 'checkbox' && !/\bchecked\b/.test(tag)) continue;
    fields.push([unescapeHtml(name), unescapeHtml(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '')]);
  }
  return { action: new URL(unescapeHtml(form[1] ?? ''), base), fields };
}

/**
 * Follows the authorization request through redirects and the dev IdP's pages until the
 * provider sends the browser to `redirectUri`; returns that URL (the authorization response).
 */
async function authorize(
  start: URL,
  redirectUri: string,
  login: { username: string | undefined; password: string | undefined },
): Promise<URL> {
  const jar = new CookieJar();
  const target = new URL(redirectUri);
  const isCallback = (url: URL) => url.origin === target.origin && url.pathname === target.pathname;
  let url = start;
  let body: URLSearchParams | undefined;
  let loginSent = false;
  for (let hop = 0; hop < 30; hop += 1) {
    const headers: Record<string, string> = { cookie: jar.header() };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers,
      ...(body !== undefined && { body: body.toString() }),
    });
    jar.store(response);
    body = undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      url = new URL(location, url);
      if (isCallback(url)) return url;
      continue;
    }
    const html = await response.text();
    const form = firstForm(html, url);
    const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1] ?? `HTTP ${response.status}`;
    if (form === null || response.status >= 400) {
      throw new Error(`The dev IdP stopped the sign-in on "${unescapeHtml(title)}" (${url.href}).`);
    }
    const fields = new URLSearchParams(form.fields);
    if (html.includes('id="login-submit"')) {
      // The login form: automatic mode is off. A second showing means the password was wrong.
      if (loginSent || login.username === undefined || login.password === undefined) {
        throw new Error(
          loginSent
            ? `The dev IdP refused the password of "${login.username ?? ''}".`
            : 'The dev IdP shows its login form (autoLogin is off): pass username and password.',
        );
      }
      fields.set('username', login.username);
      fields.set('password', login.password);
      loginSent = true;
    }
    // The consent form submits its checked scopes (all, as offered); any other form is one of
    // oidc-provider's self-submitting pages, sent on as a browser's script would.
    url = form.action;
    if (isCallback(url)) return new URL(`${url.href.split('?')[0]}?${fields.toString()}`);
    body = fields;
  }
  throw new Error('The sign-in did not come back to the redirect URI within 30 steps.');
}

/**
 * Signs a user in at the dev IdP from Node — authorization code + PKCE, with `state` and
 * `nonce` — and returns the tokens, validated as `@tessera/browser` validates them (issuer,
 * audience, nonce, `iss` in the response, Bearer type). Works in automatic mode and, given the
 * password, through the login and consent forms.
 *
 * @param idp - A dev IdP from `startTestIdp` (clients, redirect URIs and users are then known)
 *   or from `@tessera/dev-idp` (then pass `clientId` and `redirectUri`).
 * @throws Error naming the step when the sign-in cannot complete (unknown client or redirect
 *   URI, a user the dev IdP does not know, a wrong password); oauth4webapi's errors for
 *   responses that fail validation.
 */
export async function acquireTestTokens(
  idp: DevIdp,
  request: TestTokenRequest = {},
): Promise<TestTokens> {
  const kit = testIdpInfo(idp);
  const clientId = request.clientId ?? kit?.clientId;
  if (clientId === undefined || clientId === '') {
    throw new TypeError(
      'acquireTestTokens: pass clientId (the dev IdP did not come from startTestIdp).',
    );
  }
  const client = kit?.clients.find((c) => c.clientId === clientId);
  const redirectUri = request.redirectUri ?? client?.redirectUris[0];
  if (redirectUri === undefined) {
    throw new TypeError(`acquireTestTokens: pass a redirectUri registered for "${clientId}".`);
  }
  const authority = request.authority ?? authorityOf(idp);
  const password =
    request.password ?? kit?.users.find((u) => u.username === request.username)?.password;

  const discovery = discoveryOf(idp, authority);
  if (discovery.issuer.includes('{tenantid}')) {
    // A multi-tenant authority (Entra `common`): its tokens name a tenant the discovery does not.
    throw new TypeError(
      `acquireTestTokens: ${authority} is multi-tenant; pass a tenant authority (e.g. idp.entraAuthority(tenantId)).`,
    );
  }
  // oauth4webapi checks the document's issuer, as the library does.
  const as = await oauth.processDiscoveryResponse(
    new URL(discovery.issuer),
    await fetch(discovery.discoveryUrl),
  );
  // As @tessera/browser: offline_access only where the provider lists it (or lists nothing).
  const listed = as.scopes_supported;
  const offline =
    !Array.isArray(listed) || listed.length === 0 || listed.includes('offline_access');
  const requestedScopes = [
    ...new Set(
      [...OIDC_SCOPES, ...(request.scopes ?? [])].filter(
        (scope) => offline || scope !== 'offline_access',
      ),
    ),
  ];

  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const start = new URL(as.authorization_endpoint ?? '');
  start.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: requestedScopes.join(' '),
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...request.extraQueryParameters,
    ...(request.username !== undefined && { login_hint: request.username }),
  }).toString();
  const callback = await authorize(start, redirectUri, { username: request.username, password });

  const oauthClient: oauth.Client = { client_id: clientId };
  const params = oauth.validateAuthResponse(as, oauthClient, callback, state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    oauthClient,
    oauth.None(),
    params,
    redirectUri,
    verifier,
    onLoopback(as.token_endpoint ?? authority),
  );
  const result = await oauth.processAuthorizationCodeResponse(as, oauthClient, response, {
    expectedNonce: nonce,
    requireIdToken: true,
  });
  const receivedAt = Date.now();
  const claims = oauth.getValidatedIdTokenClaims(result);
  if (claims === undefined || result.id_token === undefined) {
    throw new Error('The dev IdP returned no ID token.');
  }
  if (result.token_type !== 'bearer') {
    throw new Error(`The dev IdP returned a ${result.token_type} token, not Bearer.`);
  }
  const idTokenClaims = { ...claims } as IdTokenClaims;
  // Automatic mode signs in its own user when login_hint names nobody it knows: say so, rather
  // than hand back someone else's session.
  if (
    request.username !== undefined &&
    idTokenClaims.preferred_username !== undefined &&
    idTokenClaims.preferred_username !== request.username
  ) {
    throw new Error(
      `The dev IdP signed in "${idTokenClaims.preferred_username}", not "${request.username}": is "${request.username}" one of its users?`,
    );
  }
  return {
    clientId,
    authority,
    issuer: idTokenClaims.iss,
    idToken: result.id_token,
    idTokenClaims,
    accessToken: result.access_token,
    tokenType: 'Bearer',
    grantedScopes: result.scope?.split(' ').filter(Boolean) ?? [...requestedScopes],
    requestedScopes,
    // A missing expires_in is taken as 300 s, as @tessera/browser takes it.
    expiresAt: receivedAt + (result.expires_in ?? 300) * 1000,
    receivedAt,
    refreshToken: result.refresh_token,
  };
}
