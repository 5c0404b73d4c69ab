// The six invariants every hostile case asserts, one helper for all of them, plus the flow
// drivers and snapshots they compare.
import { expect } from 'vitest';
import type { AuthenticationParameters } from '../../packages/browser/src/index.js';
import type { ProtectedResourceMapInput } from '../../packages/browser/src/index.js';
import type { ErrorDump } from '../pages/hostile/app.js';
import type { Endpoint } from './provider.js';
import { currentCase, SESSION_SCOPES, sleep } from './support.js';
import type { Case, Outcome } from './support.js';

/** How long nothing may happen after a rejection (invariant 3). */
const QUIET_MS = 200;

const ACCOUNT_PREFIX = 'tessera.v1.account.';
const TXN_PREFIX = 'tessera.v1.txn.';

/** A signed-in session a case starts from (invariant 5). */
export interface Session {
  homeAccountId: string;
  accessToken: string;
  scopes: string[];
}

/** What the page and the servers hold at one moment. */
export interface Snapshot {
  /** The provider's next request number. */
  seq: number;
  /** How many secrets the provider had handed out. */
  secrets: number;
  apiRequests: number;
  /** Browser requests of the context so far. */
  requested: number;
  /** `getAllAccounts()`, with claims, as JSON. */
  accounts: string;
  /** Every `tessera.v1.account.` entry, `session:`/`local:` + key → value. */
  accountEntries: Record<string, string>;
  /** Every pending request (`tessera.v1.txn.`) in sessionStorage. */
  transactions: Record<string, string>;
  /** Both storage areas as they are. */
  storage: { session: Record<string, string>; local: Record<string, string> };
}

export async function snapshot(c: Case = currentCase()): Promise<Snapshot> {
  const { accounts, storage } = await c.page.evaluate(() => ({
    accounts: JSON.stringify(window.hostile.accounts()),
    storage: window.hostile.storage(),
  }));
  const accountEntries: Record<string, string> = {};
  for (const [area, entries] of Object.entries(storage)) {
    for (const [key, value] of Object.entries(entries)) {
      if (key.startsWith(ACCOUNT_PREFIX)) accountEntries[`${area}:${key}`] = value;
    }
  }
  const transactions = Object.fromEntries(
    Object.entries(storage.session).filter(([key]) => key.startsWith(TXN_PREFIX)),
  );
  return {
    seq: c.suite.provider.nextSeq(),
    secrets: c.suite.provider.secrets.length,
    apiRequests: c.suite.api.requests.length,
    requested: c.requested.length,
    accounts,
    accountEntries,
    transactions,
    storage,
  };
}

/** Signs in with a good popup flow (the provider must behave) and returns the session. */
export async function signIn(c: Case = currentCase(), scopes = SESSION_SCOPES): Promise<Session> {
  const outcome = await popup(c, { scopes });
  if (outcome.kind !== 'response') {
    throw new Error(`the good sign-in failed: ${JSON.stringify(outcome)}`);
  }
  return {
    homeAccountId: outcome.response.homeAccountId,
    accessToken: outcome.response.accessToken,
    scopes,
  };
}

export function popup(c: Case, request: AuthenticationParameters = {}): Promise<Outcome> {
  return c.page.evaluate((r) => window.hostile.popup(r), request);
}

export function silent(c: Case, request: AuthenticationParameters = {}): Promise<Outcome> {
  return c.page.evaluate((r) => window.hostile.silent(r), request);
}

export function authFetch(
  c: Case,
  url: string,
  map: ProtectedResourceMapInput,
): Promise<{ status: number; error?: ErrorDump }> {
  return c.page.evaluate(([u, m]) => window.hostile.fetch(u, m), [url, map] as const);
}

/**
 * Runs a redirect flow: starts it, follows the round trip through the provider and returns what
 * the app saw when it came back (`handleRedirectPromise`), or the start's own rejection.
 */
export async function redirectFlow(
  c: Case,
  request: AuthenticationParameters = {},
): Promise<Outcome> {
  await c.page.evaluate((r) => {
    const w = window as unknown as { leaving?: boolean; started?: Outcome };
    w.leaving = true;
    void window.hostile.redirect(r).then((o) => (w.started = o));
  }, request);
  return waitForRedirectOutcome(c);
}

/** Waits for the page that a redirect brought back (or for a start that was refused). */
export async function waitForRedirectOutcome(c: Case): Promise<Outcome> {
  await c.page.waitForFunction(() => {
    const w = window as unknown as { leaving?: boolean; started?: Outcome };
    if (w.started?.kind === 'error') return true;
    return w.leaving !== true && window.hostile?.redirectOutcome !== undefined;
  });
  return c.page.evaluate(() => {
    const w = window as unknown as { leaving?: boolean; started?: Outcome };
    if (w.leaving === true && w.started?.kind === 'error') return w.started;
    return window.hostile.redirectOutcome!;
  });
}

/** Opens a URL in the case's page as a fresh load (a link, a reload) and returns the outcome. */
export async function load(c: Case, url: string): Promise<Outcome> {
  await c.page.goto(url);
  await c.ready();
  await c.page.waitForFunction(() => window.hostile.redirectOutcome !== undefined);
  return c.page.evaluate(() => window.hostile.redirectOutcome!);
}

/** The error classes a typed error may have. */
export type ErrorName =
  | 'ClientAuthError'
  | 'ServerError'
  | 'InteractionRequiredAuthError'
  | 'BrowserAuthError'
  | 'ClientConfigurationError';

export interface Expectation {
  /**
   * Invariant 6: the typed error the case must end in, with its exact `errorCode`; `null` where
   * the design's answer to the forged input is a no-op (no error and no result).
   */
  error: { code: string; name?: ErrorName } | null;
  /**
   * Invariant 3: provider requests since the snapshot, per endpoint, exactly; endpoints not named
   * must see none, except discovery and JWKS, which are free unless named.
   */
  requests: Partial<Record<Endpoint, number>>;
  /** Invariant 3: requests to the recording API since the snapshot (default 0). */
  apiRequests?: number;
  /**
   * Invariant 2: what happened to the transaction of the last authorization request made since
   * the snapshot: `consumed` (used once and gone), `kept` (a forged response must leave the
   * genuine pending request alone). Default: `consumed` when there was an authorization request.
   */
  transaction?: 'consumed' | 'kept';
  /** Invariant 5: the session signed in before the forged input. */
  session?: Session;
  /** Invariant 4: forged values (besides everything the provider issued) that must not leak. */
  secrets?: readonly string[];
  /** Invariant 1: `tessera.v1.account.` entries (`session:`/`local:` + key) that must be gone. */
  dropped?: readonly string[];
}

/** The parts of a secret that must not show up anywhere: the whole, and each long piece. */
function fragments(secret: string): string[] {
  const parts = secret.split('.').filter((part) => part.length >= 20);
  // A JWT's header is the same for every token and secret to nobody.
  const pieces = secret.split('.').length === 3 ? parts.slice(1) : parts;
  return [secret, ...pieces.filter((p) => p !== secret)];
}

function expectNoSecrets(haystack: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) {
    for (const fragment of fragments(secret)) {
      expect(
        haystack.includes(fragment),
        `${where} must not contain a code or token (${fragment.slice(0, 12)}…)`,
      ).toBe(false);
    }
  }
}

function stateOf(value: string): string | undefined {
  try {
    const entry = JSON.parse(value) as { state?: unknown };
    return typeof entry.state === 'string' ? entry.state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asserts the six invariants of a case whose forged input came after `before`:
 *
 * 1. nothing cached — accounts (with claims) and every account entry as before (forged entries
 *    named in `dropped` gone), no code or token of this case in any storage, nothing in memory;
 * 2. the flow's transaction consumed once (or kept), every other pending request untouched;
 * 3. exactly the expected provider requests, none after the rejection, no API call;
 * 4. no code or token in the error and its `cause` chain, the logs, the console, any address
 *    bar or the main page's history;
 * 5. a session signed in before is unchanged and still served from the cache;
 * 6. the exact typed error; no provider text rendered as HTML or used as a URL.
 */
export async function assertInvariants(
  before: Snapshot,
  outcome: Outcome,
  expectation: Expectation,
  c: Case = currentCase(),
): Promise<void> {
  const { provider, api, app } = c.suite;

  // 3 first, timed: what arrives after the outcome is known is a further request.
  const atOutcome = {
    seq: provider.nextSeq(),
    api: api.requests.length,
    requested: c.requested.length,
  };
  await sleep(QUIET_MS);
  expect(provider.nextSeq(), 'a provider request after the rejection').toBe(atOutcome.seq);
  expect(api.requests.length, 'an API request after the rejection').toBe(atOutcome.api);
  const later = c.requested.slice(atOutcome.requested).filter((url) => !url.startsWith(app.url));
  expect(later, 'a browser request after the rejection').toEqual([]);
  const since = provider.requests.filter((r) => r.seq >= before.seq);
  const counts: Partial<Record<Endpoint, number>> = {};
  for (const r of since) {
    if (r.method !== 'OPTIONS') counts[r.endpoint] = (counts[r.endpoint] ?? 0) + 1;
  }
  for (const endpoint of ['authorize', 'token', 'logout', 'other', 'discovery', 'jwks'] as const) {
    const expected = expectation.requests[endpoint];
    if (expected === undefined && (endpoint === 'discovery' || endpoint === 'jwks')) continue;
    expect(counts[endpoint] ?? 0, `provider ${endpoint} requests`).toBe(expected ?? 0);
  }
  expect(api.requests.length - before.apiRequests, 'API requests').toBe(
    expectation.apiRequests ?? 0,
  );

  const after = await snapshot(c);
  const secrets = [...provider.secrets, ...(expectation.secrets ?? [])];
  const newSecrets = [...provider.secrets.slice(before.secrets), ...(expectation.secrets ?? [])];

  // 1. Nothing cached.
  expect(after.accounts, 'accounts (with their claims)').toBe(before.accounts);
  const expectedEntries = { ...before.accountEntries };
  for (const key of expectation.dropped ?? []) {
    expect(before.accountEntries[key], `${key} was planted`).toBeDefined();
    delete expectedEntries[key];
  }
  expect(after.accountEntries, 'account entries in storage').toEqual(expectedEntries);
  expectNoSecrets(JSON.stringify(after.storage), newSecrets, 'storage');

  // 2. The flow's transaction consumed once or kept; every other pending request untouched.
  const flowState = provider
    .authorizeRequests(before.seq)
    .map((r) => r.query.get('state') ?? '')
    .at(-1);
  const mode = expectation.transaction ?? (flowState === undefined ? undefined : 'consumed');
  if (mode !== undefined && flowState === undefined) {
    throw new Error('the expectation names a transaction but no authorization request was made');
  }
  const flowKeys = Object.keys(after.transactions).filter(
    (key) => stateOf(after.transactions[key]!) === flowState,
  );
  if (mode === 'consumed') {
    expect(flowKeys, "the flow's transaction must be consumed").toEqual([]);
  }
  if (mode === 'kept') {
    expect(flowKeys, "the genuine flow's transaction must stay").toHaveLength(1);
  }
  for (const [key, value] of Object.entries(c.bystanders)) {
    expect(after.storage.session[key], `bystander ${key}`).toBe(value);
  }
  for (const [key, value] of Object.entries(before.transactions)) {
    if (stateOf(value) === flowState) continue;
    expect(after.transactions[key], `pending request ${key} untouched`).toBe(value);
  }
  const stray = Object.keys(after.transactions).filter(
    (key) => !(key in before.transactions) && !flowKeys.includes(key),
  );
  expect(stray, 'no other pending request appears').toEqual([]);
  const codes = since.filter((r) => r.endpoint === 'token').map((r) => r.form?.get('code'));
  const presented = codes.filter((code) => code !== undefined && code !== null);
  expect(new Set(presented).size, 'each code exchanged at most once').toBe(presented.length);

  // 4. Nothing leaked.
  if (outcome.kind === 'error') expectNoSecrets(outcome.error.text, secrets, 'the error');
  const logs = await c.page.evaluate(() => window.hostile.logs.join('\n'));
  expectNoSecrets(logs, secrets, 'the log');
  expectNoSecrets(c.console.join('\n'), secrets, 'the console');
  const pages = c.context.pages();
  for (const page of pages) expectNoSecrets(page.url(), secrets, 'an address bar');
  const cdp = await c.context.newCDPSession(c.page);
  try {
    const history = await cdp.send('Page.getNavigationHistory');
    expectNoSecrets(history.entries.map((e) => e.url).join('\n'), secrets, 'the history');
  } finally {
    await cdp.detach();
  }

  // 5. The session survives; without one, nothing in memory either (no network: no account).
  if (expectation.session !== undefined) {
    const { homeAccountId, accessToken, scopes } = expectation.session;
    const again = await silent(c, { scopes });
    expect(again.kind === 'response' && again.response, 'the session still serves').toMatchObject({
      homeAccountId,
      accessToken,
      fromCache: true,
    });
  } else {
    const none = await silent(c, { scopes: SESSION_SCOPES });
    expect(none.kind === 'error' && none.error.errorCode, 'nothing in memory').toBe('no_account');
  }
  expect(provider.nextSeq(), 'the cache answered without the provider').toBe(atOutcome.seq);

  // 6. A typed error with its exact code; provider text is data, never markup or a URL.
  if (expectation.error === null) {
    expect(outcome, 'the designed no-op').toEqual({ kind: 'none' });
  } else {
    expect(outcome.kind, `expected ${expectation.error.code}`).toBe('error');
    if (outcome.kind === 'error') {
      expect(outcome.error.errorCode).toBe(expectation.error.code);
      expect(outcome.error.branded, 'a Tessera error (brand check)').toBe(true);
      if (expectation.error.name !== undefined) {
        expect(outcome.error.name).toBe(expectation.error.name);
      }
    }
  }
  for (const page of c.context.pages()) {
    expect(page.url().startsWith('javascript:'), 'a javascript: URL was opened').toBe(false);
    const rendered = await page.evaluate(() => ({
      pwned: window.__pwned !== undefined,
      markup: document.querySelectorAll('img, [onerror], [onload]').length,
    }));
    expect(rendered, `provider text rendered in ${page.url()}`).toEqual({
      pwned: false,
      markup: 0,
    });
  }
  expect(
    c.requested.filter((url) => new URL(url).pathname.includes('pwned')),
    'a provider-supplied URL was fetched or opened',
  ).toEqual([]);
  expect(provider.requests.filter((r) => r.path.includes('pwned'))).toEqual([]);

  c.held = true;
}

/** Provider text that must stay text: markup that would run, and a URL that must not be used. */
export function hostileText(providerUrl: string): { description: string; uri: string } {
  return {
    description: `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> see ${providerUrl}/pwned`,
    uri: `${providerUrl}/pwned?from=error_uri`,
  };
}
