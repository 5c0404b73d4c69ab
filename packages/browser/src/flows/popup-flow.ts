import { toAuthError } from '../errors/auth-error.js';
import type { AuthenticationParameters, AuthResponse } from '../types.js';
import { beginAuthorization, finishAuthorization } from './authorize.js';
import type { FlowContext } from './context.js';
import { claimInteraction, interactiveExtras, openFlowPopup } from './interactive.js';
import type { NormalizedRequest } from './request.js';
import type { TransactionKind } from './transaction.js';

/**
 * Opens the popup synchronously — inside the caller's user gesture, so popup blockers allow
 * it — and returns the rest of the flow as a promise. Everything async (discovery, PKCE)
 * happens after the window exists; it shows `about:blank` meanwhile.
 *
 * @throws BrowserAuthError `interaction_in_progress`, `popup_window_error` (synchronously)
 */
export function startPopupFlow(
  ctx: FlowContext,
  ready: Promise<void>,
  params: AuthenticationParameters,
  request: NormalizedRequest,
  kind: TransactionKind,
): Promise<AuthResponse> {
  const release = claimInteraction(ctx);
  const win = ctx.ports.window;
  if (win === undefined) {
    release();
    throw toAuthError(new Error('no window'), { correlationId: request.correlationId });
  }
  const popup = openFlowPopup(ctx, win, release);
  return (async () => {
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
      const { response } = await finishAuthorization(ctx, responseUrl, transaction);
      return response;
    } finally {
      popup.close();
      if (state !== undefined) await ctx.transactions.remove(state);
      release();
    }
  })();
}
