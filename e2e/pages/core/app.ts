// Test page for the core library: the seed's code, run as written, plus hooks the tests read.
import {
  createAuthFetch,
  UserAgentApplication,
  type AuthenticationParameters,
  type AuthResponse,
} from '../../../packages/browser/src/index.js';
import { pageEnv } from '../../harness/page-env.js';

interface PageOptions {
  authority?: string;
  protocolMode?: 'OIDC' | 'AAD';
  knownAuthorities?: string[];
  offlineAccess?: boolean;
  /** Sent with the seed's access token request (e.g. Auth0's `audience`). */
  extraQueryParameters?: Record<string, string>;
  tokenRenewalOffsetSeconds?: number;
  loadFrameTimeout?: number;
  windowHashTimeout?: number;
  scopes?: string[];
  protectedResourceMap?: Record<string, string[]>;
  cacheLocation?: 'sessionStorage' | 'localStorage' | 'memory';
  idleTimeout?: number;
  idleWarning?: number;
  autoRenew?: boolean;
  revokeTokensOnLogout?: boolean;
  logoutAllTabs?: boolean;
  networkTimeout?: number;
}

export interface Outcome {
  ok: boolean;
  response?: {
    accessToken: string;
    scopes: string[];
    fromCache: boolean;
    expiresOn: string;
    tokenType: string;
    username: string;
    homeAccountId: string;
    idTokenNonce: unknown;
    accountState: string;
  };
  error?: {
    name: string;
    errorCode: string;
    errorMessage: string;
    seedCheck: boolean;
    /** AuthError details, when the error has them. */
    retryable?: boolean;
    requestSent?: boolean;
    status?: number;
    retryAfter?: number;
  };
}

const env = pageEnv();
// A test may add options known only once its servers run (an authority on a port), by an init
// script that sets this global before the page's scripts.
const options = {
  ...(env.tessera as PageOptions | undefined),
  ...((globalThis as Record<string, unknown>)['__E2E_TESSERA__'] as PageOptions | undefined),
};

function toOutcome(response: AuthResponse): Outcome {
  return {
    ok: true,
    response: {
      accessToken: response.accessToken,
      scopes: response.scopes,
      fromCache: response.fromCache,
      expiresOn: response.expiresOn.toISOString(),
      tokenType: response.tokenType,
      username: response.account.username,
      homeAccountId: response.account.homeAccountId,
      idTokenNonce: response.idTokenClaims.nonce,
      accountState: response.accountState,
    },
  };
}

function errorOutcome(error: unknown): Outcome {
  const e = error as {
    name?: string;
    errorCode?: string;
    errorMessage?: string;
    message?: string;
    retryable?: unknown;
    requestSent?: unknown;
    status?: unknown;
    retryAfter?: unknown;
  };
  const errorMessage = e.errorMessage ?? e.message ?? String(error);
  return {
    ok: false,
    error: {
      name: e.name ?? 'Error',
      errorCode: e.errorCode ?? 'none',
      errorMessage,
      seedCheck: errorMessage.indexOf('interaction_required') !== -1,
      ...(typeof e.retryable === 'boolean' && { retryable: e.retryable }),
      ...(typeof e.requestSent === 'boolean' && { requestSent: e.requestSent }),
      ...(typeof e.status === 'number' && { status: e.status }),
      ...(typeof e.retryAfter === 'number' && { retryAfter: e.retryAfter }),
    },
  };
}

const settle = (p: Promise<AuthResponse>): Promise<Outcome> => p.then(toOutcome, errorOutcome);

const userAgentApplication = new UserAgentApplication({
  auth: {
    clientId: env.clientId ?? '',
    authority: options.authority ?? env.issuer ?? '',
    ...(options.protocolMode !== undefined && { protocolMode: options.protocolMode }),
    ...(options.knownAuthorities !== undefined && { knownAuthorities: options.knownAuthorities }),
    ...(options.offlineAccess !== undefined && { offlineAccess: options.offlineAccess }),
    redirectUri: env.redirectUri ?? '',
  },
  cache: { cacheLocation: options.cacheLocation ?? 'sessionStorage' },
  system: {
    ...(options.tokenRenewalOffsetSeconds !== undefined && {
      tokenRenewalOffsetSeconds: options.tokenRenewalOffsetSeconds,
    }),
    ...(options.loadFrameTimeout !== undefined && { loadFrameTimeout: options.loadFrameTimeout }),
    ...(options.windowHashTimeout !== undefined && {
      windowHashTimeout: options.windowHashTimeout,
    }),
    ...(options.networkTimeout !== undefined && { networkTimeout: options.networkTimeout }),
    ...(options.idleTimeout !== undefined && { idleTimeout: options.idleTimeout }),
    ...(options.idleWarning !== undefined && { idleWarning: options.idleWarning }),
    ...(options.autoRenew !== undefined && { autoRenew: options.autoRenew }),
    ...(options.logoutAllTabs !== undefined && { logoutAllTabs: options.logoutAllTabs }),
    ...(options.revokeTokensOnLogout !== undefined && {
      revokeTokensOnLogout: options.revokeTokensOnLogout,
    }),
  },
});

// msal 1.x apps ask for the account right after construction, synchronously.
const accountAtStart = userAgentApplication.getAccount()?.username ?? null;
const redirectResults: Outcome[] = [];
const lateRedirectResults: Outcome[] = [];
const events: { type: string; errorCode: string | undefined; reason?: string }[] = [];
userAgentApplication.addEventCallback((event) => {
  events.push({
    type: event.eventType,
    errorCode: event.error?.errorCode,
    ...(event.eventType === 'msal:sessionEnded' && { reason: event.payload.reason }),
  });
});

// The seed registers the redirect callbacks when the page loads ...
userAgentApplication.handleRedirectCallbacks(
  (response) => redirectResults.push(toOutcome(response)),
  (error) => redirectResults.push(errorOutcome(error)),
);
// ... and a second registration well after load must still receive the result.
setTimeout(() => {
  userAgentApplication.handleRedirectCallbacks(
    (response) => lateRedirectResults.push(toOutcome(response)),
    (error) => lateRedirectResults.push(errorOutcome(error)),
  );
}, 1000);

const accessTokenRequest = (): AuthenticationParameters => ({
  scopes: options.scopes ?? ['api://demo/read'],
  ...(options.extraQueryParameters !== undefined && {
    extraQueryParameters: options.extraQueryParameters,
  }),
});

const accountNamed = (username: string) =>
  userAgentApplication.getAllAccounts().find((a) => a.username === username);

const state = {
  app: userAgentApplication,
  accountAtStart,
  events,
  redirectResults,
  lateRedirectResults,
  /** The result of the latest button flow. */
  last: undefined as Outcome | undefined,
  /** Outcome of the silent call made by a seed-pattern button before its fallback. */
  seedSilent: undefined as Outcome | undefined,
  silent: (request: AuthenticationParameters = accessTokenRequest()) =>
    settle(userAgentApplication.acquireTokenSilent(request)),
  popupNow: (request: AuthenticationParameters = accessTokenRequest()) =>
    settle(userAgentApplication.acquireTokenPopup(request)),
  account: () => userAgentApplication.getAccount()?.username ?? null,
  accounts: () => userAgentApplication.getAllAccounts().map((a) => a.username),
  /** A silent request for the named account (undefined: none signed in by that name). */
  silentFor: (username: string, request: AuthenticationParameters = accessTokenRequest()) => {
    const account = accountNamed(username);
    return settle(
      userAgentApplication.acquireTokenSilent(
        account === undefined ? request : { ...request, account },
      ),
    );
  },
  setActive: (username: string | null) =>
    userAgentApplication.setActiveAccount(
      username === null ? null : (accountNamed(username) ?? null),
    ),
  fetchWithToken: async (url: string) => {
    const authFetch = createAuthFetch(userAgentApplication, {
      protectedResourceMap: options.protectedResourceMap ?? {},
    });
    try {
      const response = await authFetch(url);
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { status: -1, error: String(error) };
    }
  },
  // Tokens, accounts and claims: what a failed response must never leave behind. Pending
  // requests and the provider's remembered discovery document (validated on its own) are not.
  cacheKeys: () =>
    Object.keys(sessionStorage).filter(
      (k) => k.startsWith('tessera.v1.') && !k.includes('.txn.') && !k.includes('.metadata.'),
    ),
};
(window as unknown as { t: typeof state }).t = state;

// The seed's popup pattern, exactly as the document writes it.
document.querySelector('#seed-popup')?.addEventListener('click', () => {
  userAgentApplication
    .acquireTokenSilent(accessTokenRequest())
    .then(function (accessTokenResponse) {
      state.last = toOutcome(accessTokenResponse);
    })
    .catch(function (error: { errorMessage: string }) {
      state.seedSilent = errorOutcome(error);
      if (error.errorMessage.indexOf('interaction_required') !== -1) {
        userAgentApplication
          .acquireTokenPopup(accessTokenRequest())
          .then(function (accessTokenResponse) {
            state.last = toOutcome(accessTokenResponse);
          })
          .catch(function (popupError: unknown) {
            state.last = errorOutcome(popupError);
          });
      } else {
        state.last = errorOutcome(error);
      }
    });
});

document.querySelector('#popup')?.addEventListener('click', () => {
  void settle(userAgentApplication.acquireTokenPopup(accessTokenRequest())).then(
    (o) => (state.last = o),
  );
});

// The seed's redirect pattern.
document.querySelector('#seed-redirect')?.addEventListener('click', () => {
  userAgentApplication.acquireTokenSilent(accessTokenRequest()).catch(function (error: {
    errorMessage: string;
  }) {
    state.seedSilent = errorOutcome(error);
    if (error.errorMessage.indexOf('interaction_required') !== -1) {
      void userAgentApplication.acquireTokenRedirect({
        ...accessTokenRequest(),
        state: 'app-state-1',
      });
    }
  });
});

const status = document.querySelector('#status');
if (status !== null) status.textContent = 'ready';
document.body.dataset['state'] = 'ready';
