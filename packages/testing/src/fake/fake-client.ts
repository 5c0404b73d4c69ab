// A fake UserAgentApplication for unit tests of apps: the whole public surface, deterministic
// tokens, errors on demand, recorded calls, and the same events and state snapshots the real
// client produces, so the Angular and React wrappers (and app code) react exactly as they do
// in production. No network, no storage, no timers.
import {
  BrowserAuthError,
  InteractionRequiredAuthError,
  type Account,
  type AnyAuthEvent,
  type AuthCallback,
  type AuthError,
  type AuthEvent,
  type AuthInteraction,
  type AuthResponse,
  type AuthSnapshot,
  type AuthenticationParameters,
  type Configuration,
  type ErrorReceivedCallback,
  type EventCallback,
  type EventPayloadMap,
  type EventType,
  type InteractionType,
  type LogoutRequest,
  type ResolvedConfiguration,
  type SessionEndReason,
  type TokenReceivedCallback,
  type UserAgentApplication,
} from '@tessera/browser';
import { resolveConfiguration } from '@tessera/browser/testing';
import {
  createFakeAccount,
  FAKE_CLIENT_ID,
  FAKE_ISSUER,
  fakeIdToken,
  type FakeAccountInit,
} from './account.js';

/**
 * The public surface of `UserAgentApplication` that apps and the wrappers call. The fake
 * implements all of it, so it fits wherever one of these members is expected: the React
 * `MsalProvider`'s `instance` and Angular's `MSAL_INSTANCE` take structural types that are
 * subsets of this one.
 */
export type TesseraClient = Pick<
  UserAgentApplication,
  | 'acquireTokenSilent'
  | 'acquireTokenPopup'
  | 'acquireTokenRedirect'
  | 'loginPopup'
  | 'loginRedirect'
  | 'logout'
  | 'logoutRedirect'
  | 'logoutPopup'
  | 'handleRedirectCallbacks'
  | 'handleRedirectCallback'
  | 'handleRedirectPromise'
  | 'getAccount'
  | 'getAllAccounts'
  | 'getActiveAccount'
  | 'setActiveAccount'
  | 'addEventCallback'
  | 'removeEventCallback'
  | 'on'
  | 'subscribe'
  | 'getSnapshot'
  | 'getConfiguration'
>;

/** The fake's methods that can be made to fail ({@link FakeClient.failNext}). */
export type FakeFailingMethod =
  | 'acquireTokenSilent'
  | 'acquireTokenPopup'
  | 'acquireTokenRedirect'
  | 'loginPopup'
  | 'loginRedirect'
  | 'logout'
  | 'logoutRedirect'
  | 'logoutPopup';

/** The methods the fake records ({@link FakeClient.calls}). */
export type FakeRecordedMethod =
  FakeFailingMethod | 'handleRedirectPromise' | 'handleRedirectCallbacks' | 'setActiveAccount';

/** One recorded call. */
export interface FakeCall {
  readonly method: FakeRecordedMethod;
  /** The request (or account, for `setActiveAccount`) as passed; undefined when none. */
  readonly request: AuthenticationParameters | LogoutRequest | Account | null | undefined;
}

/** What a {@link FakeTokenFactory} is told about the token to make. */
export interface FakeTokenContext {
  /** The method that needs a new token. */
  readonly method: 'acquireTokenSilent' | 'acquireTokenPopup' | 'loginPopup' | 'completeRedirect';
  /** The requested scopes, as passed. */
  readonly scopes: readonly string[];
  readonly account: Account;
  /** 1 for the first token this fake issues, then 2, 3, ... */
  readonly sequence: number;
}

/** Makes the access token string for a new token; default `fake-access-token-<sequence>`. */
export type FakeTokenFactory = (context: FakeTokenContext) => string;

/** Options of {@link createFakeClient}. */
export interface FakeClientOptions {
  /**
   * The account signed in (and active) at start; `null` or left out: signed out. A
   * {@link FakeAccountInit} is turned into an account by {@link createFakeAccount}.
   */
  account?: Account | FakeAccountInit | null;
  /** Further accounts signed in at start (not active). */
  otherAccounts?: readonly (Account | FakeAccountInit)[];
  /**
   * Who `loginPopup`, `loginRedirect` and a popup without an account sign in. Default: the
   * starting account, else `alice@example.com`.
   */
  signInAs?: Account | FakeAccountInit;
  /** Access token strings; default `fake-access-token-1`, `-2`, ... */
  tokens?: FakeTokenFactory;
  /**
   * Errors every call of a method rejects with, until changed with {@link FakeClient.setError}.
   * For one failure only, use {@link FakeClient.failNext}.
   */
  errors?: Partial<Record<FakeFailingMethod, AuthError>>;
  /** Access token lifetime in seconds (default 3600); a cached token is served until it ends. */
  tokenLifetimeSeconds?: number;
  /** The clock, e.g. `() => Date.now()` under fake timers (the default reads `Date.now()`). */
  now?: () => number;
  /**
   * What `getConfiguration()` resolves. Default `{ auth: { clientId: 'fake-client-id',
   * authority: 'https://idp.example', redirectUri: 'http://localhost/' } }`.
   */
  configuration?: Configuration;
}

/** The scopes OpenID Connect defines: they never select an access token (as in the library). */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access', 'address', 'phone']);

type RedirectOutcome =
  | { kind: 'response'; response: AuthResponse }
  | { kind: 'error'; error: AuthError; accountState: string };

const toAccount = (value: Account | FakeAccountInit, clientId: string): Account =>
  'homeAccountId' in value ? value : createFakeAccount({ clientId, ...value });

/**
 * A fake `UserAgentApplication` for unit tests; create it with {@link createFakeClient}. Every
 * public method behaves like the real client's, without a provider:
 *
 * - `acquireTokenSilent` serves a token per account and scope set, made once and then served
 *   from its cache (`fromCache: true`) until it expires or `forceRefresh`; without an account it
 *   rejects with `InteractionRequiredAuthError` `no_account`, as the real client does;
 * - `loginPopup` / `acquireTokenPopup` sign in {@link FakeClientOptions.signInAs} when needed,
 *   make the account active and return a new token;
 * - `loginRedirect` / `acquireTokenRedirect` leave the app `interacting`, as a page that is
 *   navigating away; {@link FakeClient.completeRedirect} plays the return from the provider;
 * - `logout*` signs every account (or the given one) out.
 *
 * Events (`msal:loginStart` → `msal:accountAdded` → `msal:loginSuccess`, `msal:acquireToken*`,
 * `msal:logout*`, `msal:activeAccountChanged`, `msal:sessionEnded`, ...) and snapshot
 * transitions (`signedOut` → `interacting` → `signedIn`) follow the real client's order.
 */
export class FakeClient implements TesseraClient {
  readonly #calls: FakeCall[] = [];
  readonly #callbacks = new Map<string, EventCallback>();
  readonly #listeners = new Set<() => void>();
  readonly #errors = new Map<FakeFailingMethod, AuthError>();
  readonly #failures = new Map<FakeFailingMethod, AuthError[]>();
  readonly #tokens = new Map<string, AuthResponse>();
  readonly #redirectCallbacks: [TokenReceivedCallback, ErrorReceivedCallback][] = [];
  readonly #configuration: ResolvedConfiguration;
  readonly #tokenFactory: FakeTokenFactory;
  readonly #lifetimeMs: number;
  readonly #now: () => number;
  readonly #signInAs: Account;
  #accounts: Account[] = [];
  #activeId: string | undefined;
  #interaction: AuthInteraction | null = null;
  #pendingRedirect: { kind: 'login' | 'acquireToken'; request: AuthenticationParameters } | null =
    null;
  #redirectOutcome: RedirectOutcome | null = null;
  #error: AuthError | null = null;
  #snapshot: AuthSnapshot;
  #sequence = 0;
  #nextCallbackId = 0;

  constructor(options: FakeClientOptions = {}) {
    this.#configuration = resolveConfiguration(
      options.configuration ?? {
        auth: {
          clientId: FAKE_CLIENT_ID,
          authority: FAKE_ISSUER,
          redirectUri: 'http://localhost/',
        },
      },
      undefined,
    );
    const clientId = this.#configuration.clientId;
    this.#tokenFactory = options.tokens ?? (({ sequence }) => `fake-access-token-${sequence}`);
    this.#lifetimeMs = (options.tokenLifetimeSeconds ?? 3600) * 1000;
    this.#now = options.now ?? (() => Date.now());
    const start =
      options.account === undefined || options.account === null
        ? undefined
        : toAccount(options.account, clientId);
    this.#signInAs =
      options.signInAs !== undefined
        ? toAccount(options.signInAs, clientId)
        : (start ?? createFakeAccount({ username: 'alice@example.com', name: 'Alice', clientId }));
    for (const other of options.otherAccounts ?? [])
      this.#accounts.push(toAccount(other, clientId));
    if (start !== undefined) {
      this.#accounts.unshift(start);
      this.#activeId = start.homeAccountId;
    }
    for (const [method, error] of Object.entries(options.errors ?? {})) {
      this.#errors.set(method as FakeFailingMethod, error);
    }
    this.#snapshot = this.#buildSnapshot();
  }

  // --- test controls -------------------------------------------------------------------------

  /** Every recorded call, oldest first. */
  get calls(): readonly FakeCall[] {
    return this.#calls;
  }

  /** The recorded calls of one method, oldest first. */
  callsOf(method: FakeRecordedMethod): FakeCall[] {
    return this.#calls.filter((call) => call.method === method);
  }

  /** Forgets the recorded calls. */
  clearCalls(): void {
    this.#calls.length = 0;
  }

  /**
   * Makes the next call of `method` reject with `error` (events and snapshot as for a real
   * failure); queued, so several calls fail in turn. Use the real error classes, e.g.
   * `new InteractionRequiredAuthError('login_required', 'The session ended.')`.
   */
  failNext(method: FakeFailingMethod, error: AuthError): void {
    const queue = this.#failures.get(method) ?? [];
    queue.push(error);
    this.#failures.set(method, queue);
  }

  /** Makes every call of `method` reject with `error` from now on; `null` stops that. */
  setError(method: FakeFailingMethod, error: AuthError | null): void {
    if (error === null) this.#errors.delete(method);
    else this.#errors.set(method, error);
  }

  /** Drops every cached token: the next silent call makes a new one (as after expiry). */
  expireTokens(): void {
    this.#tokens.clear();
  }

  /**
   * Signs an account in as if it happened elsewhere (another tab, a redirect before this page
   * loaded): `msal:accountAdded` and `msal:activeAccountChanged`, then the snapshot shows it.
   * Default: {@link FakeClientOptions.signInAs}.
   */
  signIn(account?: Account | FakeAccountInit): Account {
    const added = account === undefined ? this.#signInAs : toAccount(account, this.#clientId);
    this.#addAccount(added);
    return added;
  }

  /**
   * Ends the session of every account (or one) as if it happened elsewhere, with the events of
   * the real client: `msal:accountRemoved`, `msal:logoutSuccess` (`none`) and
   * `msal:sessionEnded` with `reason` (default `signed_out_in_another_tab`).
   */
  endSession(reason: SessionEndReason = 'signed_out_in_another_tab', account?: Account): void {
    for (const gone of this.#targets(account)) {
      this.#emit('msal:accountRemoved', 'none', gone);
      this.#emit('msal:logoutSuccess', 'none', gone);
      this.#removeAccount(gone);
      this.#emit('msal:sessionEnded', 'none', { reason, account: gone });
    }
  }

  /**
   * Plays the return from the provider after `loginRedirect` / `acquireTokenRedirect`: the
   * account is signed in, `msal:loginSuccess` / `msal:acquireTokenSuccess` (`redirect`) and
   * `msal:handleRedirectEnd` are emitted, `handleRedirectPromise()` resolves with the response
   * and `handleRedirectCallbacks` callbacks receive it. With `error`, the flow fails instead
   * (the provider answered with an error).
   *
   * @throws Error when no redirect was started.
   */
  completeRedirect(outcome: { error?: AuthError } = {}): AuthResponse | null {
    const pending = this.#pendingRedirect;
    if (pending === null)
      throw new Error('completeRedirect: no loginRedirect or acquireTokenRedirect is pending.');
    this.#pendingRedirect = null;
    const { kind, request } = pending;
    if (outcome.error !== undefined) {
      this.#interaction = null;
      this.#error = outcome.error;
      this.#emit(`msal:${kind}Failure`, 'redirect', null, outcome.error);
      this.#emit('msal:handleRedirectEnd', 'redirect', null);
      this.#settleRedirect({
        kind: 'error',
        error: outcome.error,
        accountState: request.state ?? '',
      });
      return null;
    }
    const account = this.#accountFor(request, kind === 'login');
    const response = this.#issue('completeRedirect', account, request);
    this.#addAccount(account);
    this.#interaction = null;
    this.#error = null;
    this.#emit(`msal:${kind}Success`, 'redirect', response);
    this.#emit('msal:handleRedirectEnd', 'redirect', response);
    this.#settleRedirect({ kind: 'response', response });
    return response;
  }

  /** Emits any event to the registered callbacks, e.g. `msal:idleWarning`. */
  emit<T extends EventType>(
    eventType: T,
    payload: EventPayloadMap[T],
    options: { interactionType?: InteractionType; error?: AuthError | null } = {},
  ): void {
    this.#emit(eventType, options.interactionType ?? 'none', payload, options.error ?? null);
  }

  // --- UserAgentApplication --------------------------------------------------------------------

  /** As the real client: a cached token for the scopes, else a new one; `no_account` when signed out. */
  acquireTokenSilent(request: AuthenticationParameters): Promise<AuthResponse> {
    return this.#tracked('acquireTokenSilent', 'acquireToken', 'silent', request, () => {
      const account = this.#selectAccount(request);
      if (account === undefined) {
        throw new InteractionRequiredAuthError(
          'no_account',
          'No signed-in account: sign the user in with a popup or redirect first.',
        );
      }
      const key = this.#cacheKey(account, request);
      const cached = this.#tokens.get(key);
      if (
        cached !== undefined &&
        request.forceRefresh !== true &&
        request.claims === undefined &&
        cached.expiresOn.getTime() > this.#now()
      ) {
        return { ...cached, fromCache: true, accountState: request.state ?? '' };
      }
      return this.#issue('acquireTokenSilent', account, request);
    });
  }

  /** As the real client: signs in when needed, makes the account active, returns a new token. */
  acquireTokenPopup(request: AuthenticationParameters): Promise<AuthResponse> {
    return this.#tracked('acquireTokenPopup', 'acquireToken', 'popup', request, () =>
      this.#interactive('acquireTokenPopup', request, false),
    );
  }

  /** Signs in (default {@link FakeClientOptions.signInAs}) and returns a new token. */
  loginPopup(request: AuthenticationParameters = {}): Promise<AuthResponse> {
    return this.#tracked('loginPopup', 'login', 'popup', request, () =>
      this.#interactive('loginPopup', request, true),
    );
  }

  /** Starts a redirect: the app stays `interacting` until {@link FakeClient.completeRedirect}. */
  acquireTokenRedirect(request: AuthenticationParameters): Promise<void> {
    return this.#redirect('acquireTokenRedirect', 'acquireToken', request);
  }

  /** Starts a sign-in by redirect; see {@link FakeClient.acquireTokenRedirect}. */
  loginRedirect(request: AuthenticationParameters = {}): Promise<void> {
    return this.#redirect('loginRedirect', 'login', request);
  }

  /** Registers the redirect callbacks; they receive {@link FakeClient.completeRedirect}'s outcome. */
  handleRedirectCallbacks(
    tokenReceivedCallback: TokenReceivedCallback,
    errorReceivedCallback: ErrorReceivedCallback,
  ): void {
    this.#record('handleRedirectCallbacks', undefined);
    const outcome = this.#redirectOutcome;
    if (outcome === null) {
      this.#redirectCallbacks.push([tokenReceivedCallback, errorReceivedCallback]);
      return;
    }
    // Registered after the outcome: still delivered, asynchronously, as the real client does.
    void Promise.resolve().then(() =>
      deliver(outcome, tokenReceivedCallback, errorReceivedCallback),
    );
  }

  /** Single-callback form of {@link FakeClient.handleRedirectCallbacks}. */
  handleRedirectCallback(authCallback: AuthCallback): void {
    this.handleRedirectCallbacks(
      (response) => authCallback(null, response),
      (error) => authCallback(error),
    );
  }

  /** The outcome of the last {@link FakeClient.completeRedirect}, else null. */
  handleRedirectPromise(): Promise<AuthResponse | null> {
    this.#record('handleRedirectPromise', undefined);
    const outcome = this.#redirectOutcome;
    if (outcome?.kind === 'error') return Promise.reject(outcome.error);
    return Promise.resolve(outcome?.response ?? null);
  }

  /** The active account, else the only one, else null. */
  getAccount(): Account | null {
    return this.#defaultAccount() ?? null;
  }

  /** Every signed-in account, most recently signed in first. */
  getAllAccounts(): Account[] {
    return [...this.#accounts];
  }

  /** The active account, or null. */
  getActiveAccount(): Account | null {
    return this.#accounts.find((a) => a.homeAccountId === this.#activeId) ?? null;
  }

  /** Makes an account active (`null`, or one not signed in here: none). */
  setActiveAccount(account: Account | null): void {
    this.#record('setActiveAccount', account);
    const known = this.#accounts.find((a) => a.homeAccountId === account?.homeAccountId);
    this.#setActive(known?.homeAccountId);
  }

  /** Signs out by redirect (all accounts, or `request.account`). */
  logout(request: LogoutRequest = {}): Promise<void> {
    return this.#logout('logout', 'redirect', request);
  }

  /** Alias of {@link FakeClient.logout}. */
  logoutRedirect(request: LogoutRequest = {}): Promise<void> {
    return this.#logout('logoutRedirect', 'redirect', request);
  }

  /** Signs out in a popup (all accounts, or `request.account`). */
  logoutPopup(request: LogoutRequest = {}): Promise<void> {
    return this.#logout('logoutPopup', 'popup', request);
  }

  /** Registers a callback for every event; returns its id. */
  addEventCallback(callback: EventCallback): string {
    const id = `fake-cb${++this.#nextCallbackId}`;
    this.#callbacks.set(id, callback);
    return id;
  }

  /** Removes a callback registered with {@link FakeClient.addEventCallback}. */
  removeEventCallback(id: string): void {
    this.#callbacks.delete(id);
  }

  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T extends EventType>(type: T, handler: (event: AuthEvent<T>) => void): () => void {
    const id = this.addEventCallback((event) => {
      if (event.eventType === type) handler(event as AuthEvent<T>);
    });
    return () => this.removeEventCallback(id);
  }

  /** The current state snapshot: the same object until something changes. */
  getSnapshot(): AuthSnapshot {
    return this.#snapshot;
  }

  /** Calls `listener` after each change of the snapshot; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** The resolved configuration ({@link FakeClientOptions.configuration}). */
  getConfiguration(): Readonly<ResolvedConfiguration> {
    return this.#configuration;
  }

  // --- internals -----------------------------------------------------------------------------

  get #clientId(): string {
    return this.#configuration.clientId;
  }

  #record(method: FakeRecordedMethod, request: FakeCall['request']): void {
    this.#calls.push({ method, request });
  }

  /** The error a call of `method` fails with now, if any (one-shot failures first). */
  #takeError(method: FakeFailingMethod): AuthError | undefined {
    const queued = this.#failures.get(method)?.shift();
    return queued ?? this.#errors.get(method);
  }

  #emit<T extends EventType>(
    eventType: T,
    interactionType: InteractionType,
    payload: EventPayloadMap[T],
    error: AuthError | null = null,
  ): void {
    const event = { eventType, interactionType, payload, error, timestamp: this.#now() };
    // A throwing callback never breaks a flow, as in the library.
    for (const callback of [...this.#callbacks.values()]) {
      try {
        callback(event as AnyAuthEvent);
      } catch {
        // ignored, like the real client (which logs a warning)
      }
    }
    this.#update();
  }

  #buildSnapshot(): AuthSnapshot {
    return Object.freeze({
      status: this.#interaction
        ? 'interacting'
        : this.#accounts.length > 0
          ? 'signedIn'
          : 'signedOut',
      account: this.getAccount(),
      accounts: [...this.#accounts],
      // The fake's tokens carry no refresh-token expiry: the session end is unknown.
      sessionExpiresOn: null,
      interaction: this.#interaction,
      error: this.#error,
    });
  }

  /** A new snapshot when something changed (same content, same object), then the listeners. */
  #update(): void {
    const next = this.#buildSnapshot();
    const s = this.#snapshot;
    if (
      next.status === s.status &&
      next.account === s.account &&
      next.interaction === s.interaction &&
      next.error === s.error &&
      next.accounts.length === s.accounts.length &&
      next.accounts.every((a, i) => a === s.accounts[i])
    ) {
      return;
    }
    this.#snapshot = next;
    for (const listener of [...this.#listeners]) listener();
  }

  #defaultAccount(): Account | undefined {
    if (this.#activeId !== undefined) {
      return this.#accounts.find((a) => a.homeAccountId === this.#activeId);
    }
    return this.#accounts.length === 1 ? this.#accounts[0] : undefined;
  }

  #selectAccount(request: AuthenticationParameters): Account | undefined {
    const wanted = request.account;
    return wanted === undefined
      ? this.#defaultAccount()
      : this.#accounts.find((a) => a.homeAccountId === wanted.homeAccountId);
  }

  /** Who an interactive flow signs in: the one asked for, else (for a token) the current one. */
  #accountFor(request: AuthenticationParameters, login: boolean): Account {
    if (request.account !== undefined) return request.account;
    return (login ? undefined : this.#defaultAccount()) ?? this.#signInAs;
  }

  #setActive(id: string | undefined): void {
    if (id === this.#activeId) return;
    this.#activeId = id;
    this.#emit('msal:activeAccountChanged', 'none', this.getActiveAccount());
  }

  /** Stores a signed-in account and makes it active; new ones are announced. */
  #addAccount(account: Account): void {
    const known = this.#accounts.some((a) => a.homeAccountId === account.homeAccountId);
    this.#accounts = [
      account,
      ...this.#accounts.filter((a) => a.homeAccountId !== account.homeAccountId),
    ];
    this.#update();
    this.#setActive(account.homeAccountId);
    if (!known) this.#emit('msal:accountAdded', 'none', account);
  }

  #removeAccount(account: Account): void {
    this.#accounts = this.#accounts.filter((a) => a.homeAccountId !== account.homeAccountId);
    for (const key of [...this.#tokens.keys()]) {
      if (key.startsWith(`${account.homeAccountId}\n`)) this.#tokens.delete(key);
    }
    if (this.#activeId === account.homeAccountId) this.#setActive(undefined);
    this.#update();
  }

  #targets(account: Account | undefined): Account[] {
    return account === undefined
      ? [...this.#accounts]
      : this.#accounts.filter((a) => a.homeAccountId === account.homeAccountId);
  }

  /** Token cache key: account, resource, and the non-OIDC scopes without regard to case or order. */
  #cacheKey(account: Account, request: AuthenticationParameters): string {
    const scopes = [...new Set((request.scopes ?? []).map((s) => s.toLowerCase()))]
      .filter((s) => !OIDC_SCOPES.has(s))
      .sort();
    const resource = [request.resource ?? []].flat().sort();
    return `${account.homeAccountId}\n${resource.join(' ')}\n${scopes.join(' ')}`;
  }

  /** Makes a new token for the account and caches it. */
  #issue(
    method: FakeTokenContext['method'],
    account: Account,
    request: AuthenticationParameters,
  ): AuthResponse {
    const sequence = ++this.#sequence;
    const scopes = [...(request.scopes ?? [])];
    const response: AuthResponse = {
      accessToken: this.#tokenFactory({ method, scopes, account, sequence }),
      tokenType: 'Bearer',
      scopes,
      expiresOn: new Date(this.#now() + this.#lifetimeMs),
      idToken: fakeIdToken(account),
      idTokenClaims: account.idTokenClaims,
      account,
      tenantId: account.tenantId,
      uniqueId: account.localAccountId,
      accountState: request.state ?? '',
      fromCache: false,
      correlationId: request.correlationId ?? `fake-correlation-${sequence}`,
    };
    this.#tokens.set(this.#cacheKey(account, request), response);
    return response;
  }

  /** A popup flow's work: sign in (or re-consent) and a new token. */
  #interactive(
    method: 'acquireTokenPopup' | 'loginPopup',
    request: AuthenticationParameters,
    login: boolean,
  ): AuthResponse {
    const account = this.#accountFor(request, login);
    const response = this.#issue(method, account, request);
    this.#addAccount(account);
    return response;
  }

  /** Runs a flow with start/success/failure events and the snapshot's interaction, as the real client. */
  #tracked(
    method: FakeFailingMethod,
    kind: 'login' | 'acquireToken',
    type: 'silent' | 'popup',
    request: AuthenticationParameters,
    run: () => AuthResponse,
  ): Promise<AuthResponse> {
    this.#record(method, request);
    // One interaction per tab: a second popup while one is open is refused at once.
    const busy =
      type === 'popup' && this.#interaction !== null
        ? new BrowserAuthError(
            'interaction_in_progress',
            'Another popup or redirect is in progress.',
          )
        : undefined;
    if (type === 'popup' && busy === undefined) this.#interaction = { kind, type };
    this.#emit(`msal:${kind}Start`, type, request);
    // Settled after the caller's synchronous code, as a real flow is.
    return Promise.resolve().then(() => {
      try {
        const error = busy ?? this.#takeError(method);
        if (error !== undefined) throw error;
        const response = run();
        if (busy === undefined && type === 'popup') this.#interaction = null;
        this.#error = null;
        this.#emit(`msal:${kind}Success`, type, response);
        return response;
      } catch (error) {
        if (busy === undefined && type === 'popup') this.#interaction = null;
        this.#error = error as AuthError;
        this.#emit(`msal:${kind}Failure`, type, null, error as AuthError);
        throw error;
      }
    });
  }

  #redirect(
    method: 'acquireTokenRedirect' | 'loginRedirect',
    kind: 'login' | 'acquireToken',
    request: AuthenticationParameters,
  ): Promise<void> {
    this.#record(method, request);
    const error =
      this.#interaction !== null
        ? new BrowserAuthError(
            'interaction_in_progress',
            'Another popup or redirect is in progress.',
          )
        : this.#takeError(method);
    if (error === undefined) this.#interaction = { kind, type: 'redirect' };
    this.#emit(`msal:${kind}Start`, 'redirect', request);
    if (error !== undefined) {
      this.#error = error;
      this.#emit(`msal:${kind}Failure`, 'redirect', null, error);
      return Promise.reject(error);
    }
    this.#pendingRedirect = { kind, request };
    return Promise.resolve();
  }

  #logout(
    method: 'logout' | 'logoutRedirect' | 'logoutPopup',
    type: 'redirect' | 'popup',
    request: LogoutRequest,
  ): Promise<void> {
    this.#record(method, request);
    const account = request.account ?? this.getAccount();
    const busy = this.#interaction !== null;
    if (!busy) this.#interaction = { kind: 'logout', type };
    this.#emit('msal:logoutStart', type, account);
    return Promise.resolve().then(() => {
      const error = busy
        ? new BrowserAuthError(
            'interaction_in_progress',
            'Another popup or redirect is in progress.',
          )
        : this.#takeError(method);
      if (error !== undefined) {
        if (!busy) this.#interaction = null;
        this.#error = error;
        this.#emit('msal:logoutFailure', type, null, error);
        throw error;
      }
      for (const gone of this.#targets(request.account)) {
        this.#removeAccount(gone);
        this.#emit('msal:sessionEnded', 'none', { reason: 'signed_out', account: gone });
      }
      this.#interaction = null;
      this.#error = null;
      this.#emit('msal:logoutSuccess', type, account);
      this.#emit('msal:accountRemoved', type, account);
    });
  }

  #settleRedirect(outcome: RedirectOutcome): void {
    this.#redirectOutcome = outcome;
    for (const [onToken, onError] of this.#redirectCallbacks.splice(0)) {
      deliver(outcome, onToken, onError);
    }
  }
}

function deliver(
  outcome: RedirectOutcome,
  onToken: TokenReceivedCallback,
  onError: ErrorReceivedCallback,
): void {
  if (outcome.kind === 'response') onToken(outcome.response);
  else onError(outcome.error, outcome.accountState);
}

/**
 * A fake client for unit tests of apps on `@tessera/browser`, `@tessera/angular` or
 * `@tessera/react`; see {@link FakeClient}.
 *
 * @example
 * const client = createFakeClient({ account: { username: 'alice@example.com', name: 'Alice' } });
 * (await client.acquireTokenSilent({ scopes: ['api://demo/read'] })).accessToken; // 'fake-access-token-1'
 * client.failNext('acquireTokenSilent', new InteractionRequiredAuthError('login_required', 'Session ended.'));
 */
export function createFakeClient(options: FakeClientOptions = {}): FakeClient {
  return new FakeClient(options);
}

/**
 * The fake typed as a `UserAgentApplication`, for an API that takes the class itself (its
 * private fields make the class type nominal). Safe for every public method; the wrappers'
 * `MsalProvider instance` and `MSAL_INSTANCE` take the fake without it.
 */
export function asApplication(client: TesseraClient): UserAgentApplication {
  return client as unknown as UserAgentApplication;
}
