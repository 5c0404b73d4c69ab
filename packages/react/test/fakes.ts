// A fake client: the subset of UserAgentApplication the hooks use, scripted by the test, with a
// state snapshot the test changes by hand (a new frozen object per change, as the core makes).
import {
  BrowserAuthError,
  InteractionRequiredAuthError,
  STARTING_SNAPSHOT,
  type Account,
  type AuthenticationParameters,
  type AuthResponse,
  type AuthSnapshot,
  type EventCallback,
  type IdTokenClaims,
} from '@tessera/browser';
import type { MsalReactClient } from '../src/index.js';

const claims: IdTokenClaims = {
  iss: 'https://idp.example',
  sub: 'alice',
  aud: 'app',
  exp: 0,
  iat: 0,
};

export const alice: Account = {
  homeAccountId: 'alice-home',
  localAccountId: 'alice',
  environment: 'idp.example',
  issuer: 'https://idp.example',
  tenantId: '',
  username: 'alice@example.com',
  name: 'Alice',
  idTokenClaims: claims,
  accountIdentifier: 'alice',
  homeAccountIdentifier: 'alice-home',
  userName: 'alice@example.com',
};

/** One hour: a typical access-token lifetime. */
export const LIFETIME_MS = 3_600_000;

/** A token response for `scopes`, valid for `lifetimeMs` from now (fake timers move now). */
export function tokenFor(
  scopes: readonly string[],
  accessToken = `at-${scopes.join('+')}`,
  lifetimeMs = LIFETIME_MS,
): AuthResponse {
  return {
    accessToken,
    tokenType: 'Bearer',
    scopes: [...scopes],
    expiresOn: new Date(Date.now() + lifetimeMs),
    idToken: '',
    idTokenClaims: claims,
    account: alice,
    tenantId: '',
    uniqueId: 'alice',
    accountState: '',
    fromCache: false,
    correlationId: 'c',
  };
}

export const signedIn: Partial<AuthSnapshot> = {
  status: 'signedIn',
  account: alice,
  accounts: [alice],
};

export const interactionRequired = () =>
  new InteractionRequiredAuthError('interaction_required', 'interaction_required: consent needed');

export const inProgressError = () =>
  new BrowserAuthError('interaction_in_progress', 'Another popup or redirect is in progress.');

type Call = { method: string; request: AuthenticationParameters | undefined };

export class FakeClient implements MsalReactClient {
  calls: Call[] = [];
  silent: (request: AuthenticationParameters) => Promise<AuthResponse> = (request) =>
    Promise.resolve(tokenFor(request.scopes ?? []));
  popup: (request: AuthenticationParameters) => Promise<AuthResponse> = (request) =>
    Promise.resolve(tokenFor(request.scopes ?? [], 'popup-token'));
  #snapshot: AuthSnapshot;
  readonly #listeners = new Set<() => void>();

  constructor(initial: Partial<AuthSnapshot> = { status: 'signedOut' }) {
    this.#snapshot = Object.freeze({ ...STARTING_SNAPSHOT, ...initial });
  }

  setSnapshot(change: Partial<AuthSnapshot>): void {
    this.#snapshot = Object.freeze({ ...this.#snapshot, ...change });
    for (const listener of this.#listeners) listener();
  }

  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
  getSnapshot(): AuthSnapshot {
    return this.#snapshot;
  }
  acquireTokenSilent(request: AuthenticationParameters): Promise<AuthResponse> {
    this.calls.push({ method: 'acquireTokenSilent', request });
    return this.silent(request);
  }
  acquireTokenPopup(request: AuthenticationParameters): Promise<AuthResponse> {
    this.calls.push({ method: 'acquireTokenPopup', request });
    return this.popup(request);
  }
  acquireTokenRedirect(request: AuthenticationParameters): Promise<void> {
    this.calls.push({ method: 'acquireTokenRedirect', request });
    return Promise.resolve();
  }
  loginPopup(request: AuthenticationParameters = {}): Promise<AuthResponse> {
    this.calls.push({ method: 'loginPopup', request });
    return this.popup(request);
  }
  loginRedirect(request: AuthenticationParameters = {}): Promise<void> {
    this.calls.push({ method: 'loginRedirect', request });
    return Promise.resolve();
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
    return this.#snapshot.accounts.length === 1 ? this.#snapshot.account : null;
  }
  getAllAccounts(): Account[] {
    return [...this.#snapshot.accounts];
  }
  handleRedirectPromise(): Promise<AuthResponse | null> {
    return Promise.resolve(null);
  }
  addEventCallback(_callback: EventCallback): string {
    return 'cb';
  }
  removeEventCallback(_id: string): void {
    // nothing registered
  }
}
