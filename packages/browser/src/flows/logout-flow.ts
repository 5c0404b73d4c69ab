import type { AccountEntity } from '../cache/types.js';
import { DefaultNavigationClient } from '../interaction/redirect-navigator.js';
import type { Account } from '../types.js';
import type { SessionEndReason } from '../events.js';
import { endSession } from './account.js';
import type { FlowContext, ProtocolDeps } from './context.js';
import { coordinationOf } from './locks.js';
import { popupHandle } from './interactive.js';
import { protocolFor } from './protocol.js';

/** Options of `logout` / `logoutPopup`. */
export interface LogoutRequest {
  /** The account to sign out; default every account of this app. */
  account?: Account;
  /** Where the provider returns the user; default `auth.postLogoutRedirectUri`. */
  postLogoutRedirectUri?: string;
}

/** What a local sign-out reads and updates: tokens, locks, other tabs, the provider. */
type SignOutDeps = ProtocolDeps &
  Pick<FlowContext, 'cache' | 'ended' | 'events' | 'generation' | 'notifier'>;

/**
 * Removes the accounts' tokens locally first, so the app is signed out even if the provider
 * cannot be reached, then builds the RP-initiated logout URL with `id_token_hint` at the
 * authority the account signed in with (OIDC RP-Initiated Logout 1.0, section 2).
 *
 * Each removal happens under the account's renewal lock, after bumping the session generation:
 * a refresh already in flight (here, or in another tab sharing the storage) finishes first or
 * finds its generation stale and stores nothing, so no token written after the sign-out brings
 * the account back. Other tabs hear of it over the notifier whatever the cache location.
 */
export async function signOutLocally(
  ctx: SignOutDeps,
  request: LogoutRequest,
  reason: SessionEndReason = 'signed_out',
): Promise<URL | undefined> {
  const all = ctx.cache.getAccounts();
  const targets: readonly AccountEntity[] =
    request.account === undefined
      ? all
      : all.filter((a) => a.homeAccountId === request.account?.homeAccountId);
  const first = targets[0];
  let endSessionUrl: URL | undefined;
  // An idle sign-out goes to no provider page: it only ends the session here.
  if (first !== undefined && reason !== 'idle') {
    try {
      endSessionUrl = await protocolFor(ctx, first.authority).createEndSessionUrl({
        idTokenHint: ctx.cache.getIdToken(first.homeAccountId),
        postLogoutRedirectUri: request.postLogoutRedirectUri ?? ctx.config.postLogoutRedirectUri,
      });
    } catch {
      ctx.logger.warning(
        'The provider could not be reached for sign-out; signed out locally only.',
      );
    }
  }
  const { locks } = coordinationOf(ctx);
  for (const account of targets) {
    const id = account.homeAccountId;
    ctx.generation += 1;
    await locks.runWithLock(`renew.${id}`, ctx.config.lockTimeout, async () => {
      const refreshToken = ctx.cache.getRefreshToken(id);
      if (ctx.config.revokeTokensOnLogout && refreshToken !== undefined) {
        // Best effort: the local sign-out happens whether or not the provider answers.
        await protocolFor(ctx, account.authority)
          .revoke(refreshToken)
          .catch(() => ctx.logger.warning('The refresh token could not be revoked.'));
      }
      ctx.cache.removeAccount(id);
      endSession(ctx, account, reason);
    });
    if (ctx.config.logoutAllTabs) {
      ctx.notifier.notify({ type: 'account_removed', homeAccountId: id });
    }
  }
  return endSessionUrl;
}

/** Signs out and navigates to the provider's end-session endpoint (when it has one). */
export async function logoutRedirect(
  ctx: SignOutDeps & Pick<FlowContext, 'navigationClient'>,
  ready: Promise<void>,
  request: LogoutRequest,
  release: () => void,
): Promise<void> {
  try {
    await ready;
    const endSessionUrl = await signOutLocally(ctx, request);
    const target =
      endSessionUrl?.href ?? request.postLogoutRedirectUri ?? ctx.config.postLogoutRedirectUri;
    const navigation = ctx.navigationClient ?? new DefaultNavigationClient(ctx.ports.window);
    await navigation.navigateExternal(target, { noHistory: false });
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Signs out with the provider in a popup the entry opened synchronously in the user gesture.
 * The promise settles when the popup is back on this origin, closed, or timed out; the local
 * sign-out has happened either way.
 */
export async function logoutPopup(
  ctx: SignOutDeps,
  ready: Promise<void>,
  request: LogoutRequest,
  release: () => void,
  popupWindow: Window | undefined,
): Promise<void> {
  const popup = popupWindow === undefined ? undefined : popupHandle(ctx, popupWindow);
  try {
    await ready;
    const endSessionUrl = await signOutLocally(ctx, request);
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
}
