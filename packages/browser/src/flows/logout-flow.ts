import type { AccountEntity } from '../cache/types.js';
import type { Account } from '../types.js';
import { cacheScopeOf, idTokenOf } from './account.js';
import type { FlowContext } from './context.js';
import { claimInteraction, openFlowPopup } from './interactive.js';

/** Options of `logout` / `logoutPopup`. */
export interface LogoutRequest {
  /** The account to sign out; default the only one (or all when several). */
  account?: Account;
  /** Where the provider returns the user; default `auth.postLogoutRedirectUri`. */
  postLogoutRedirectUri?: string;
}

/**
 * Removes the account's tokens locally first, so the app is signed out even if the provider
 * cannot be reached, then builds the RP-initiated logout URL with `id_token_hint`
 * (OIDC RP-Initiated Logout 1.0, section 2).
 */
async function signOutLocally(
  ctx: FlowContext,
  request: LogoutRequest,
): Promise<{ endSessionUrl: URL | undefined; removed: AccountEntity[] }> {
  const all = ctx.accounts.all();
  const targets =
    request.account === undefined
      ? all
      : all.filter((a) => a.homeAccountId === request.account?.homeAccountId);
  const first = targets[0];
  const idTokenHint = first === undefined ? undefined : await idTokenOf(ctx.cache, first);
  let endSessionUrl: URL | undefined;
  try {
    endSessionUrl = await ctx.protocol(ctx.config.authority).createEndSessionUrl({
      idTokenHint,
      postLogoutRedirectUri: request.postLogoutRedirectUri ?? ctx.config.postLogoutRedirectUri,
    });
  } catch {
    ctx.logger.warning('The provider could not be reached for sign-out; signed out locally only.');
  }
  for (const account of targets) {
    await ctx.cache.removeAccount(account.homeAccountId, cacheScopeOf(account));
    ctx.notifier.notify({ type: 'account_removed', homeAccountId: account.homeAccountId });
  }
  await ctx.accounts.reload();
  return { endSessionUrl, removed: targets };
}

/** Signs out and navigates to the provider's end-session endpoint (when it has one). */
export async function logoutRedirect(
  ctx: FlowContext,
  ready: Promise<void>,
  request: LogoutRequest,
): Promise<void> {
  const release = claimInteraction(ctx);
  try {
    await ready;
    const { endSessionUrl } = await signOutLocally(ctx, request);
    const target =
      endSessionUrl?.href ?? request.postLogoutRedirectUri ?? ctx.config.postLogoutRedirectUri;
    await ctx.navigationClient.navigateExternal(target, { noHistory: false });
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Signs out with the provider in a popup, opened synchronously in the user gesture. The
 * promise settles when the popup is back on this origin, closed, or timed out; the local
 * sign-out has happened either way.
 */
export function logoutPopup(
  ctx: FlowContext,
  ready: Promise<void>,
  request: LogoutRequest,
): Promise<void> {
  const release = claimInteraction(ctx);
  const win = ctx.ports.window;
  const popup = win === undefined ? undefined : openFlowPopup(ctx, win, release);
  return (async () => {
    try {
      await ready;
      const { endSessionUrl } = await signOutLocally(ctx, request);
      if (popup === undefined || endSessionUrl === undefined) return;
      await popup
        .navigateUntilReturn(endSessionUrl, {
          returnUrl: request.postLogoutRedirectUri ?? ctx.config.postLogoutRedirectUri,
          timeoutMs: ctx.config.windowHashTimeout,
        })
        .catch(() => {
          // Timed out: the local sign-out already happened, which is what matters.
          ctx.logger.info('The sign-out popup did not come back in time.');
        });
    } finally {
      popup?.close();
      release();
    }
  })();
}
