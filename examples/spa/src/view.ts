// The parts of the page that follow the sign-in state: header status, account card, buttons,
// claims, and the error banner.
import { isAuthError, type Account } from '@tessera/browser';
import type { Diagnosis } from '@tessera/browser/diagnose';
import { claimList } from './claims.js';
import type { DemoConfig } from './config.js';
import { byId, chips, fields, h, show } from './dom.js';
import type { TokenStore } from './tokens.js';
import { errorEntry } from './error-docs.js';

const SIGNED_OUT_ONLY = ['sign-in-popup', 'sign-in-redirect'];
// The token buttons stay usable when signed out: the silent request fails with no_account
// (interaction required) and the fallback signs the user in, as the seed's pattern implies.
const ALWAYS = ['check-setup', 'token-popup', 'token-redirect'];
const SIGNED_IN_ONLY = ['call-profile', 'add-note', 'sign-out'];
const NEEDS_API = ['call-profile', 'add-note'];

export function renderConfig(config: DemoConfig): void {
  byId('provider').textContent =
    `${config.providerName} · ${config.authority} · client ${config.clientId}`;
  show(byId('api-scopes'), chips(config.scopes));
  byId('api-url').textContent =
    config.apiUrl === '' ? 'No API configured (set TESSERA_API_URL).' : `API at ${config.apiUrl}`;
  const users = byId('test-users');
  if (config.testUsers.length > 0) {
    show(
      users,
      'Test users: ',
      ...config.testUsers.flatMap((user, i) => [
        i === 0 ? '' : ' · ',
        h('code', {}, user.username),
        ' / ',
        h('code', {}, user.password),
      ]),
    );
  }
  users.hidden = config.testUsers.length === 0;
  byId('tokens-hint').textContent =
    `Access tokens count as due for renewal ${config.tokenRenewalOffsetSeconds}\u00a0s before they expire.`;
}

/** Enables what makes sense for the state; keeps keyboard focus on something usable. */
export function renderState(account: Account | null, config: DemoConfig): void {
  const signedIn = account !== null;
  const focused = document.activeElement;
  for (const id of SIGNED_OUT_ONLY) byId(id, HTMLButtonElement).disabled = signedIn;
  for (const id of ALWAYS) byId(id, HTMLButtonElement).disabled = false;
  for (const id of SIGNED_IN_ONLY) {
    byId(id, HTMLButtonElement).disabled =
      !signedIn || (NEEDS_API.includes(id) && config.apiUrl === '');
  }
  byId('test-users').hidden = signedIn || config.testUsers.length === 0;
  // A disabled button drops focus to <body>: move it to the next useful action instead.
  if (focused instanceof HTMLButtonElement && focused.disabled) {
    byId(signedIn ? 'token-popup' : 'sign-in-popup', HTMLButtonElement).focus();
  }

  const status = byId('session-status');
  status.dataset['state'] = signedIn ? 'signed-in' : 'signed-out';
  status.textContent = signedIn ? `Signed in as ${account.name ?? account.username}` : 'Signed out';

  const card = byId('account');
  if (!signedIn) {
    show(card, h('p', { class: 'empty' }, 'Not signed in.'));
    return;
  }
  show(
    card,
    fields([
      ['Name', account.name ?? '—'],
      ['Username', account.username],
      ['Issuer', account.issuer],
      ['Subject', account.localAccountId],
      ...(account.tenantId === '' ? [] : [['Tenant', account.tenantId] as const]),
      ['Account id', h('code', {}, account.homeAccountId)],
    ]),
  );
}

export function renderClaims(store: TokenStore, account: Account | null): void {
  const idClaims = store.idToken?.claims ?? account?.idTokenClaims;
  show(
    byId('id-claims'),
    idClaims === undefined ? h('p', { class: 'empty' }, 'No ID token yet.') : claimList(idClaims),
  );
  const latest = store.latest;
  const title = byId('at-claims-title');
  title.textContent = latest === undefined ? 'Access token' : `Access token (${latest.key})`;
  show(
    byId('at-claims'),
    latest === undefined
      ? h('p', { class: 'empty' }, 'No access token yet.')
      : latest.claims === null
        ? h('p', { class: 'empty' }, 'This access token is opaque: only its API can read it.')
        : claimList(latest.claims),
  );
}

/** Shows an error with its `errorCode` (library errors) or its name. */
export function showError(error: unknown, context: string): void {
  const banner = byId('error');
  banner.dataset['docs'] = isAuthError(error) ? error.docs : '';
  if (isAuthError(error)) {
    show(
      banner,
      `${context}: `,
      h('strong', {}, error.errorCode),
      ' — ',
      error.errorMessage,
      error.correlationId === undefined
        ? null
        : h('span', {}, ` (correlation id ${error.correlationId})`),
    );
    void showErrorEntry(banner, error.docs);
  } else {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    show(banner, `${context}: `, h('strong', {}, name), ' — ', message);
  }
  banner.hidden = false;
}

/** Adds the error's entry of the error reference under the message. */
async function showErrorEntry(banner: HTMLElement, ref: string): Promise<void> {
  const entry = await errorEntry(ref).catch(() => undefined);
  // Another error (or none) may be shown by now.
  if (entry === undefined || banner.hidden || banner.dataset['docs'] !== ref) return;
  banner.append(
    h(
      'div',
      { class: 'error-docs', id: 'error-docs' },
      h('p', {}, 'From the error reference, ', h('code', {}, entry.ref), ':'),
      h(
        'dl',
        {},
        h('dt', {}, 'What happened'),
        h('dd', {}, entry.whatHappened),
        h('dt', {}, 'Likely cause'),
        h('dd', {}, entry.likelyCause),
        h('dt', {}, 'What to do'),
        h('dd', {}, entry.whatToDo),
      ),
    ),
  );
}

export function clearError(): void {
  const banner = byId('error');
  banner.hidden = true;
  banner.dataset['docs'] = '';
  banner.replaceChildren();
}

/** Shows the result of `diagnose(app)`: each finding with its fix, or that nothing needs one. */
export function renderSetupReport(report: Diagnosis): void {
  const target = byId('setup-report');
  const passed = h('p', { class: 'hint' }, `Checks passed: ${report.passed.join(', ') || 'none'}.`);
  if (report.findings.length === 0) {
    show(target, h('p', { class: 'ok', id: 'setup-ok' }, 'Nothing to fix.'), passed);
    return;
  }
  show(
    target,
    h(
      'ul',
      { class: 'findings' },
      ...report.findings.map((finding) =>
        h(
          'li',
          { 'data-severity': finding.severity, 'data-id': finding.id },
          h('strong', {}, `${finding.severity}: ${finding.id}`),
          h('p', {}, finding.message),
          h('p', {}, 'Fix: ', finding.fix),
        ),
      ),
    ),
    passed,
  );
}
