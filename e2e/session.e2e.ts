// Session durability and token-endpoint failures in real Chromium against the dev IdP, with the
// fault proxy in front of it (the proxy's URL is the issuer, so every provider request crosses
// it; faults are queued for `POST /token` only): sign-out in one tab while another tab's refresh
// is in flight, retries on 503/429, stalls, resets, an empty 400, and the seed's
// `interaction_required` check when the refresh token is refused and the iframe cannot help.
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startFaultProxy } from './harness/fault-proxy.js';
import type { FaultProxy } from './harness/fault-proxy.js';
import { consent, fillLogin } from './harness/fixtures.js';
import type { Env } from './harness/fixtures.js';
import { lastOutcome, openApp, requestsDuring, startCoreEnv } from './core/support.js';
import type { Outcome } from './core/support.js';

const READ = 'api://demo/read';
const WRITE = 'api://demo/write';
const TOKEN = { method: 'POST', path: '/token' } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Long enough for a 2 s access token to be expired in the client's eyes (offset 0). */
const pastExpiry = () => sleep(2300);

/** A token request as the browser sent it, and how it ended. */
interface TokenPost {
  grant: string;
  refreshToken: string | undefined;
  /** HTTP status; undefined while pending, or when the request failed without an answer. */
  status?: number;
  failed?: string;
}

interface FaultedEnv {
  env: Env;
  proxy: FaultProxy;
  /** Every token request the browser sent (main page, tabs, frames), in order. */
  posts: TokenPost[];
}

/**
 * The core page and the dev IdP (auto login as alice, 2 s access tokens, refresh tokens with
 * rotation) behind a fault proxy whose URL is the issuer.
 */
async function startFaultedEnv(
  tessera: Record<string, unknown> = {},
  accessTokenSeconds = 2,
): Promise<FaultedEnv> {
  const proxy = await startFaultProxy();
  onTestFinished(() => proxy.close());
  const env = await startCoreEnv({
    idp: (app) => ({
      autoLogin: { username: 'alice', consent: 'all' },
      issuer: proxy.url,
      ttl: { accessToken: accessTokenSeconds },
      rotateRefreshTokens: true,
      clients: [
        {
          clientId: 'tessera-e2e',
          redirectUris: [`${app.url}/`],
          postLogoutRedirectUris: [`${app.url}/`],
          refreshTokens: true,
        },
      ],
    }),
    tessera: { tokenRenewalOffsetSeconds: 0, ...tessera },
  });
  proxy.target = `http://127.0.0.1:${env.idp.port}`;

  const posts: TokenPost[] = [];
  const byRequest = new Map<object, TokenPost>();
  env.context.on('request', (request) => {
    if (request.method() !== 'POST' || new URL(request.url()).pathname !== '/token') return;
    const body = new URLSearchParams(request.postData() ?? '');
    const post = {
      grant: body.get('grant_type') ?? '',
      refreshToken: body.get('refresh_token') ?? undefined,
    };
    posts.push(post);
    byRequest.set(request, post);
  });
  env.context.on('response', (response) => {
    const post = byRequest.get(response.request());
    if (post !== undefined) post.status = response.status();
  });
  env.context.on('requestfailed', (request) => {
    const post = byRequest.get(request);
    if (post !== undefined) post.failed = request.failure()?.errorText ?? 'failed';
  });
  return { env, proxy, posts };
}

/**
 * An answer the proxy makes up, with the CORS headers a provider sends to the app's origin:
 * without them the browser hides the answer and the library sees a network failure instead.
 * `Retry-After` is not a CORS-safelisted response header, so it is exposed explicitly.
 */
function answer(
  env: Env,
  status: number,
  headers: Record<string, string> = {},
): { status: number; headers: Record<string, string>; body: string } {
  return {
    status,
    headers: {
      'access-control-allow-origin': env.app.url,
      'access-control-expose-headers': 'retry-after',
      ...headers,
    },
    body: '',
  };
}

/**
 * The token requests the browser sent since index `from`, once at least `count` of them are
 * recorded and each has ended (answered or failed): playwright's network events may arrive a
 * moment after the page, or the proxy, has seen the outcome.
 */
async function postsSince(posts: TokenPost[], from: number, count: number): Promise<TokenPost[]> {
  await expect
    .poll(
      () =>
        posts.length - from >= count &&
        posts.slice(from).every((p) => p.status !== undefined || p.failed !== undefined),
      { interval: 10 },
    )
    .toBe(true);
  return posts.slice(from);
}

/** Token POSTs the proxy saw, each as the fault it got: a status, 'reset', 'stall', 'delay' or 'pass'. */
const proxiedTokenPosts = (proxy: FaultProxy): (number | string)[] =>
  proxy.requests
    .filter((r) => r.method === 'POST' && r.path === '/token')
    .map(({ fault }) =>
      fault === undefined
        ? 'pass'
        : 'status' in fault
          ? fault.status
          : 'reset' in fault
            ? 'reset'
            : 'stall' in fault
              ? 'stall'
              : 'delay',
    );

/** Signs in through a popup (auto login: no forms) and checks it worked. */
async function signIn(page: Page, scopes: string[] = [READ]): Promise<Outcome> {
  const outcome = await page.evaluate((s) => window.t.popupNow({ scopes: s }), scopes);
  expect(outcome.error).toBeUndefined();
  return outcome;
}

/** `acquireTokenSilent` in the page, timed there. */
function timedSilent(
  page: Page,
  request: { scopes: string[]; forceRefresh?: boolean } = { scopes: [READ] },
): Promise<{ outcome: Outcome; ms: number }> {
  return page.evaluate(async (r) => {
    const start = performance.now();
    const outcome = await window.t.silent(r);
    return { outcome, ms: Math.round(performance.now() - start) };
  }, request);
}

/** This client's account records in the page's localStorage and sessionStorage. */
function storedAccounts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [
      ...Object.keys(localStorage).map((k) => `localStorage:${k}`),
      ...Object.keys(sessionStorage).map((k) => `sessionStorage:${k}`),
    ].filter((k) => k.includes(':tessera.v1.account.')),
  );
}

/** The refresh token stored for the (only) account, read from storage as it is now. */
function storedRefreshToken(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    for (const storage of [localStorage, sessionStorage]) {
      for (const key of Object.keys(storage)) {
        if (!key.startsWith('tessera.v1.account.')) continue;
        const record = JSON.parse(storage.getItem(key) ?? '{}') as { refreshToken?: string };
        return record.refreshToken;
      }
    }
    return undefined;
  });
}

/** Opens a second tab of the app and waits for its script. */
async function openTab(env: Env): Promise<Page> {
  const tab = await env.context.newPage();
  await tab.goto(`${env.app.url}/`);
  await tab.locator('body[data-state=ready]').waitFor();
  return tab;
}

/** Reloads a tab of the app and waits for its script. */
async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.locator('body[data-state=ready]').waitFor();
}

/** The `reason` of `msal:sessionEnded` events the page recorded. */
function sessionEndReasons(page: Page): Promise<(string | undefined)[]> {
  return page.evaluate(() =>
    window.t.events
      .filter((e) => e.type === 'msal:sessionEnded')
      .map((e) => (e as { reason?: string }).reason),
  );
}

/**
 * Tab A signs out (msal 1.x `logout()`: local sign-out, then the provider's end-session page,
 * which returns to the app) while tab B's refresh is held 2 s at the proxy. Checks that both
 * tabs end up and stay signed out; with `expectEvents`, also that B was told.
 */
async function signOutDuringRefresh(
  cacheLocation: 'localStorage' | 'sessionStorage',
  expectEvents: boolean,
): Promise<void> {
  const { env, proxy, posts } = await startFaultedEnv({ cacheLocation });
  const tabA = env.page;
  await openApp(env);
  await signIn(tabA);
  const tabB = await openTab(env);
  if (cacheLocation === 'localStorage') {
    // Shared cache: B knows the account at once.
    expect(await tabB.evaluate(() => window.t.accountAtStart)).toBe('alice');
  } else {
    // Per-tab cache: B signs in on its own (the provider session answers, no form).
    expect(await tabB.evaluate(() => window.t.accountAtStart)).toBeNull();
    await signIn(tabB);
  }
  const idA = await tabA.evaluate(() => window.t.app.getAccount()?.homeAccountId);
  expect(idA).toBeDefined();
  expect(await tabB.evaluate(() => window.t.app.getAccount()?.homeAccountId)).toBe(idA);
  await pastExpiry();

  // B's refresh reaches the proxy, which holds it 2 s before the provider sees it.
  proxy.inject(TOKEN, { delayMs: 2000 });
  const postsBefore = posts.length;
  const inFlight = tabB.evaluate(() => window.t.silent());
  await expect.poll(() => proxy.pending(), { interval: 20 }).toBe(0);
  await expect.poll(() => posts.length - postsBefore, { interval: 10 }).toBe(1);
  expect(posts[postsBefore]?.grant).toBe('refresh_token');

  const navigationsA: string[] = [];
  tabA.on('framenavigated', (frame) => {
    if (frame === tabA.mainFrame()) navigationsA.push(frame.url());
  });
  const logoutAt = Date.now();
  await tabA.evaluate(() => {
    void window.t.app.logout();
  });
  // B's view loses the account, and (expected) B's app is told, while A is on its way.
  const goneInB = tabB
    .waitForFunction(() => window.t.account() === null, undefined, { polling: 10 })
    .then(() => Date.now() - logoutAt);
  const toldB = expectEvents
    ? tabB
        .waitForFunction(
          () =>
            window.t.events.some((e) => e.type === 'msal:accountRemoved') &&
            window.t.events.some((e) => e.type === 'msal:logoutSuccess'),
          undefined,
          { polling: 10, timeout: 8_000 },
        )
        .then(() => Date.now() - logoutAt)
    : Promise.resolve(-1);
  const inFlightOutcome = await inFlight;
  const inFlightSettled = Date.now() - logoutAt;
  const signedOutInB = await goneInB;
  const eventsInB = await toldB;
  // A is back on the app from the provider's end-session page.
  await expect
    .poll(
      () => {
        const atIdp = navigationsA.findIndex((u) => u.startsWith(proxy.url));
        return atIdp >= 0 && navigationsA.slice(atIdp + 1).includes(env.redirectUri);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  await tabA.locator('body[data-state=ready]').waitFor();
  const backInA = Date.now() - logoutAt;
  console.info(
    `[session] sign-out (${cacheLocation}), ms after A's logout(): B's in-flight renewal ` +
      `settled ${inFlightSettled} (ok=${inFlightOutcome.ok}), B signed out ${signedOutInB}` +
      (expectEvents ? `, B's events ${eventsInB}` : '') +
      `, A back on the app ${backInA}`,
  );
  if (expectEvents) {
    const eventsB = await tabB.evaluate(() => window.t.events.map((e) => e.type));
    expect(eventsB.filter((t) => t === 'msal:accountRemoved')).toHaveLength(1);
    expect(eventsB.filter((t) => t === 'msal:logoutSuccess')).toHaveLength(1);
    expect(await sessionEndReasons(tabB)).toEqual(['signed_out_in_another_tab']);
  }

  // The renewal finished before the sign-out took the lock, or found itself stale: either way
  // it did not bring the account back.
  if (!inFlightOutcome.ok) expect(inFlightOutcome.error?.seedCheck).toBe(true);
  expect(await storedAccounts(tabA)).toEqual([]);
  expect(await storedAccounts(tabB)).toEqual([]);
  expect(await tabB.evaluate(() => window.t.account())).toBeNull();

  const postsAtSignOut = posts.length;
  for (const tab of [tabB, tabA]) {
    const next = await tab.evaluate(() => window.t.silent());
    expect(next.error?.name).toBe('InteractionRequiredAuthError');
    expect(next.error?.seedCheck).toBe(true);
  }
  for (const tab of [tabA, tabB]) {
    await reload(tab);
    expect(await tab.evaluate(() => window.t.accountAtStart)).toBeNull();
    expect(await storedAccounts(tab)).toEqual([]);
    const afterReload = await tab.evaluate(() => window.t.silent());
    expect(afterReload.error?.seedCheck).toBe(true);
  }
  // Nothing was asked of the token endpoint after the sign-out.
  expect(posts.slice(postsAtSignOut)).toEqual([]);
  expect(env.idp.stats().tokenRequestsByGrant['refresh_token']).toBe(1);
}

describe('session: sign-out while another tab renews', () => {
  it("tab A signs out while tab B's refresh is in flight (sessionStorage): B is told, and both tabs stay signed out", async () => {
    await signOutDuringRefresh('sessionStorage', true);
  });

  it("tab A signs out while tab B's refresh is in flight (localStorage): no account or token survives in either tab, nor a reload", async () => {
    await signOutDuringRefresh('localStorage', false);
  });

  // With a shared localStorage the sign-out usually reaches B first as a `storage` event,
  // before the BroadcastChannel notice: B still reports it, once.
  it("tab A signs out while tab B's refresh is in flight (localStorage): B gets msal:accountRemoved and msal:logoutSuccess", async () => {
    await signOutDuringRefresh('localStorage', true);
  });
});

describe('session: token endpoint failures (fault proxy)', () => {
  it('503, 503, then success: one renewal, retried at the proxy, one refresh grant at the provider; 429 Retry-After: 1 is waited for, 30 s is not', async () => {
    const { env, proxy, posts } = await startFaultedEnv();
    await openApp(env);
    const first = await signIn(env.page);
    await pastExpiry();

    env.idp.resetStats();
    let mark = proxiedTokenPosts(proxy).length;
    const postsMark = posts.length;
    proxy.inject(TOKEN, answer(env, 503), answer(env, 503));
    const retried = await timedSilent(env.page);
    expect(retried.outcome.error).toBeUndefined();
    expect(retried.outcome.response?.fromCache).toBe(false);
    expect(retried.outcome.response?.accessToken).not.toBe(first.response?.accessToken);
    const at503 = proxiedTokenPosts(proxy).slice(mark);
    expect(at503).toEqual([503, 503, 'pass']);
    expect(env.idp.stats().tokenRequestsByGrant).toEqual({ refresh_token: 1 });
    // A 503 means "not processed": the same refresh token is safe to send again.
    const sent503 = await postsSince(posts, postsMark, 3);
    expect(sent503.map((p) => [p.grant, p.status])).toEqual([
      ['refresh_token', 503],
      ['refresh_token', 503],
      ['refresh_token', 200],
    ]);
    expect(new Set(sent503.map((p) => p.refreshToken)).size).toBe(1);
    console.info(`[session] 503,503,200: ${at503.length} POSTs at the proxy, ${retried.ms} ms`);

    // 429 with Retry-After: 1.
    env.idp.resetStats();
    mark = proxiedTokenPosts(proxy).length;
    proxy.inject(TOKEN, answer(env, 429, { 'retry-after': '1' }));
    const waited = await timedSilent(env.page, { scopes: [READ], forceRefresh: true });
    expect(waited.outcome.error).toBeUndefined();
    expect(waited.outcome.response?.fromCache).toBe(false);
    expect(waited.ms).toBeGreaterThanOrEqual(1000);
    expect(proxiedTokenPosts(proxy).slice(mark)).toEqual([429, 'pass']);
    expect(env.idp.stats().tokenRequestsByGrant).toEqual({ refresh_token: 1 });
    console.info(`[session] 429 Retry-After 1: settled in ${waited.ms} ms`);

    // 429 with Retry-After: 30, beyond the 5 s the library waits by itself: a typed, retryable
    // error at once, and the refresh token is kept (it was not processed).
    mark = proxiedTokenPosts(proxy).length;
    const refusedMark = posts.length;
    proxy.inject(TOKEN, answer(env, 429, { 'retry-after': '30' }));
    const refused = await timedSilent(env.page, { scopes: [READ], forceRefresh: true });
    expect(refused.outcome.error).toMatchObject({
      name: 'ServerError',
      errorCode: 'temporarily_unavailable',
      seedCheck: false,
      retryable: true,
      retryAfter: 30_000,
    });
    expect(refused.ms).toBeLessThan(1500);
    expect(proxiedTokenPosts(proxy).slice(mark)).toEqual([429]);
    const again = await timedSilent(env.page, { scopes: [READ], forceRefresh: true });
    expect(again.outcome.error).toBeUndefined();
    const [refusedPost, againPost] = await postsSince(posts, refusedMark, 2);
    expect(refusedPost).toMatchObject({ grant: 'refresh_token', status: 429 });
    expect(againPost).toMatchObject({ grant: 'refresh_token', status: 200 });
    expect(againPost?.refreshToken).toBe(refusedPost?.refreshToken);
  });

  it('a stalled refresh settles after system.networkTimeout (2 s); a valid cached token for another scope set is served meanwhile', async () => {
    const { env, proxy, posts } = await startFaultedEnv({ networkTimeout: 2000 }, 3);
    await openApp(env);
    // t0: a token for read+write (3 s). t0+1.5 s: a token for write alone, valid until ~t0+4.5.
    const both = await signIn(env.page, [READ, WRITE]);
    await sleep(1500);
    const writeOnly = await timedSilent(env.page, { scopes: [WRITE], forceRefresh: true });
    expect(writeOnly.outcome.error).toBeUndefined();
    expect(writeOnly.outcome.response?.scopes).toEqual([WRITE]);
    await sleep(Math.max(0, Date.parse(both.response?.expiresOn ?? '') - Date.now() + 100));

    // Read needs a renewal now; its refresh is sent and never answered.
    env.idp.resetStats();
    const rtBefore = await storedRefreshToken(env.page);
    const mark = posts.length;
    const proxyMark = proxiedTokenPosts(proxy).length;
    proxy.inject(TOKEN, { stall: true });
    const stalled = timedSilent(env.page, { scopes: [READ] });
    await expect.poll(() => proxy.pending(), { interval: 20 }).toBe(0);
    // Meanwhile the cached write token is served from memory: no request at all.
    const { result: cached, urls } = await requestsDuring(env.page, () =>
      timedSilent(env.page, { scopes: [WRITE] }),
    );
    expect(cached.outcome.error).toBeUndefined();
    expect(cached.outcome.response?.fromCache).toBe(true);
    expect(cached.outcome.response?.accessToken).toBe(writeOnly.outcome.response?.accessToken);
    expect(urls).toEqual([]);
    expect(cached.ms).toBeLessThan(500);

    // The refresh times out at 2 s; with no answer the token counts as spent and is dropped,
    // and the hidden iframe renews through the provider session that is still alive.
    const { outcome, ms } = await stalled;
    console.info(`[session] stalled refresh: settled in ${ms} ms (ok=${outcome.ok})`);
    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.fromCache).toBe(false);
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(3500);
    const sent = await postsSince(posts, mark, 2);
    expect(sent.map((p) => p.grant)).toEqual(['refresh_token', 'authorization_code']);
    expect(sent[0]?.refreshToken).toBe(rtBefore);
    expect(sent[0]?.status).toBeUndefined();
    expect(proxiedTokenPosts(proxy).slice(proxyMark)).toEqual(['stall', 'pass']);
    expect(env.idp.stats().tokenRequestsByGrant).toEqual({ authorization_code: 1 });
    expect(await storedRefreshToken(env.page)).not.toBe(rtBefore);

    // Both token requests stall (the refresh and the iframe's code exchange): a typed network
    // error, not interaction_required, after two time limits.
    const mark2 = posts.length;
    const proxyMark2 = proxiedTokenPosts(proxy).length;
    const rt2 = await storedRefreshToken(env.page);
    proxy.inject(TOKEN, { stall: true }, { stall: true });
    const failed = await timedSilent(env.page, { scopes: [READ], forceRefresh: true });
    console.info(`[session] refresh and code exchange stalled: settled in ${failed.ms} ms`);
    expect(failed.outcome.error).toMatchObject({
      name: 'ClientAuthError',
      errorCode: 'network_error',
      seedCheck: false,
      retryable: true,
      requestSent: true,
    });
    expect(failed.ms).toBeGreaterThanOrEqual(3900);
    expect(failed.ms).toBeLessThan(6000);
    const sent2 = await postsSince(posts, mark2, 2);
    expect(sent2.map((p) => [p.grant, p.refreshToken === rt2, p.status])).toEqual([
      ['refresh_token', true, undefined],
      ['authorization_code', false, undefined],
    ]);
    expect(proxiedTokenPosts(proxy).slice(proxyMark2)).toEqual(['stall', 'stall']);
    // Unanswered refresh tokens are never sent again.
    expect(await storedRefreshToken(env.page)).toBeUndefined();
    expect(posts.filter((p) => p.refreshToken === rtBefore)).toHaveLength(1);
    expect(posts.filter((p) => p.refreshToken === rt2)).toHaveLength(1);
  });

  it('400 with an empty body on the refresh: the token is dropped, the iframe renews via the provider session, and the old token is never sent again', async () => {
    const { env, proxy, posts } = await startFaultedEnv();
    await openApp(env);
    await signIn(env.page);
    await pastExpiry();
    const oldRt = await storedRefreshToken(env.page);
    expect(oldRt).toBeDefined();

    env.idp.resetStats();
    const mark = posts.length;
    proxy.inject(TOKEN, answer(env, 400));
    const renewed = await env.page.evaluate(() => window.t.silent());
    // The provider session is alive (auto login): the iframe CAN renew, so no interaction is
    // needed and none is asked for.
    expect(renewed.error).toBeUndefined();
    expect(renewed.response?.fromCache).toBe(false);
    expect((await postsSince(posts, mark, 2)).map((p) => [p.grant, p.status])).toEqual([
      ['refresh_token', 400],
      ['authorization_code', 200],
    ]);
    expect(env.idp.stats().tokenRequestsByGrant).toEqual({ authorization_code: 1 });
    expect(await env.page.locator('iframe').count()).toBe(0);
    const newRt = await storedRefreshToken(env.page);
    expect(newRt).toBeDefined();
    expect(newRt).not.toBe(oldRt);

    // The next renewal of an expired token uses the new refresh token, never the rejected one.
    await pastExpiry();
    const mark2 = posts.length;
    const next = await env.page.evaluate(() => window.t.silent());
    expect(next.error).toBeUndefined();
    expect(next.response?.fromCache).toBe(false);
    const sent2 = await postsSince(posts, mark2, 1);
    expect(sent2.map((p) => [p.grant, p.refreshToken, p.status])).toEqual([
      ['refresh_token', newRt, 200],
    ]);
    expect(posts.filter((p) => p.refreshToken === oldRt)).toHaveLength(1);
  });

  it('a reset connection on the refresh: a typed network error, and that refresh token is not sent again', async () => {
    const { env, proxy, posts } = await startFaultedEnv();
    await openApp(env);
    await signIn(env.page);
    await pastExpiry();
    const rt = await storedRefreshToken(env.page);
    expect(rt).toBeDefined();

    // Every token request is reset: the refresh, then the iframe's code exchange. Chromium
    // itself resends a request (POST included) once when a connection it took from its idle pool
    // is reset before any answer; the page never sees that resend, but the proxy does. So more
    // resets are queued than the library sends requests, and the rest is drained afterwards.
    env.idp.resetStats();
    const mark = proxiedTokenPosts(proxy).length;
    const postsMark = posts.length;
    proxy.inject(TOKEN, { reset: true }, { reset: true }, { reset: true }, { reset: true });
    const failed = await timedSilent(env.page);
    const resetsTaken = proxiedTokenPosts(proxy).length - mark;
    while (proxy.pending() > 0) {
      await fetch(`${proxy.url}/token`, { method: 'POST', body: '' }).catch(() => undefined);
    }
    expect(failed.outcome.error).toMatchObject({
      name: 'ClientAuthError',
      errorCode: 'network_error',
      seedCheck: false,
      retryable: true,
      requestSent: true,
    });
    // What the library sent: the refresh once, then the iframe's code exchange once.
    const sent = await postsSince(posts, postsMark, 2);
    expect(sent.map((p) => [p.grant, p.refreshToken === rt, p.failed !== undefined])).toEqual([
      ['refresh_token', true, true],
      ['authorization_code', false, true],
    ]);
    expect(resetsTaken).toBeGreaterThanOrEqual(2);
    expect(env.idp.stats().tokenRequests).toBe(0);
    expect(await storedRefreshToken(env.page)).toBeUndefined();

    // Next call: no refresh grant at all (the token may have been spent); the iframe renews.
    const mark2 = proxiedTokenPosts(proxy).length;
    const postsMark2 = posts.length;
    const recovered = await timedSilent(env.page);
    expect(recovered.outcome.error).toBeUndefined();
    expect(recovered.outcome.response?.fromCache).toBe(false);
    expect(proxiedTokenPosts(proxy).slice(mark2)).toEqual(['pass']);
    const sent2 = await postsSince(posts, postsMark2, 1);
    expect(sent2.map((p) => [p.grant, p.status])).toEqual([['authorization_code', 200]]);
    expect(posts.filter((p) => p.refreshToken === rt)).toHaveLength(1);
    expect(env.idp.stats().tokenRequestsByGrant).toEqual({ authorization_code: 1 });
    console.info(
      `[session] reset: network_error in ${failed.ms} ms; the library sent 2 token requests, ` +
        `the proxy saw ${resetsTaken}; recovery: 1 POST (code exchange), ${recovered.ms} ms`,
    );
  });
});

describe('session: refresh token refused and iframe refused → interaction_required', () => {
  it('revoked refresh token and ended provider session: the seed check is true, and its popup fallback signs in again', async () => {
    const { env, proxy, posts } = await startFaultedEnv();
    await openApp(env);
    await signIn(env.page);
    const rt = await storedRefreshToken(env.page);
    expect(rt).toBeDefined();
    // RFC 7009 revocation at the real provider, as a public client.
    const revoked = await fetch(`${proxy.url}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: rt ?? '',
        token_type_hint: 'refresh_token',
        client_id: env.clientId,
      }),
    });
    expect(revoked.status).toBe(200);
    await env.idp.endSessions();
    env.idp.setAutoLogin(false);
    await pastExpiry();

    const mark = posts.length;
    const popupEvent = env.page.waitForEvent('popup');
    await env.page.click('#seed-popup');
    const popup = await popupEvent;
    await fillLogin(popup, 'alice', 'alice-password');
    await consent(popup, 'all');
    const outcome = await lastOutcome(env.page);
    const silentError = await env.page.evaluate(() => window.t.seedSilent?.error);
    expect(silentError?.seedCheck).toBe(true);
    expect(silentError?.name).toBe('InteractionRequiredAuthError');
    expect(silentError?.errorCode).toBe('login_required');
    expect(await sessionEndReasons(env.page)).toEqual(['refresh_token_rejected']);
    // The provider itself refused the refresh token (invalid_grant, 400).
    const [refused] = await postsSince(posts, mark, 1);
    expect(refused).toMatchObject({ grant: 'refresh_token', refreshToken: rt, status: 400 });
    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.username).toBe('alice');
    expect(posts.filter((p) => p.refreshToken === rt)).toHaveLength(1);
  });

  it('400 with an empty body on the refresh and an iframe that times out: the seed check is true', async () => {
    const { env, proxy, posts } = await startFaultedEnv({ loadFrameTimeout: 1 });
    await openApp(env);
    await signIn(env.page);
    await pastExpiry();

    env.idp.resetStats();
    const mark = posts.length;
    proxy.inject(TOKEN, answer(env, 400));
    const failed = await timedSilent(env.page);
    expect(failed.outcome.error).toMatchObject({
      name: 'InteractionRequiredAuthError',
      errorCode: 'refresh_token_expired',
      seedCheck: true,
    });
    expect(failed.outcome.error?.errorMessage).toMatch(/^interaction_required/);
    expect(await sessionEndReasons(env.page)).toEqual(['refresh_token_rejected']);
    const sent = await postsSince(posts, mark, 1);
    expect(sent.map((p) => [p.grant, p.status])).toEqual([['refresh_token', 400]]);
    expect(env.idp.stats().tokenRequests).toBe(0);
    expect(await storedRefreshToken(env.page)).toBeUndefined();
    expect(await env.page.locator('iframe').count()).toBe(0);
    console.info(`[session] 400 + iframe timeout: interaction_required in ${failed.ms} ms`);
  });
});
