import { activityKey, redirectKey } from './cache/keys.js';
import type { AccountEntity } from './cache/types.js';
import { createStore } from './cache/storage.js';
import { createTokenCache } from './cache/token-cache.js';
import {
  checkRequestUrls,
  resolveConfiguration,
  type Configuration,
  type RequestUrls,
  type ResolvedConfiguration,
} from './config.js';
import { createCacheNotifier } from './coordination/cache-notifier.js';
import { createSingleFlight } from './coordination/single-flight.js';
import {
  BrowserAuthError,
  InteractionRequiredAuthError,
  toAuthError,
  type AuthError,
} from './errors/auth-error.js';
import {
  BLOCK_NESTED_FLOWS,
  BROWSER_UNSUPPORTED,
  NETWORK_ERROR,
  NO_ACCOUNT,
} from './errors/error-codes.js';
import {
  EventHub,
  type AuthEvent,
  type EventCallback,
  type EventType,
  type InteractionType,
} from './events.js';
import { endSession, toAccount } from './flows/account.js';
import type { FlowContext } from './flows/context.js';
import type { LogoutRequest } from './flows/logout-flow.js';
import type { RedirectOutcome } from './flows/redirect-flow.js';
import { normalizeRequest } from './flows/request.js';
import {
  asIdTokenResponse,
  defaultAccount,
  fromCache,
  selectAccount,
} from './flows/silent-cache.js';
import { createInteractionLock } from './interaction/interaction-lock.js';
import { openPopupWindow, POPUP_NAME_PREFIX } from './interaction/popup-window.js';
import { IFRAME_NAME_PREFIX } from './interaction/response-message.js';
import type { AutoRenewer } from './session/auto-renew.js';
import { createLogger } from './logger.js';
import { resolvePorts } from './ports.js';
import { readAuthorizationResponseParams } from './response-params.js';
import { createAuthState, type AuthSnapshot, type AuthState } from './state.js';
import type { Account, AuthenticationParameters, AuthResponse } from './types.js';

/** Receives the token of a completed redirect flow. */
export type TokenReceivedCallback = (response: AuthResponse) => void;
/** Receives the error of a failed redirect flow, with the app's `state`. */
export type ErrorReceivedCallback = (error: AuthError, accountState: string) => void;
/** Single-callback form of {@link UserAgentApplication.handleRedirectCallback}. */
export type AuthCallback = (error: AuthError | null, response?: AuthResponse) => void;

type FlowKind = 'login' | 'acquireToken';

/**
 * Loads a lazily split part of the library. A failed load (offline, a deployment that replaced
 * the chunk) becomes a typed error instead of a bare `TypeError`.
 */
function load<T>(importer: () => Promise<T>): Promise<T> {
  return importer().catch((cause: unknown) => {
    throw new BrowserAuthError(
      NETWORK_ERROR,
      'Part of the sign-in code could not be loaded; check the network and try again.',
      { cause },
    );
  });
}

/** Whether `win` is a sign-in popup or hidden iframe the library opened (by its name). */
function isOwnPopupOrIframe(win: Window | undefined): boolean {
  const name = win?.name ?? '';
  return (
    name.startsWith(POPUP_NAME_PREFIX) ||
    (win?.parent !== win && name.startsWith(IFRAME_NAME_PREFIX))
  );
}

/**
 * Signs users in and acquires tokens, with the API of the seed document (msal 1.x):
 * `acquireTokenSilent` → on `interaction_required` → `acquireTokenPopup` or
 * `acquireTokenRedirect`, and `handleRedirectCallbacks` for the redirect result.
 *
 * The constructor validates configuration and reads the token cache from storage once; redirect
 * handling runs behind an internal ready-promise that every public method awaits, so there is
 * no `initialize()` to call first. What most page loads never need — the protocol engine,
 * popup, iframe, redirect and sign-out — loads on first use.
 *
 * @throws ClientConfigurationError from the constructor, naming the field and the fix.
 */
export class UserAgentApplication {
  readonly #ctx: FlowContext;
  readonly #ready: Promise<void>;
  /** True once the ready-promise settled: from then on a cache hit needs no `await`. */
  #isReady = false;
  /** `system.autoRenew`: successful requests wait here until the renewer has loaded. */
  #renewer: AutoRenewer | [AuthenticationParameters, AuthResponse][] | undefined;
  #redirect: RedirectOutcome = { kind: 'none' };
  #state: AuthState | undefined;
  #nested: boolean | undefined;

  constructor(configuration: Configuration) {
    const ports = resolvePorts(configuration?.system?.ports);
    const config = resolveConfiguration(configuration, ports.window?.location.href);
    const logger = createLogger(configuration.system?.logger);
    const win = ports.window;
    const store = createStore(config.cacheLocation, win, logger);
    const cache = createTokenCache(store, {
      clientId: config.clientId,
      clock: ports.clock,
      logger,
    });
    const notifier = createCacheNotifier(undefined, undefined, logger);
    const ctx: FlowContext = (this.#ctx = {
      config,
      ports,
      logger,
      cache,
      store,
      // Request state must survive the redirect round trip in this tab only: sessionStorage.
      session: createStore('sessionStorage', win, logger),
      events: new EventHub(logger, () => ports.clock.now()),
      singleFlight: createSingleFlight(),
      notifier,
      interactions: createInteractionLock(),
      generation: 0,
      ended: new Set(),
      navigationClient: configuration.system?.navigationClient,
    });
    if (win !== undefined) {
      // An account another tab signed out of: end its session here too, with the events.
      const signedOutElsewhere = (entity: AccountEntity) => {
        ctx.generation += 1;
        ctx.events.emit('msal:accountRemoved', 'none', toAccount(entity));
        ctx.events.emit('msal:logoutSuccess', 'none', toAccount(entity));
        endSession(ctx, entity, 'signed_out_in_another_tab');
      };
      // Another tab wrote to the shared storage: keep the in-memory view in step. With a
      // shared storage this is how a sign-out elsewhere usually arrives first.
      win.addEventListener('storage', (event) => {
        if (event.storageArea === null || event.storageArea !== store.storage) return;
        const before = cache.getAccounts();
        cache.sync(event.key);
        const after = cache.getAccounts();
        for (const entity of before) {
          if (!after.some((a) => a.homeAccountId === entity.homeAccountId)) {
            signedOutElsewhere(entity);
          }
        }
      });
      // Another tab signed out, whatever the cache location (sessionStorage and memory share
      // nothing): end the session here too.
      notifier.subscribe((notice) => {
        if (notice.type === 'tokens_changed') return;
        const gone = cache
          .getAccounts()
          .filter((a) => notice.type === 'cleared' || a.homeAccountId === notice.homeAccountId);
        for (const entity of gone) {
          cache.removeAccount(entity.homeAccountId);
          signedOutElsewhere(entity);
        }
      });
    }
    // `msal:activeAccountChanged`, whatever changed it: a sign-in, setActiveAccount, a
    // sign-out, or another tab.
    let active = cache.getActiveAccountId();
    cache.subscribe(() => {
      const now = cache.getActiveAccountId();
      if (now === active) return;
      active = now;
      const entity = now === undefined ? undefined : cache.getAccount(now);
      ctx.events.emit('msal:activeAccountChanged', 'none', entity ? toAccount(entity) : null);
    });
    this.#ready = this.#start().then(() => {
      this.#isReady = true;
    });
    if (win !== undefined && config.idleTimeout > 0) {
      void import('./session/idle.js').then((m) =>
        m.watchIdle(ctx, activityKey(config.clientId), async () => {
          const flow = await import('./flows/lazy.js');
          await flow.signOutLocally(ctx, {}, 'idle');
        }),
      );
    }
    if (win !== undefined && config.autoRenew) {
      this.#renewer = [];
      void import('./session/auto-renew.js').then((m) => {
        const queued = this.#renewer;
        const renewer = m.createAutoRenewer(ctx, (request) => this.acquireTokenSilent(request));
        this.#renewer = renewer;
        if (Array.isArray(queued)) for (const [q, r] of queued) renewer.remember(q, r);
      });
    }
  }

  /** With `system.autoRenew`, schedules the renewal of a request that just succeeded. */
  #remember(request: AuthenticationParameters, response: AuthResponse): void {
    const renewer = this.#renewer;
    if (renewer === undefined) return;
    if (Array.isArray(renewer)) renewer.push([request, response]);
    else renewer.remember(request, response);
  }

  async #start(): Promise<void> {
    const ctx = this.#ctx;
    const win = ctx.ports.window;
    if (win === undefined) return;
    const carriesResponse =
      ctx.session.get(redirectKey(ctx.config.clientId, 'response')) !== undefined ||
      readAuthorizationResponseParams(new URL(win.location.href)) !== undefined;
    if (!carriesResponse) {
      // Most loads: nothing to handle. Fetch the renewal code ahead, so a token request does
      // not wait for it: now when the stored tokens are due for renewal (the app's first call
      // will need it), else when the browser is idle.
      const accounts = ctx.cache.getAccounts();
      if (accounts.length > 0) {
        const prefetch = () => void import('./flows/lazy.js').catch(() => undefined);
        const now = ctx.ports.clock.now();
        const offset = ctx.config.tokenRenewalOffsetSeconds * 1000;
        if (accounts.some((a) => ctx.cache.renewalDue(a.homeAccountId, now, offset))) prefetch();
        else if (typeof win.requestIdleCallback === 'function') win.requestIdleCallback(prefetch);
        else win.setTimeout(prefetch, 1);
      }
      return;
    }
    try {
      const { completeRedirectOnLoad } = await load(() => import('./flows/lazy.js'));
      this.#redirect = await completeRedirectOnLoad(ctx);
    } catch (error) {
      this.#redirect = { kind: 'error', error: toAuthError(error), accountState: '' };
    }
  }

  #emit(
    kind: FlowKind,
    phase: 'Start' | 'Success' | 'Failure',
    type: InteractionType,
    payload: AuthenticationParameters | AuthResponse | null,
    error: AuthError | null = null,
  ): void {
    const name = `msal:${kind}${phase}` as 'msal:loginStart';
    this.#ctx.events.emit(name, type, payload as AuthenticationParameters, error);
  }

  /** Runs a flow with start/success/failure events. */
  async #tracked(
    kind: FlowKind,
    type: InteractionType,
    request: AuthenticationParameters,
    run: () => Promise<AuthResponse>,
  ): Promise<AuthResponse> {
    this.#emit(kind, 'Start', type, request);
    try {
      const response = await run();
      this.#emit(kind, 'Success', type, response);
      return response;
    } catch (error) {
      const authError = toAuthError(error);
      this.#emit(kind, 'Failure', type, null, authError);
      throw authError;
    }
  }

  /**
   * Refuses every flow in a window that is one of our own popups or hidden iframes (the app's
   * page is the redirect URI, so the whole app boots there): that window only hands the
   * response back; a flow started there would nest popups or renew in a loop.
   *
   * @throws BrowserAuthError `block_nested_flows`
   */
  #refuseNested(): void {
    // Read once: a window is named when the library opens it, and reading `name` and `parent`
    // on every call would cost a cache hit more than the rest of it.
    this.#nested ??= isOwnPopupOrIframe(this.#ctx.ports.window);
    if (this.#nested) {
      throw new BrowserAuthError(
        BLOCK_NESTED_FLOWS,
        'This window is a sign-in popup or hidden iframe of the app; start flows in the main window.',
      );
    }
  }

  #normalize(request: AuthenticationParameters) {
    this.#refuseNested();
    return normalizeRequest(request, this.#ctx.config.clientId, this.#ctx.ports.getRandomValues);
  }

  /** A request's own URLs, checked like the configuration's (throws, typed). */
  #checked<T extends RequestUrls>(request: T): T {
    return checkRequestUrls(request, () => this.#ctx.ports.window?.location.href);
  }

  /**
   * Returns a token without showing anything: a cached token that covers the scopes, else a
   * refresh-token grant, else a hidden iframe with `prompt=none`. Rejects with an
   * `InteractionRequiredAuthError` (its `errorMessage` contains `interaction_required`) when
   * only the user can fix it; fall back to {@link acquireTokenPopup} or {@link acquireTokenRedirect}.
   *
   * A cached token is served until `system.tokenRenewalOffsetSeconds` before it expires, but
   * never less than half its lifetime: a token that lives 60 s is served for its first 30 s.
   *
   * @throws InteractionRequiredAuthError `login_required`, `consent_required`, `interaction_required`, `no_account`
   * @throws ServerError, ClientAuthError (`network_error`, `invalid_id_token`, ...), BrowserAuthError (`monitor_window_timeout`)
   */
  acquireTokenSilent(request: AuthenticationParameters): Promise<AuthResponse> {
    // Most calls of most apps: started, and the token is in the cache. Answer synchronously
    // from the in-memory view; anything else (including bad input) takes the tracked path.
    if (this.#isReady) {
      let hit: AuthResponse | undefined;
      try {
        hit = this.#fromCache(request);
      } catch {
        // reported, typed, by the tracked path below
      }
      if (hit !== undefined) {
        this.#emit('acquireToken', 'Start', 'silent', request);
        this.#emit('acquireToken', 'Success', 'silent', hit);
        this.#remember(request, hit);
        return Promise.resolve(hit);
      }
    }
    return this.#tracked('acquireToken', 'silent', request, async () => {
      const normalized = this.#normalize(request);
      const checked = this.#checked(request);
      await this.#ready;
      const ctx = this.#ctx;
      const account = selectAccount(ctx, request);
      const skipCache = request.forceRefresh === true || normalized.claims !== undefined;
      if (account !== undefined && !skipCache) {
        const cached = fromCache(ctx, account, normalized);
        if (cached !== undefined) {
          this.#remember(request, cached);
          return cached;
        }
      }
      if (account === undefined && request.loginHint === undefined && request.sid === undefined) {
        throw new InteractionRequiredAuthError(
          NO_ACCOUNT,
          'No signed-in account: sign the user in with a popup or redirect first.',
          { correlationId: normalized.correlationId },
        );
      }
      const { renewSilently } = await load(() => import('./flows/lazy.js'));
      const renewed = await renewSilently(ctx, account, checked, normalized, skipCache);
      const response = normalized.idTokenOnly ? asIdTokenResponse(renewed) : renewed;
      this.#remember(request, response);
      return response;
    });
  }

  #fromCache(request: AuthenticationParameters): AuthResponse | undefined {
    const normalized = this.#normalize(request);
    this.#checked(request);
    if (request.forceRefresh === true || normalized.claims !== undefined) return undefined;
    const account = selectAccount(this.#ctx, request);
    return account && fromCache(this.#ctx, account, normalized);
  }

  /**
   * Acquires a token in a popup. Call it directly from a user gesture (click handler): the
   * window opens synchronously so popup blockers allow it.
   *
   * @throws BrowserAuthError `popup_window_error` (blocked), `user_cancelled` (closed),
   *   `interaction_in_progress`, `monitor_window_timeout`; ServerError; ClientAuthError
   */
  acquireTokenPopup(request: AuthenticationParameters): Promise<AuthResponse> {
    return this.#popup('acquireToken', request);
  }

  /** Signs the user in with a popup; see {@link acquireTokenPopup}. */
  loginPopup(request: AuthenticationParameters = {}): Promise<AuthResponse> {
    return this.#popup('login', request);
  }

  /**
   * Claims the tab's one interaction slot and, for a popup, opens the window — synchronously,
   * inside the user gesture. Returns the slot's release function and the window.
   */
  #beginInteraction(withPopup: boolean): { release: () => void; popup: Window | undefined } {
    this.#refuseNested();
    const release = this.#ctx.interactions.beginInteraction();
    const win = this.#ctx.ports.window;
    try {
      const popup =
        withPopup && win !== undefined
          ? openPopupWindow(win, { logger: this.#ctx.logger })
          : undefined;
      return { release, popup };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Loads a flow module; on failure closes the popup and gives the slot back. */
  #loadFlow<T>(
    importer: () => Promise<T>,
    begun: { release: () => void; popup: Window | undefined },
  ): Promise<T> {
    return load(importer).catch((error: unknown) => {
      begun.popup?.close();
      begun.release();
      throw error;
    });
  }

  #popup(kind: FlowKind, request: AuthenticationParameters): Promise<AuthResponse> {
    let started: Promise<AuthResponse>;
    try {
      // Synchronous up to window.open: no await before the popup exists.
      const normalized = this.#normalize(request);
      const checked = this.#checked(request);
      const begun = this.#beginInteraction(true);
      if (begun.popup === undefined) {
        begun.release();
        throw new BrowserAuthError(
          BROWSER_UNSUPPORTED,
          'There is no browser window to open a popup from.',
        );
      }
      const popup = begun.popup;
      started = this.#loadFlow(() => import('./flows/lazy.js'), begun).then((m) =>
        m.runPopupFlow(this.#ctx, this.#ready, popup, begun.release, checked, normalized, kind),
      );
    } catch (error) {
      started = Promise.reject(toAuthError(error));
    }
    return this.#tracked(kind, 'popup', request, () => started);
  }

  /**
   * Acquires a token by leaving the page for the provider. The result arrives after the
   * return, through {@link handleRedirectCallbacks} or {@link handleRedirectPromise}.
   */
  acquireTokenRedirect(request: AuthenticationParameters): Promise<void> {
    return this.#redirectTo('acquireToken', request);
  }

  /** Signs the user in by redirect; see {@link acquireTokenRedirect}. */
  loginRedirect(request: AuthenticationParameters = {}): Promise<void> {
    return this.#redirectTo('login', request);
  }

  async #redirectTo(kind: FlowKind, request: AuthenticationParameters): Promise<void> {
    this.#emit(kind, 'Start', 'redirect', request);
    try {
      const normalized = this.#normalize(request);
      const checked = this.#checked(request);
      const begun = this.#beginInteraction(false);
      const m = await this.#loadFlow(() => import('./flows/lazy.js'), begun);
      await m.startRedirectFlow(this.#ctx, this.#ready, checked, normalized, kind, begun.release);
    } catch (error) {
      const authError = toAuthError(error);
      this.#emit(kind, 'Failure', 'redirect', null, authError);
      throw authError;
    }
  }

  /**
   * Registers the redirect result callbacks (the seed's form). Callbacks registered after the
   * page loaded still receive the result, once per registration.
   */
  handleRedirectCallbacks(
    tokenReceivedCallback: TokenReceivedCallback,
    errorReceivedCallback: ErrorReceivedCallback,
  ): void {
    void this.#ready.then(() => {
      const outcome = this.#redirect;
      if (outcome.kind === 'response') tokenReceivedCallback(outcome.response);
      if (outcome.kind === 'error') errorReceivedCallback(outcome.error, outcome.accountState);
    });
  }

  /** Single-callback form of {@link handleRedirectCallbacks}: `(error, response)`. */
  handleRedirectCallback(authCallback: AuthCallback): void {
    this.handleRedirectCallbacks(
      (response) => authCallback(null, response),
      (error) => authCallback(error),
    );
  }

  /**
   * The redirect result as a promise: the response when this page load completed a redirect
   * flow, null when there was none. Rejects with the flow's error.
   */
  async handleRedirectPromise(): Promise<AuthResponse | null> {
    await this.#ready;
    const outcome = this.#redirect;
    if (outcome.kind === 'error') throw outcome.error;
    return outcome.kind === 'response' ? outcome.response : null;
  }

  /**
   * The account calls without an `account` are for: the active account, else the only one
   * known here, else null (several accounts and none active; see {@link setActiveAccount}).
   */
  getAccount(): Account | null {
    const account = defaultAccount(this.#ctx);
    return account === undefined ? null : toAccount(account);
  }

  /**
   * The active account, or null. An interactive sign-in makes its account active, so a second
   * user signing in becomes the one silent calls without `account` serve; the first keeps its
   * tokens and is served when asked for by `account`. Stored with the tokens: it survives a
   * reload, and tabs sharing `localStorage` follow it.
   */
  getActiveAccount(): Account | null {
    const id = this.#ctx.cache.getActiveAccountId();
    const entity = id === undefined ? undefined : this.#ctx.cache.getAccount(id);
    return entity === undefined ? null : toAccount(entity);
  }

  /**
   * Makes `account` the one calls without an `account` are for (`null`: none, so with several
   * accounts such calls fail with `no_account`). An account not signed in here is ignored.
   * Fires `msal:activeAccountChanged` when the active account changes.
   */
  setActiveAccount(account: Account | null): void {
    this.#ctx.cache.setActiveAccountId(account?.homeAccountId);
  }

  /** Every account signed in to this app in this cache. */
  getAllAccounts(): Account[] {
    return this.#ctx.cache.getAccounts().map(toAccount);
  }

  /**
   * Signs out by redirect: local tokens are removed (in every tab of this app, and durably: a
   * renewal in flight cannot bring them back), then the provider's end-session endpoint is
   * visited.
   */
  logout(request: LogoutRequest = {}): Promise<void> {
    return this.#logout('redirect', request);
  }

  /** Alias of {@link logout}. */
  logoutRedirect(request: LogoutRequest = {}): Promise<void> {
    return this.logout(request);
  }

  /** Signs out in a popup (opened synchronously; call from a user gesture). */
  logoutPopup(request: LogoutRequest = {}): Promise<void> {
    return this.#logout('popup', request);
  }

  async #logout(type: 'redirect' | 'popup', request: LogoutRequest): Promise<void> {
    const account = request.account ?? this.getAccount();
    const events = this.#ctx.events;
    events.emit('msal:logoutStart', type, account);
    let started: Promise<void>;
    try {
      const checked = this.#checked(request);
      const begun = this.#beginInteraction(type === 'popup');
      started = this.#loadFlow(() => import('./flows/lazy.js'), begun).then((m) =>
        type === 'popup'
          ? m.logoutPopup(this.#ctx, this.#ready, checked, begun.release, begun.popup)
          : m.logoutRedirect(this.#ctx, this.#ready, checked, begun.release),
      );
    } catch (error) {
      started = Promise.reject(toAuthError(error));
    }
    try {
      await started;
      events.emit('msal:logoutSuccess', type, account);
      events.emit('msal:accountRemoved', type, account);
    } catch (error) {
      const authError = toAuthError(error);
      events.emit('msal:logoutFailure', type, null, authError);
      throw authError;
    }
  }

  /** Registers a callback for every event; returns an id for {@link removeEventCallback}. */
  addEventCallback(callback: EventCallback): string {
    return this.#ctx.events.add(callback);
  }

  /** Removes a callback registered with {@link addEventCallback}. */
  removeEventCallback(id: string): void {
    this.#ctx.events.remove(id);
  }

  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T extends EventType>(type: T, handler: (event: AuthEvent<T>) => void): () => void {
    return this.#ctx.events.on(type, handler);
  }

  /** Made on first read, so apps that never read the state pay nothing on each event. */
  #authState(): AuthState {
    return (this.#state ??= createAuthState(this.#ctx, () => this.#isReady, this.#ready));
  }

  /**
   * The current {@link AuthSnapshot}: status, active account, accounts, interaction under way
   * and last error. The same object until something changes (what React's
   * `useSyncExternalStore` requires). Read it once at app start: an interaction begun before the
   * first read shows from its end on.
   */
  getSnapshot(): AuthSnapshot {
    return this.#authState().getSnapshot();
  }

  /** Calls `listener` after each change of {@link getSnapshot}; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    return this.#authState().subscribe(listener);
  }

  /** The validated configuration, with defaults applied. */
  getConfiguration(): Readonly<ResolvedConfiguration> {
    return this.#ctx.config;
  }
}
