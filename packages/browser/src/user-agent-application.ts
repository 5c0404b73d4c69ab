import { readAccountsNow } from './cache/account-snapshot.js';
import { createStore } from './cache/storage.js';
import { createTokenCache } from './cache/token-cache.js';
import { createTransactionStore } from './cache/transaction-store.js';
import type { AccountEntity } from './cache/types.js';
import { resolveConfiguration, type Configuration, type ResolvedConfiguration } from './config.js';
import { createCacheNotifier } from './coordination/cache-notifier.js';
import { createLockManager } from './coordination/lock-manager.js';
import { createSpentTokenRegistry } from './coordination/spent-tokens.js';
import { createSingleFlight } from './coordination/single-flight.js';
import { toAuthError, type AuthError } from './errors/auth-error.js';
import {
  EventHub,
  type AuthEvent,
  type EventCallback,
  type EventType,
  type InteractionType,
} from './events.js';
import { toAccount } from './flows/account.js';
import type { FlowContext } from './flows/context.js';
import { logoutPopup, logoutRedirect, type LogoutRequest } from './flows/logout-flow.js';
import { startPopupFlow } from './flows/popup-flow.js';
import {
  handleRedirectResponse,
  RedirectFailure,
  startRedirectFlow,
} from './flows/redirect-flow.js';
import { normalizeRequest } from './flows/request.js';
import { acquireTokenSilently } from './flows/silent-flow.js';
import { isAuthTransaction, type AuthTransaction } from './flows/transaction.js';
import { createInteractionLock } from './interaction/interaction-lock.js';
import { DefaultNavigationClient } from './interaction/redirect-navigator.js';
import { createLogger, type Logger } from './logger.js';
import { resolvePorts, type Ports } from './ports.js';
import { createProtocolClient } from './protocol/protocol-client.js';
import type { ProtocolClient } from './protocol/types.js';
import type { Account, AuthenticationParameters, AuthResponse } from './types.js';

/** Receives the token of a completed redirect flow. */
export type TokenReceivedCallback = (response: AuthResponse) => void;
/** Receives the error of a failed redirect flow, with the app's `state`. */
export type ErrorReceivedCallback = (error: AuthError, accountState: string) => void;
/** Single-callback form of {@link UserAgentApplication.handleRedirectCallback}. */
export type AuthCallback = (error: AuthError | null, response?: AuthResponse) => void;

type RedirectOutcome =
  | { kind: 'none' }
  | { kind: 'response'; response: AuthResponse }
  | { kind: 'error'; error: AuthError };

/**
 * Signs users in and acquires tokens, with the API of the seed document (msal 1.x):
 * `acquireTokenSilent` → on `interaction_required` → `acquireTokenPopup` or
 * `acquireTokenRedirect`, and `handleRedirectCallbacks` for the redirect result.
 *
 * The constructor only validates configuration; storage reads, redirect handling and
 * discovery run behind an internal ready-promise that every public method awaits, so there
 * is no `initialize()` to call first.
 *
 * @throws ClientConfigurationError from the constructor, naming the field and the fix.
 */
export class UserAgentApplication {
  readonly #config: ResolvedConfiguration;
  readonly #ports: Ports;
  readonly #logger: Logger;
  readonly #events: EventHub;
  readonly #ctx: FlowContext;
  readonly #ready: Promise<void>;
  readonly #routerNavigation: boolean;
  #accounts: AccountEntity[] = [];
  #redirect: RedirectOutcome = { kind: 'none' };

  constructor(configuration: Configuration) {
    const ports = resolvePorts(configuration?.system?.ports);
    this.#ports = ports;
    this.#config = resolveConfiguration(configuration, ports.window?.location.href);
    this.#logger = createLogger(configuration.system?.logger);
    this.#events = new EventHub(this.#logger, () => ports.clock.now());
    this.#routerNavigation = configuration.system?.navigationClient !== undefined;

    const deps = { clock: ports.clock, logger: this.#logger };
    const cache = createTokenCache(
      createStore(this.#config.cacheLocation, ports.window, this.#logger),
      deps,
    );
    // Request state must survive the redirect round trip in this tab only: sessionStorage.
    const session = createStore('sessionStorage', ports.window, this.#logger);
    const protocols = new Map<string, ProtocolClient>();
    const notifier = createCacheNotifier();
    this.#ctx = {
      config: this.#config,
      ports,
      logger: this.#logger,
      cache,
      session,
      transactions: createTransactionStore<AuthTransaction>(session, {
        ...deps,
        isTransaction: isAuthTransaction,
      }),
      protocol: (authority) => {
        const key = authority.replace(/\/+$/, '');
        let client = protocols.get(key);
        if (client === undefined) {
          client = createProtocolClient({
            authority: key,
            protocolMode: this.#config.protocolMode,
            clientId: this.#config.clientId,
            fetch: ports.fetch,
            clock: ports.clock,
            logger: this.#logger,
            allowInsecureRequests: new URL(key).protocol === 'http:',
          });
          protocols.set(key, client);
        }
        return client;
      },
      events: this.#events,
      singleFlight: createSingleFlight(),
      locks: createLockManager(ports.window),
      spentTokens: createSpentTokenRegistry(ports.window, ports),
      notifier,
      interactionGuard: createInteractionLock(),
      navigationClient:
        configuration.system?.navigationClient ?? new DefaultNavigationClient(ports.window),
      accounts: {
        all: () => this.#accounts,
        reload: async () => {
          this.#accounts = await cache.getAccounts({ clientId: this.#config.clientId });
        },
      },
    };
    this.#accounts = readAccountsNow(
      this.#config.cacheLocation,
      ports.window,
      this.#config.clientId,
    );
    // Another tab signed in, renewed or signed out: keep getAccount() current.
    notifier.subscribe(() => void this.#ctx.accounts.reload());
    this.#ready = this.#start();
  }

  async #start(): Promise<void> {
    await this.#ctx.accounts.reload();
    const outcome = await handleRedirectResponse(this.#ctx, this.#routerNavigation).then(
      (result): RedirectOutcome => {
        if (result === null) return { kind: 'none' };
        this.#emitSuccess(result.transaction, 'redirect', result.response);
        return { kind: 'response', response: result.response };
      },
      (error: unknown): RedirectOutcome => {
        const failure = error instanceof RedirectFailure ? error : undefined;
        const authError = toAuthError(failure === undefined ? error : failure.cause);
        const type = failure?.kind === 'login' ? 'msal:loginFailure' : 'msal:acquireTokenFailure';
        this.#events.emit(type, 'redirect', null, authError);
        return { kind: 'error', error: authError };
      },
    );
    this.#redirect = outcome;
    if (outcome.kind !== 'none') {
      this.#events.emit(
        'msal:handleRedirectEnd',
        'redirect',
        outcome.kind === 'response' ? outcome.response : null,
      );
    }
  }

  #emitSuccess(
    transaction: Pick<AuthTransaction, 'kind'>,
    type: InteractionType,
    response: AuthResponse,
  ): void {
    this.#events.emit(
      transaction.kind === 'login' ? 'msal:loginSuccess' : 'msal:acquireTokenSuccess',
      type,
      response,
    );
  }

  /** Runs a flow with start/success/failure events. */
  async #tracked(
    kind: 'login' | 'acquireToken',
    type: InteractionType,
    request: AuthenticationParameters,
    run: () => Promise<AuthResponse>,
  ): Promise<AuthResponse> {
    this.#events.emit(
      kind === 'login' ? 'msal:loginStart' : 'msal:acquireTokenStart',
      type,
      request,
    );
    try {
      const response = await run();
      this.#emitSuccess({ kind }, type, response);
      return response;
    } catch (error) {
      const authError = toAuthError(error);
      this.#events.emit(
        kind === 'login' ? 'msal:loginFailure' : 'msal:acquireTokenFailure',
        type,
        null,
        authError,
      );
      throw authError;
    }
  }

  /**
   * Returns a token without showing anything: a cached token that covers the scopes, else a
   * refresh-token grant, else a hidden iframe with `prompt=none`. Rejects with an
   * `InteractionRequiredAuthError` (its `errorMessage` contains `interaction_required`) when
   * only the user can fix it; fall back to {@link acquireTokenPopup} or {@link acquireTokenRedirect}.
   *
   * @throws InteractionRequiredAuthError `login_required`, `consent_required`, `interaction_required`, `no_account`
   * @throws ServerError, ClientAuthError (`network_error`, `invalid_id_token`, ...), BrowserAuthError (`monitor_window_timeout`)
   */
  acquireTokenSilent(request: AuthenticationParameters): Promise<AuthResponse> {
    return this.#tracked('acquireToken', 'silent', request, async () => {
      const normalized = normalizeRequest(
        request,
        this.#config.clientId,
        this.#ports.getRandomValues,
      );
      await this.#ready;
      return acquireTokenSilently(this.#ctx, request, normalized);
    });
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

  #popup(kind: 'login' | 'acquireToken', request: AuthenticationParameters): Promise<AuthResponse> {
    let started: Promise<AuthResponse>;
    try {
      // Synchronous up to window.open: no await before the popup exists.
      const normalized = normalizeRequest(
        request,
        this.#config.clientId,
        this.#ports.getRandomValues,
      );
      started = startPopupFlow(this.#ctx, this.#ready, request, normalized, kind);
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

  async #redirectTo(
    kind: 'login' | 'acquireToken',
    request: AuthenticationParameters,
  ): Promise<void> {
    this.#events.emit(
      kind === 'login' ? 'msal:loginStart' : 'msal:acquireTokenStart',
      'redirect',
      request,
    );
    try {
      const normalized = normalizeRequest(
        request,
        this.#config.clientId,
        this.#ports.getRandomValues,
      );
      await startRedirectFlow(this.#ctx, this.#ready, request, normalized, kind);
    } catch (error) {
      const authError = toAuthError(error);
      this.#events.emit(
        kind === 'login' ? 'msal:loginFailure' : 'msal:acquireTokenFailure',
        'redirect',
        null,
        authError,
      );
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
      if (outcome.kind === 'error') errorReceivedCallback(outcome.error, '');
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

  /** The signed-in account when exactly one is known here, else null (use getAllAccounts). */
  getAccount(): Account | null {
    const [only, ...rest] = this.#accounts;
    return only !== undefined && rest.length === 0 ? toAccount(only) : null;
  }

  /** Every account signed in to this app in this cache. */
  getAllAccounts(): Account[] {
    return this.#accounts.map(toAccount);
  }

  /** Signs out by redirect: local tokens are removed, then the provider's end-session endpoint is visited. */
  logout(request: LogoutRequest = {}): Promise<void> {
    return this.#logout('redirect', () => logoutRedirect(this.#ctx, this.#ready, request), request);
  }

  /** Alias of {@link logout}. */
  logoutRedirect(request: LogoutRequest = {}): Promise<void> {
    return this.logout(request);
  }

  /** Signs out in a popup (opened synchronously; call from a user gesture). */
  logoutPopup(request: LogoutRequest = {}): Promise<void> {
    return this.#logout('popup', () => logoutPopup(this.#ctx, this.#ready, request), request);
  }

  async #logout(
    type: InteractionType,
    run: () => Promise<void>,
    request: LogoutRequest,
  ): Promise<void> {
    const account = request.account ?? this.getAccount();
    this.#events.emit('msal:logoutStart', type, account);
    let started: Promise<void>;
    try {
      started = run();
    } catch (error) {
      started = Promise.reject(toAuthError(error));
    }
    try {
      await started;
      this.#events.emit('msal:logoutSuccess', type, account);
      this.#events.emit('msal:accountRemoved', type, account);
    } catch (error) {
      const authError = toAuthError(error);
      this.#events.emit('msal:logoutFailure', type, null, authError);
      throw authError;
    }
  }

  /** Registers a callback for every event; returns an id for {@link removeEventCallback}. */
  addEventCallback(callback: EventCallback): string {
    return this.#events.add(callback);
  }

  /** Removes a callback registered with {@link addEventCallback}. */
  removeEventCallback(id: string): void {
    this.#events.remove(id);
  }

  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T extends EventType>(type: T, handler: (event: AuthEvent<T>) => void): () => void {
    return this.#events.on(type, handler);
  }

  /** The validated configuration, with defaults applied. */
  getConfiguration(): Readonly<ResolvedConfiguration> {
    return this.#config;
  }
}
