import { BrowserAuthError } from '../errors/auth-error.js';
import { INTERACTION_IN_PROGRESS } from '../errors/error-codes.js';
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
  const release = ctx.interactionGuard.begin();
  if (release === undefined) {
    throw new BrowserAuthError(
      INTERACTION_IN_PROGRESS,
      'Another popup or redirect of this app is in progress; wait for it to finish.',
    );
  }
  return release;
}
