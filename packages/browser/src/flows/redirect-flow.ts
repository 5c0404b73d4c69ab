import { redirectKey } from '../cache/keys.js';
import { ClientAuthError, toAuthError, type AuthError } from '../errors/auth-error.js';
import { STATE_MISMATCH } from '../errors/error-codes.js';
import {
  completeAuthorizationCallback,
  withoutAuthorizationResponse,
} from '../interaction/callback-page.js';
import { readAuthorizationResponseParams } from '../response-params.js';
import type { AuthenticationParameters, AuthResponse } from '../types.js';
import { beginAuthorization, finishAuthorization } from './authorize.js';
import type { AuthorizeDeps, FlowContext } from './context.js';
import { interactiveExtras } from './interactive.js';
import type { NormalizedRequest } from './request.js';
import { transactionsOf, type AuthTransaction, type TransactionKind } from './transaction.js';
import { DefaultNavigationClient } from '../interaction/redirect-navigator.js';
import type { NavigationClient } from '../interaction/types.js';

function navigation(ctx: Pick<FlowContext, 'navigationClient' | 'ports'>): NavigationClient {
  return ctx.navigationClient ?? new DefaultNavigationClient(ctx.ports.window);
}

/**
 * Starts a redirect flow: stores the transaction and leaves the page for the provider.
 * Resolves only if navigation did not happen (a router hook declined).
 */
export async function startRedirectFlow(
  ctx: RedirectDeps,
  ready: Promise<void>,
  params: AuthenticationParameters,
  request: NormalizedRequest,
  kind: TransactionKind,
  release: () => void,
): Promise<void> {
  try {
    await ready;
    const startPage = params.redirectStartPage ?? ctx.ports.window?.location.href;
    const { url, transaction } = await beginAuthorization(ctx, request, {
      kind,
      interaction: 'redirect',
      authority: params.authority ?? ctx.config.authority,
      redirectUri: params.redirectUri ?? ctx.config.redirectUri,
      startPage,
      extras: interactiveExtras(params),
    });
    ctx.session.set(redirectKey(ctx.config.clientId, 'pending'), transaction.secrets.state);
    await navigation(ctx).navigateExternal(url.href, { noHistory: false });
  } catch (error) {
    release();
    throw error;
  }
}

function samePage(a: string, b: string): boolean {
  const x = new URL(a);
  const y = new URL(b);
  return x.origin === y.origin && x.pathname === y.pathname && x.search === y.search;
}

/**
 * A redirect flow's failure, tagged with the call that started it (login or acquireToken) and
 * the app's `state` of that call, which the error callback receives.
 */
export class RedirectFailure extends Error {
  override name = 'RedirectFailure';
  constructor(
    readonly kind: TransactionKind | undefined,
    override readonly cause: unknown,
    readonly userState = '',
  ) {
    super('The redirect flow failed.', { cause });
  }
}

/** Finishes a response, tagging a failure with the kind of its transaction. */
async function finishTagged(
  ctx: AuthorizeDeps,
  responseUrl: URL,
): Promise<{ response: AuthResponse; transaction: AuthTransaction }> {
  const state = readAuthorizationResponseParams(responseUrl)?.get('state') ?? undefined;
  const transaction = state === undefined ? undefined : transactionsOf(ctx).peek(state);
  try {
    return await finishAuthorization(ctx, responseUrl);
  } catch (error) {
    throw new RedirectFailure(transaction?.kind, error, transaction?.userState);
  }
}

/**
 * Handles a redirect response on page load, once. Returns null when the page carries none, or
 * when the response was already used (reload, Back, another tab): a replay is a no-op.
 * Responses are accepted only at the configured redirect URI on this origin, matched by state.
 */
export async function handleRedirectResponse(
  ctx: RedirectDeps,
): Promise<{ response: AuthResponse; transaction: AuthTransaction } | null> {
  const routerNavigation = ctx.navigationClient !== undefined;
  const win = ctx.ports.window;
  if (win === undefined) return null;

  const pendingKey = redirectKey(ctx.config.clientId, 'pending');
  const stashKey = redirectKey(ctx.config.clientId, 'response');
  const stashed = ctx.session.get(stashKey);
  if (stashed !== undefined) {
    ctx.session.remove(stashKey);
    ctx.session.remove(pendingKey);
    return finishTagged(ctx, new URL(stashed));
  }

  const current = new URL(win.location.href);
  const params = readAuthorizationResponseParams(current);
  const redirect = new URL(ctx.config.redirectUri);
  if (
    params === undefined ||
    current.origin !== redirect.origin ||
    current.pathname !== redirect.pathname
  ) {
    return null;
  }
  // The app page loaded inside our popup or hidden iframe: hand the response to the opener.
  if (completeAuthorizationCallback(win) !== 'none') return null;
  const pending = ctx.session.get(pendingKey);
  // Without `state` and with no redirect of ours pending, `code` or `error` belongs to the app.
  if (!params.has('state') && pending === undefined) return null;

  // Remove the code from the address bar and this history entry before anything else.
  const cleanUrl = withoutAuthorizationResponse(current);
  win.history.replaceState(win.history.state, '', cleanUrl);

  const state = params.get('state') ?? '';
  const transaction = transactionsOf(ctx).peek(state);
  if (transaction === undefined || transaction.interaction !== 'redirect') {
    if (pending === undefined) {
      ctx.logger.info('Ignored an authorization response that was already used or is not ours.');
      return null;
    }
    // A response for no request of ours (a forged link, say) touches nothing: the genuine
    // pending request stays, so the user's own sign-in can still complete (RFC 6749 10.12).
    throw new ClientAuthError(
      STATE_MISMATCH,
      'The authorization response state does not match the pending request.',
    );
  }

  // The stored start page is used only as an absolute URL on this origin; anything else (an
  // edited entry) is ignored and the flow finishes where the response landed.
  let startPage: string | undefined;
  try {
    const url = new URL(transaction.startPage ?? '');
    if (url.origin === current.origin) startPage = url.href;
  } catch {
    // not a URL: ignored
  }
  if (
    ctx.config.navigateToLoginRequestUrl &&
    startPage !== undefined &&
    samePage(startPage, cleanUrl) &&
    new URL(startPage).hash !== new URL(cleanUrl).hash
  ) {
    // Hash routing: the start route lives in the fragment; restore it without a reload.
    win.history.replaceState(win.history.state, '', startPage);
  } else if (
    ctx.config.navigateToLoginRequestUrl &&
    startPage !== undefined &&
    new URL(startPage).origin === current.origin &&
    !samePage(startPage, cleanUrl)
  ) {
    // Finish on the start page, so the app that receives the callbacks is the one the user left.
    ctx.session.set(stashKey, current.href);
    await navigation(ctx).navigateInternal(startPage, { noHistory: true });
    if (!routerNavigation) return new Promise<never>(() => undefined); // the page is unloading
    return handleRedirectResponse(ctx);
  }
  ctx.session.remove(pendingKey);
  return finishTagged(ctx, current);
}

/** What a page load found: no redirect response, a response, or the flow's error. */
export type RedirectOutcome =
  | { kind: 'none' }
  | { kind: 'response'; response: AuthResponse }
  | { kind: 'error'; error: AuthError; accountState: string };

/**
 * Handles the redirect response a page load carries, emitting the flow's success or failure
 * event (login vs acquire-token, from its transaction) and `msal:handleRedirectEnd`.
 */
export async function completeRedirectOnLoad(ctx: RedirectDeps): Promise<RedirectOutcome> {
  const outcome = await handleRedirectResponse(ctx).then(
    (result): RedirectOutcome => {
      if (result === null) return { kind: 'none' };
      ctx.events.emit(`msal:${result.transaction.kind}Success`, 'redirect', result.response);
      return { kind: 'response', response: result.response };
    },
    (error: unknown): RedirectOutcome => {
      const failure = error instanceof RedirectFailure ? error : undefined;
      const authError = toAuthError(failure === undefined ? error : failure.cause);
      ctx.events.emit(
        `msal:${failure?.kind ?? 'acquireToken'}Failure`,
        'redirect',
        null,
        authError,
      );
      return { kind: 'error', error: authError, accountState: failure?.userState ?? '' };
    },
  );
  if (outcome.kind !== 'none') {
    ctx.events.emit(
      'msal:handleRedirectEnd',
      'redirect',
      outcome.kind === 'response' ? outcome.response : null,
    );
  }
  return outcome;
} /** What a redirect flow needs: an authorization round trip and the app's navigation. */
type RedirectDeps = AuthorizeDeps & Pick<FlowContext, 'navigationClient'>;
