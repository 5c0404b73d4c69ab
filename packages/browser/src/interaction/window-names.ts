import { toHex } from '../hex.js';

/** Names of the windows and frames Tessera opens, so its callback pages recognise them. */

/** Prefix of the window name of every popup Tessera opens. */
export const POPUP_NAME_PREFIX = 'tessera.v1.popup.';

/** Prefix of the frame name of every hidden iframe Tessera creates. */
export const IFRAME_NAME_PREFIX = 'tessera.v1.iframe.';

/**
 * A short random suffix for window and frame names, so a new popup never reuses (and
 * navigates) a window some other code opened under the same name.
 */
export function randomNameSuffix(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
  return toHex(bytes);
}
