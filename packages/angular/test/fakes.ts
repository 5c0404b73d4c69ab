// Test seams: a fake `UserAgentApplication`-shaped client, and TestBed set-up without a DOM.
import '@angular/compiler';
import { TestBed } from '@angular/core/testing';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';
import type {
  Account,
  AnyAuthEvent,
  AuthenticationParameters,
  AuthError,
  AuthResponse,
  AuthSnapshot,
  EventCallback,
  IdTokenClaims,
} from '@tessera/browser';
import { STARTING_SNAPSHOT } from '@tessera/browser';
import type { MsalClient } from '../src/tokens';

let initialised = false;

/** Angular's test environment, once per file (JIT: `@angular/compiler` is imported above). */
export function initTestEnvironment(): void {
  if (initialised) return;
  TestBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting(), {
    teardown: { destroyAfterEach: true },
  });
  initialised = true;
}

const claims: IdTokenClaims = {
  iss: 'https://idp.example',
  sub: 'alice',
  aud: 'app',
  exp: 0,
  iat: 0,
};

export const alice: Account = {
  homeAccountId: 'alice',
  localAccountId: 'alice',
  environment: 'idp.example',
  issuer: 'https://idp.example',
  tenantId: '',
  username: 'alice',
  name: 'Alice',
  idTokenClaims: claims,
  accountIdentifier: 'alice',
  homeAccountIdentifier: 'alice',
  userName: 'alice',
};

/** A token response for `scopes`. */
export function tokenFor(
  scopes: readonly string[],
  accessToken = `at-${scopes.join('+')}`,
  tokenType = 'Bearer',
): AuthResponse {
  return {
    accessToken,
    tokenType,
    scopes: [...scopes],
    expiresOn: new Date(0),
    idToken: '',
    idTokenClaims: claims,
    account: alice,
    tenantId: '',
    uniqueId: 'alice',
    accountState: '',
    fromCache: true,
    correlationId: 'c',
  };
}

type Call = { method: string; request: AuthenticationParameters | undefined };

/**
 * Behaves like the core where the wrapper can see it: answers through scripted functions, and
 * emits start/success/failure events the way `UserAgentApplication` does (failures carry the
 * error in `error`, payload null).
 */
export class FakeClient implements MsalClient {
  accounts: Account[] = [];
  calls: Call[] = [];
  silent: (request: AuthenticationParameters) => Promise<AuthResponse> = (request) =>
    Promise.resolve(tokenFor(request.scopes ?? []));
  popup: (request: AuthenticationParameters) => Promise<AuthResponse> = (request) =>
    Promise.resolve(tokenFor(request.scopes ?? [], 'popup-token'));
  redirect: () => Promise<void> = () => Promise.resolve();
  redirectResult: Promise<AuthResponse | null> = Promise.resolve(null);
  readonly #callbacks = new Map<string, EventCallback>();
  #next = 0;
  #snapshot: AuthSnapshot = STARTING_SNAPSHOT;
  readonly #listeners = new Set<() => void>();

  /** Replaces the state snapshot (a new object, as the core makes) and tells subscribers. */
  setSnapshot(change: Partial<AuthSnapshot>): void {
    this.#snapshot = Object.freeze({ ...this.#snapshot, ...change });
    for (const listener of this.#listeners) listener();
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  getSnapshot(): AuthSnapshot {
    return this.#snapshot;
  }
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  emit(
    eventType: AnyAuthEvent['eventType'],
    payload: unknown,
    error: AuthError | null = null,
  ): void {
    const event = {
      eventType,
      interactionType: 'silent',
      payload,
      error,
      timestamp: 0,
    } as AnyAuthEvent;
    for (const callback of this.#callbacks.values()) callback(event);
  }

  get callbackCount(): number {
    return this.#callbacks.size;
  }

  async #tracked(
    method: string,
    request: AuthenticationParameters,
    run: (r: AuthenticationParameters) => Promise<AuthResponse>,
  ): Promise<AuthResponse> {
    this.calls.push({ method, request });
    this.emit('msal:acquireTokenStart', request);
    try {
      const response = await run(request);
      this.emit('msal:acquireTokenSuccess', response);
      return response;
    } catch (error) {
      this.emit('msal:acquireTokenFailure', null, error as AuthError);
      throw error;
    }
  }

  acquireTokenSilent(request: AuthenticationParameters): Promise<AuthResponse> {
    return this.#tracked('acquireTokenSilent', request, this.silent);
  }
  acquireTokenPopup(request: AuthenticationParameters): Promise<AuthResponse> {
    return this.#tracked('acquireTokenPopup', request, this.popup);
  }
  acquireTokenRedirect(request: AuthenticationParameters): Promise<void> {
    this.calls.push({ method: 'acquireTokenRedirect', request });
    return this.redirect();
  }
  loginPopup(request: AuthenticationParameters = {}): Promise<AuthResponse> {
    this.calls.push({ method: 'loginPopup', request });
    return this.popup(request).then((response) => {
      this.accounts = [alice];
      return response;
    });
  }
  loginRedirect(request: AuthenticationParameters = {}): Promise<void> {
    this.calls.push({ method: 'loginRedirect', request });
    return this.redirect();
  }
  logout(): Promise<void> {
    this.calls.push({ method: 'logout', request: undefined });
    return Promise.resolve();
  }
  logoutPopup(): Promise<void> {
    this.calls.push({ method: 'logoutPopup', request: undefined });
    return Promise.resolve();
  }
  getAccount(): Account | null {
    return this.accounts.length === 1 ? (this.accounts[0] ?? null) : null;
  }
  getAllAccounts(): Account[] {
    return [...this.accounts];
  }
  handleRedirectCallbacks(): void {
    // Not exercised by these tests.
  }
  handleRedirectPromise(): Promise<AuthResponse | null> {
    return this.redirectResult;
  }
  addEventCallback(callback: EventCallback): string {
    const id = `cb${++this.#next}`;
    this.#callbacks.set(id, callback);
    return id;
  }
  removeEventCallback(id: string): void {
    this.#callbacks.delete(id);
  }

  /** Calls of one method. */
  callsOf(method: string): Call[] {
    return this.calls.filter((call) => call.method === method);
  }
}

/** Lets pending promise callbacks (token acquisition) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
