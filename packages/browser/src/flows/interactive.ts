import { openPopup } from '../interaction/popup-navigator.js';
import type { PopupHandle } from '../interaction/types.js';
import type { AuthenticationParameters } from '../types.js';
import type { AuthorizeExtras } from './authorize.js';
import type { FlowContext } from './context.js';

/** Wire extras an interactive request sends (OIDC Core 3.1.2.1). */
export function interactiveExtras(params: AuthenticationParameters): AuthorizeExtras {
  return {
    prompt: params.prompt,
    loginHint: params.loginHint ?? params.account?.username,
    sid: params.sid,
    domainHint: params.domainHint,
    extraQueryParameters: params.extraQueryParameters,
  };
}

/**
 * Claims the tab's single interaction slot. A second popup or redirect while one runs would
 * race on the provider's session and on `state`, so it fails fast instead.
 *
 * @throws BrowserAuthError `interaction_in_progress`
 */
export function claimInteraction(ctx: FlowContext): () => void {
  return ctx.interactionGuard.beginInteraction();
}

/**
 * Opens the popup synchronously (inside the user gesture) for a flow that holds the
 * interaction slot; gives the slot back if the popup cannot be opened.
 *
 * @throws BrowserAuthError `popup_window_error` (synchronously)
 */
export function openFlowPopup(ctx: FlowContext, win: Window, release: () => void): PopupHandle {
  try {
    return openPopup(win, { timers: ctx.ports.timers, logger: ctx.logger });
  } catch (error) {
    release();
    throw error;
  }
}
