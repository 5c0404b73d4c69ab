// A signed-in session put straight into the browser: real tokens from the dev IdP, turned into
// the exact storage entries @tessera/browser reads at start-up, and installed by an init script
// before the app's first script runs — no login page in the e2e test.
import { sessionStorageEntries, type StorageEntry } from '@tessera/browser/testing';
import type { DevIdp } from '@tessera/dev-idp';
import { acquireTestTokens, type TestTokenRequest, type TestTokens } from './tokens.js';

export type { StorageEntry };

/** Options of {@link sessionEntries}. */
export interface SessionEntriesOptions {
  /** Make the account the active one, as an interactive sign-in does (default true). */
  active?: boolean;
}

/**
 * The storage entries that make the app (the tokens' client id and authority) start signed in
 * with these tokens: the account record `tessera.v1.account.<clientId>|<homeAccountId>` and the
 * active account `tessera.v1.active.<clientId>`. Built by `@tessera/browser/testing` from the
 * library's own storage format, so they are exactly what the library reads.
 */
export function sessionEntries(
  tokens: TestTokens,
  options: SessionEntriesOptions = {},
): StorageEntry[] {
  return sessionStorageEntries({
    clientId: tokens.clientId,
    authority: tokens.authority,
    idToken: tokens.idToken,
    idTokenClaims: tokens.idTokenClaims,
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    grantedScopes: tokens.grantedScopes,
    requestedScopes: tokens.requestedScopes,
    expiresAt: tokens.expiresAt,
    refreshToken: tokens.refreshToken,
    now: tokens.receivedAt,
    ...(options.active !== undefined && { active: options.active }),
  });
}

/**
 * What {@link signIn} installs scripts into: a Playwright `BrowserContext` or `Page` (also from
 * `@playwright/test`). Structural, so this package needs no Playwright of its own.
 */
export interface InitScriptTarget {
  addInitScript(script: { content: string }): Promise<unknown>;
}

/** Options of {@link signIn}. */
export interface SignInOptions extends TestTokenRequest {
  /** The dev IdP to sign in at (from `startTestIdp`, or `@tessera/dev-idp`'s `startDevIdp`). */
  idp: DevIdp;
  /** The app's origin, e.g. `http://127.0.0.1:4173`: the entries are written there only. */
  origin: string;
  /** The app's `cache.cacheLocation` (default `sessionStorage`, the library's default). */
  cacheLocation?: 'sessionStorage' | 'localStorage';
  /** Make the account the active one (default true). */
  active?: boolean;
}

/** The session {@link signIn} installed. */
export interface SignedInSession {
  /** The tokens, e.g. to assert that the app uses exactly this access token. */
  readonly tokens: TestTokens;
  /** The storage entries written on the app's origin. */
  readonly entries: readonly StorageEntry[];
  /** The account's `homeAccountId`, as `getAccount()` will report it. */
  readonly homeAccountId: string;
}

/**
 * Signs a user in for a Playwright test without the login page: gets real tokens from the dev
 * IdP in Node ({@link acquireTestTokens}) and adds an init script to `context` that writes
 * them, in the library's storage format, into the app origin's `sessionStorage` or
 * `localStorage` before any script of the page runs. The app's first load is already signed in
 * and its first `acquireTokenSilent` for these scopes is served from the cache.
 *
 * The entries are written once per storage: a reload keeps what the app did since (a rotated
 * refresh token, a sign-out). With `sessionStorage` every new tab starts signed in.
 *
 * @example
 * await signIn(context, { idp, origin: appUrl, username: 'alice', scopes: ['api://demo/read'] });
 * await page.goto(appUrl); // signed in as alice
 */
export async function signIn(
  context: InitScriptTarget,
  options: SignInOptions,
): Promise<SignedInSession> {
  const { idp, origin, cacheLocation = 'sessionStorage', active, ...request } = options;
  const appOrigin = new URL(origin).origin;
  const tokens = await acquireTestTokens(idp, request);
  const entries = sessionEntries(tokens, active === undefined ? {} : { active });
  // A marker of this installation (outside the library's `tessera.v1.` keys, which it never
  // touches): once written, reloads leave the storage to the app.
  const marker = `tessera-testing.session.${crypto.randomUUID()}`;
  const payload = JSON.stringify({ origin: appOrigin, area: cacheLocation, marker, entries });
  await context.addInitScript({
    // Runs in every frame of every page: writes only on the app's origin (not the IdP's pages).
    content: `(() => {
  const s = ${payload};
  if (location.origin !== s.origin) return;
  let storage;
  try { storage = window[s.area]; } catch { return; }
  if (!storage || storage.getItem(s.marker) !== null) return;
  for (const e of s.entries) storage.setItem(e.key, e.value);
  storage.setItem(s.marker, '1');
})();`,
  });
  // The record comes first; its account says which id the library will report.
  const record = JSON.parse(entries[0]?.value ?? '{}') as { account?: { homeAccountId?: string } };
  return { tokens, entries, homeAccountId: record.account?.homeAccountId ?? '' };
}
