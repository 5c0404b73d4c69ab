import { computed, inject, Injectable, signal, type OnDestroy, type Signal } from '@angular/core';
import type {
  Account,
  AuthenticationParameters,
  AuthResponse,
  AuthSnapshot,
  ErrorReceivedCallback,
  LogoutRequest,
  TokenReceivedCallback,
} from '@tessera/browser';
import { from, type Observable } from 'rxjs';
import { BroadcastService } from './broadcast.service';
import { MSAL_CONFIG, MSAL_INSTANCE, type MsalClient } from './tokens';

/**
 * The Angular face of one `UserAgentApplication`: the core methods as Promises (as the seed
 * calls them) and as Observables (`acquireTokenSilent$`, `loginPopup$`, `handleRedirect$`, ...).
 *
 * It relays every core event to {@link BroadcastService} — failure events with the error as
 * payload — and starts redirect handling when it is created (at app start, by the initializer
 * `provideMsal` / `MsalModule.forRoot` register).
 *
 * The Observable forms start the call at once (a popup opens inside the user gesture that called
 * them) and deliver its one result to every subscriber.
 */
@Injectable()
export class MsalService implements OnDestroy {
  /** The core application, for anything the wrapper does not expose. */
  readonly instance: MsalClient = inject(MSAL_INSTANCE);
  readonly #config = inject(MSAL_CONFIG);
  readonly #broadcast = inject(BroadcastService);
  readonly #callbackId: string;
  readonly #unsubscribe: () => void;
  readonly #redirect: Promise<AuthResponse | null>;
  readonly #snapshot = signal<AuthSnapshot>(this.instance.getSnapshot());

  /**
   * The core's state snapshot as a signal (status, account, accounts, interaction, last error);
   * it changes only when the core's snapshot does, so it suits zone-less apps.
   */
  readonly snapshot: Signal<AuthSnapshot> = this.#snapshot.asReadonly();

  /** The active account as a signal: the only signed-in account, else the most recent; or null. */
  readonly account: Signal<Account | null> = computed(() => this.#snapshot().account);

  /**
   * The redirect outcome of this page load: the response when the page returned from a
   * redirect flow, `null` when it did not; errors with the flow's error.
   */
  readonly handleRedirect$: Observable<AuthResponse | null>;

  constructor() {
    // Registered before the core's start-up finishes, so redirect events reach the bus too.
    this.#callbackId = this.instance.addEventCallback((event) => {
      this.#broadcast.broadcast(event.eventType, event.error ?? event.payload);
    });
    // One source for the signal and the bus's inProgress$ / accounts$: the core's snapshot.
    const publish = () => {
      const snapshot = this.instance.getSnapshot();
      this.#snapshot.set(snapshot);
      this.#broadcast.publishSnapshot(snapshot);
    };
    this.#unsubscribe = this.instance.subscribe(publish);
    publish();
    this.#redirect = this.instance.handleRedirectPromise();
    // Reported through the bus and handleRedirect$; not an unhandled rejection.
    this.#redirect.catch(() => undefined);
    this.handleRedirect$ = from(this.#redirect);
  }

  /** Resolves once start-up redirect handling has settled, successfully or not; never rejects. */
  whenRedirectHandled(): Promise<void> {
    return this.#redirect.then(
      () => undefined,
      () => undefined,
    );
  }

  /**
   * Sign-in defaults under the caller's request: `consentScopes` as scopes, the mapped API
   * scopes as `extraScopesToConsent` (so the interceptor's later silent requests are covered by
   * the consent and the refresh token), and the extra query parameters.
   */
  #loginRequest(request: AuthenticationParameters | undefined): AuthenticationParameters {
    const { consentScopes, extraScopesToConsent, extraQueryParameters } = this.#config;
    return {
      ...(consentScopes.length > 0 && { scopes: [...consentScopes] }),
      ...(extraScopesToConsent.length > 0 && { extraScopesToConsent: [...extraScopesToConsent] }),
      ...(extraQueryParameters !== undefined && {
        extraQueryParameters: { ...extraQueryParameters },
      }),
      ...request,
    };
  }

  /** See `UserAgentApplication.acquireTokenSilent`: cache → refresh token → hidden iframe. */
  acquireTokenSilent(request: AuthenticationParameters): Promise<AuthResponse> {
    return this.instance.acquireTokenSilent(request);
  }

  /** {@link MsalService.acquireTokenSilent} as an Observable. */
  acquireTokenSilent$(request: AuthenticationParameters): Observable<AuthResponse> {
    return from(this.acquireTokenSilent(request));
  }

  /** See `UserAgentApplication.acquireTokenPopup`; call it from a user gesture. */
  acquireTokenPopup(request: AuthenticationParameters): Promise<AuthResponse> {
    return this.instance.acquireTokenPopup(request);
  }

  /** {@link MsalService.acquireTokenPopup} as an Observable. */
  acquireTokenPopup$(request: AuthenticationParameters): Observable<AuthResponse> {
    return from(this.acquireTokenPopup(request));
  }

  /** See `UserAgentApplication.acquireTokenRedirect`; the result arrives after the return. */
  acquireTokenRedirect(request: AuthenticationParameters): Promise<void> {
    return this.instance.acquireTokenRedirect(request);
  }

  /** Signs in with a popup; the request is laid over the configured sign-in defaults. */
  loginPopup(request?: AuthenticationParameters): Promise<AuthResponse> {
    return this.instance.loginPopup(this.#loginRequest(request));
  }

  /** {@link MsalService.loginPopup} as an Observable. */
  loginPopup$(request?: AuthenticationParameters): Observable<AuthResponse> {
    return from(this.loginPopup(request));
  }

  /** Signs in by redirect; the request is laid over the configured sign-in defaults. */
  loginRedirect(request?: AuthenticationParameters): Promise<void> {
    return this.instance.loginRedirect(this.#loginRequest(request));
  }

  /** Signs out by redirect (local tokens first, then the provider's end-session endpoint). */
  logout(request?: LogoutRequest): Promise<void> {
    return this.instance.logout(request);
  }

  /** Signs out in a popup; call it from a user gesture. */
  logoutPopup(request?: LogoutRequest): Promise<void> {
    return this.instance.logoutPopup(request);
  }

  /** The signed-in account when exactly one is known, else null. */
  getAccount(): Account | null {
    return this.instance.getAccount();
  }

  /** Every account signed in to this app. */
  getAllAccounts(): Account[] {
    return this.instance.getAllAccounts();
  }

  /** The seed's redirect callbacks; callbacks registered late still get the result. */
  handleRedirectCallbacks(
    tokenReceivedCallback: TokenReceivedCallback,
    errorReceivedCallback: ErrorReceivedCallback,
  ): void {
    this.instance.handleRedirectCallbacks(tokenReceivedCallback, errorReceivedCallback);
  }

  /** The redirect outcome as a Promise; see {@link MsalService.handleRedirect$}. */
  handleRedirectPromise(): Promise<AuthResponse | null> {
    return this.#redirect;
  }

  /** Stops relaying core events and state (when the app's injector is destroyed). */
  ngOnDestroy(): void {
    this.instance.removeEventCallback(this.#callbackId);
    this.#unsubscribe();
  }
}
