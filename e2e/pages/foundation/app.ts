// Foundation test page: a bare authorization code + PKCE client written with oauth4webapi, so
// the harness and the dev IdP are proven before Tessera's own client exists. The test drives
// it through `#sign-in`, `window.__result`, `window.__error` and `window.__refresh()`.
import * as oauth from 'oauth4webapi';
import type { IDToken } from 'oauth4webapi';
import { pageEnv } from '../../harness/page-env.js';

export interface SignInResult {
  idTokenClaims: IDToken;
  /** The nonce this page generated and sent in the authorization request. */
  sentNonce: string;
  accessToken: string;
  tokenType: string;
  scope: string | undefined;
  refreshToken: string | undefined;
  expiresIn: number | undefined;
}

export type RefreshResult =
  | { ok: true; accessToken: string; refreshToken: string | undefined; scope: string | undefined }
  | { ok: false; error: string; description: string | undefined; status: number | undefined };

export interface PageError {
  name: string;
  message: string;
  error?: string;
}

declare global {
  interface Window {
    __result?: SignInResult;
    __error?: PageError;
    __refresh(refreshToken?: string): Promise<RefreshResult>;
  }
}

const PENDING_KEY = 'foundation.pending';
const DEFAULT_SCOPE = 'openid profile email api://demo/read';

interface Pending {
  codeVerifier: string;
  state: string;
  nonce: string;
}

const env = pageEnv();
if (env.issuer === undefined || env.clientId === undefined || env.redirectUri === undefined) {
  throw new Error('The foundation page needs an IdP: start the env with `idp`.');
}
const issuer = new URL(env.issuer);
const redirectUri = env.redirectUri;
const scope = typeof env['scope'] === 'string' ? env['scope'] : DEFAULT_SCOPE;
const client: oauth.Client = { client_id: env.clientId };
const clientAuth = oauth.None();
// Loopback is plain http; oauth4webapi refuses that unless told otherwise.
const insecure = { [oauth.allowInsecureRequests]: true } as const;

const stateOutput = document.getElementById('state') as HTMLOutputElement;
const details = document.getElementById('details') as HTMLPreElement;
const signInButton = document.getElementById('sign-in') as HTMLButtonElement;

function show(state: string, info?: unknown): void {
  stateOutput.value = state;
  document.body.dataset['state'] = state;
  details.textContent = info === undefined ? '' : JSON.stringify(info, null, 2);
}

function describeError(error: unknown): PageError {
  if (
    error instanceof oauth.ResponseBodyError ||
    error instanceof oauth.AuthorizationResponseError
  ) {
    return { name: error.name, message: error.message, error: error.error };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

async function discover(): Promise<oauth.AuthorizationServer> {
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure });
  return oauth.processDiscoveryResponse(issuer, response);
}

async function signIn(as: oauth.AuthorizationServer): Promise<void> {
  if (as.authorization_endpoint === undefined) throw new Error('no authorization_endpoint');
  const pending: Pending = {
    codeVerifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', scope);
  url.searchParams.set(
    'code_challenge',
    await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
  );
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  location.assign(url);
}

async function completeSignIn(as: oauth.AuthorizationServer, pending: Pending): Promise<void> {
  const callbackUrl = new URL(location.href);
  // The code is single-use: take it out of the address bar and history before anything else.
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', callbackUrl.pathname);

  const params = oauth.validateAuthResponse(as, client, callbackUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    clientAuth,
    params,
    redirectUri,
    pending.codeVerifier,
    insecure,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  const idTokenClaims = oauth.getValidatedIdTokenClaims(tokens);
  if (idTokenClaims === undefined) throw new Error('no ID token');
  window.__result = {
    idTokenClaims,
    sentNonce: pending.nonce,
    accessToken: tokens.access_token,
    tokenType: tokens.token_type,
    scope: tokens.scope,
    refreshToken: tokens.refresh_token,
    expiresIn: tokens.expires_in,
  };
  show('signed-in', { sub: idTokenClaims.sub, scope: tokens.scope });
}

async function refresh(
  as: oauth.AuthorizationServer,
  refreshToken: string,
): Promise<RefreshResult> {
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientAuth,
      refreshToken,
      insecure,
    );
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    return {
      ok: true,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      scope: tokens.scope,
    };
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) {
      return {
        ok: false,
        error: error.error,
        description: error.error_description,
        status: error.status,
      };
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const as = await discover();
  window.__refresh = (refreshToken) => {
    const token = refreshToken ?? window.__result?.refreshToken;
    if (token === undefined) return Promise.reject(new Error('no refresh token'));
    return refresh(as, token);
  };

  const pendingJson = sessionStorage.getItem(PENDING_KEY);
  const query = new URLSearchParams(location.search);
  if (pendingJson !== null && (query.has('code') || query.has('error'))) {
    show('exchanging');
    await completeSignIn(as, JSON.parse(pendingJson) as Pending);
    return;
  }

  signInButton.addEventListener('click', () => {
    signInButton.disabled = true;
    signIn(as).catch(fail);
  });
  signInButton.disabled = false;
  show('ready');
}

function fail(error: unknown): void {
  window.__error = describeError(error);
  show('error', window.__error);
}

main().catch(fail);
