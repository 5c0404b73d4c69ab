// Entry of the Tessera demo SPA. The same page is the redirect URI: inside one of the library's
// popups or hidden iframes it only hands the authorization response back and stops.
import './styles.css';
import { completeAuthorizationCallback } from '@tessera/browser/callback';
import { isAuthError, type AuthResponse, type UserAgentApplication } from '@tessera/browser';
import { diagnose } from '@tessera/browser/diagnose';
import { AnswerList, callApi } from './api.js';
import {
  acquireToken,
  createApiFetch,
  createApplication,
  needsInteraction,
  requestFor,
} from './auth.js';
import { loadConfig, type DemoConfig } from './config.js';
import { byId } from './dom.js';
import { EventLog, describeEvent } from './event-log.js';
import { TokenStore, phaseOf, renderTokens, tickCountdowns } from './tokens.js';
import {
  clearError,
  renderClaims,
  renderConfig,
  renderSetupReport,
  renderState,
  showError,
} from './view.js';

/** Minimum pause between two automatic renewals of the same token, ms. */
const RENEW_RETRY_MS = 15_000;

function start(config: DemoConfig): void {
  const log = new EventLog(byId('log', HTMLOListElement));
  const tokens = new TokenStore();
  const answers = new AnswerList(byId('answers'));
  const tokenList = byId('tokens', HTMLUListElement);
  const offsetMs = config.tokenRenewalOffsetSeconds * 1000;

  const app: UserAgentApplication = createApplication(config, (level, message) =>
    log.library(level, message),
  );
  const apiFetch = createApiFetch(app, config);

  const refresh = (): void => {
    const account = app.getAccount();
    renderState(account, config);
    renderClaims(tokens, account);
  };
  tokens.onChange(() => {
    renderTokens(tokenList, tokens, offsetMs);
    refresh();
  });

  app.addEventCallback((event) => {
    log.add(describeEvent(event));
    if (
      event.error === null &&
      (event.eventType === 'msal:loginSuccess' || event.eventType === 'msal:acquireTokenSuccess')
    ) {
      tokens.record(event.payload);
    }
    if (event.eventType === 'msal:logoutStart') tokens.clear();
    refresh();
  });

  // The seed's redirect callbacks: the result of a redirect flow after the return.
  app.handleRedirectCallbacks(
    (response: AuthResponse) => {
      tokens.record(response);
      log.app('Redirect completed', `token for ${response.scopes.join(' ') || 'sign-in'}`);
      refresh();
    },
    (error) => showError(error, 'Redirect'),
  );

  renderConfig(config);
  renderTokens(tokenList, tokens, offsetMs);
  refresh();

  /** Runs a button's action with errors shown (and logged by the library events). */
  const action = (id: string, label: string, run: () => Promise<void>): void => {
    byId(id, HTMLButtonElement).addEventListener('click', () => {
      clearError();
      byId('actions-title').closest('section')?.setAttribute('aria-busy', 'true');
      run()
        .catch((error: unknown) => showError(error, label))
        .finally(() => {
          byId('actions-title').closest('section')?.removeAttribute('aria-busy');
          refresh();
        });
    });
  };

  // Consent to the API scopes at sign-in, so later tokens come silently (refresh token).
  const loginRequest = {
    ...requestFor(config, config.loginScopes),
    ...(config.scopes.length > 0 ? { extraScopesToConsent: config.scopes } : {}),
  };
  const tokenRequest = requestFor(config, config.scopes);
  const onFallback =
    (to: string) =>
    (code: string): void =>
      log.app(`Silent failed (${code})`, `interaction required → acquireToken${to}`);

  action('sign-in-popup', 'Sign in (popup)', async () => {
    await app.loginPopup(loginRequest);
  });
  action('sign-in-redirect', 'Sign in (redirect)', () => app.loginRedirect(loginRequest));
  action('token-popup', 'Get token', async () => {
    await acquireToken(app, tokenRequest, 'popup', onFallback('Popup'));
  });
  action('token-redirect', 'Get token', async () => {
    await acquireToken(app, tokenRequest, 'redirect', onFallback('Redirect'));
  });

  /** API call; when no token can be had silently, the user is asked once in a popup. */
  const callWithFallback = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const send = () => callApi(apiFetch, config.apiUrl, method, path, body);
    try {
      answers.add(await send());
    } catch (error) {
      if (!needsInteraction(error)) throw error;
      onFallback('Popup')(isAuthError(error) ? error.errorCode : 'interaction_required');
      await app.acquireTokenPopup(tokenRequest);
      answers.add(await send());
    }
  };
  action('call-profile', 'Call API', () => callWithFallback('GET', '/profile'));
  action('add-note', 'Add note', () =>
    callWithFallback('POST', '/notes', { text: byId('note-text', HTMLInputElement).value }),
  );
  action('sign-out', 'Sign out', async () => {
    await app.logout();
  });
  action('check-setup', 'Check setup', async () => {
    byId('setup-report').textContent = 'Checking…';
    renderSetupReport(await diagnose(app));
  });
  byId('clear-log', HTMLButtonElement).addEventListener('click', () => log.clear());

  // Countdown, and silent renewal of tokens that are due (the library renews them through the
  // refresh token, or the hidden iframe when there is none).
  const renewing = new Map<string, number>();
  const autoRenew = byId('auto-renew', HTMLInputElement);
  setInterval(() => {
    const now = Date.now();
    tickCountdowns(tokenList, now);
    if (!autoRenew.checked || app.getAccount() === null) return;
    for (const token of tokens.accessTokens) {
      if (phaseOf(token.expiresOn, now, offsetMs) === 'valid') continue;
      if (now - (renewing.get(token.key) ?? 0) < RENEW_RETRY_MS) continue;
      renewing.set(token.key, now);
      log.app('Renewing', `scopes ${token.key}`);
      app.acquireTokenSilent(requestFor(config, token.scopes)).catch(() => {
        // The failure event is in the log; the next attempt waits RENEW_RETRY_MS.
      });
    }
  }, 1000);

  // Wait for the library's start-up (redirect handling) before showing the account.
  app
    .handleRedirectPromise()
    .catch(() => null)
    .finally(() => {
      if (app.getAccount() === null && tokens.accessTokens.length > 0) tokens.clear();
      refresh();
      document.body.dataset['ready'] = 'true';
    });
}

function main(): void {
  if (completeAuthorizationCallback() !== 'none') return; // popup or hidden iframe: done
  loadConfig().then(start, (error: unknown) => {
    const status = byId('session-status');
    status.dataset['state'] = 'error';
    status.textContent = 'Configuration error';
    showError(error, 'Configuration');
  });
}

main();
