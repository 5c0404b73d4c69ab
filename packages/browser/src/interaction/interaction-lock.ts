import { BrowserAuthError } from '../errors/auth-error.js';
import { INTERACTION_IN_PROGRESS } from '../errors/error-codes.js';

/**
 * Allows one interactive flow (popup or redirect) at a time in this tab. Two at once would
 * race on the provider's session and on the response, so the second fails fast instead.
 *
 * The flag lives in memory only — never in storage: a persisted flag outlives a crashed tab
 * and blocks the app for good (angular-auth-oidc-client #845). A redirect that leaves the page
 * clears it by unloading the page.
 */
export interface InteractionLock {
  /**
   * Takes the lock and returns its release function (idempotent: releasing twice never frees a
   * later holder's lock).
   *
   * @throws BrowserAuthError `interaction_in_progress` when another interaction holds it.
   */
  beginInteraction(): () => void;
}

/** Creates an {@link InteractionLock} (one per application instance). */
export function createInteractionLock(): InteractionLock {
  let active = false;
  return {
    beginInteraction() {
      if (active) {
        throw new BrowserAuthError(
          INTERACTION_IN_PROGRESS,
          'Another popup or redirect of this app is in progress; wait for it to finish.',
        );
      }
      active = true;
      let held = true;
      return () => {
        if (held) held = active = false;
      };
    },
  };
}
