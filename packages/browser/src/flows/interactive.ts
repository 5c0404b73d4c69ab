import { attachPopup } from '../interaction/popup-navigator.js';
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

/** The handle that drives a popup the entry opened synchronously in the user gesture. */
export function popupHandle(
  ctx: Pick<FlowContext, 'logger' | 'ports'>,
  popup: Window,
): PopupHandle {
  return attachPopup(ctx.ports.window!, popup, { timers: ctx.ports.timers, logger: ctx.logger });
}
