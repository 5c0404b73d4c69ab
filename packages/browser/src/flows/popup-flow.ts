import type { AuthenticationParameters, AuthResponse } from '../types.js';
import { beginAuthorization, finishAuthorization } from './authorize.js';
import type { AuthorizeDeps } from './context.js';
import { interactiveExtras, popupHandle } from './interactive.js';
import type { NormalizedRequest } from './request.js';
import { transactionsOf, type TransactionKind } from './transaction.js';

/**
 * The popup flow after the window exists (the entry opened it synchronously inside the user
 * gesture, so popup blockers allow it). Everything async — discovery, PKCE — happens here,
 * while the popup shows `about:blank`. The popup is closed and the interaction slot released
 * on every outcome.
 */
export async function runPopupFlow(
  ctx: AuthorizeDeps,
  ready: Promise<void>,
  popupWindow: Window,
  release: () => void,
  params: AuthenticationParameters,
  request: NormalizedRequest,
  kind: TransactionKind,
): Promise<AuthResponse> {
  const popup = popupHandle(ctx, popupWindow);
  let state: string | undefined;
  try {
    await ready;
    const { url, transaction } = await beginAuthorization(ctx, request, {
      kind,
      interaction: 'popup',
      authority: params.authority ?? ctx.config.authority,
      redirectUri: params.redirectUri ?? ctx.config.redirectUri,
      extras: interactiveExtras(params),
    });
    state = transaction.secrets.state;
    const responseUrl = await popup.navigate(url, {
      state,
      redirectUri: transaction.redirectUri,
      timeoutMs: ctx.config.windowHashTimeout,
    });
    return (await finishAuthorization(ctx, responseUrl, transaction)).response;
  } finally {
    popup.close();
    if (state !== undefined) transactionsOf(ctx).remove(state);
    release();
  }
}
