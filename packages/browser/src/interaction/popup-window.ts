import { BrowserAuthError } from '../errors/auth-error.js';
import { POPUP_WINDOW_ERROR } from '../errors/error-codes.js';
import { toHex } from '../hex.js';
import type { Logger } from '../logger.js';
import type { PopupOptions } from './types.js';

/** Prefix of the window name of every popup Tessera opens; the callback page looks for it. */
export const POPUP_NAME_PREFIX = 'tessera.v1.popup.';

/**
 * Opens the popup window NOW, synchronously, showing `about:blank`: popup blockers allow
 * `window.open` only inside the user gesture, before any `await`. This is the only part of a
 * popup flow in the entry bundle; the navigator that drives the window loads afterwards.
 *
 * The window is centred over the opener and named with our fixed prefix followed by the given
 * name or a random suffix: the callback page recognises it, and a new popup never reuses a
 * window someone else opened.
 *
 * @throws BrowserAuthError `popup_window_error` when `window.open` throws, returns null
 *   (blocked) or returns a window that is already closed.
 */
export function openPopupWindow(win: Window, options: PopupOptions & { logger: Logger }): Window {
  // The default size fits the common provider sign-in pages.
  const { width = 483, height = 600 } = options;
  const name = options.name || randomNameSuffix();
  let popup: Window | null = null;
  let cause: unknown;
  try {
    popup = win.open(
      'about:blank',
      name.startsWith(POPUP_NAME_PREFIX) ? name : POPUP_NAME_PREFIX + name,
      `width=${width},height=${height},left=${centre(win.screenX, win.outerWidth || win.innerWidth, width)},top=${centre(win.screenY, win.outerHeight || win.innerHeight, height)}`,
    );
    // Focus is cosmetic: should it throw, the popup is still usable.
    popup?.focus();
  } catch (error) {
    cause = error;
  }
  // Some blockers hand back a window that is already closed instead of null.
  if (!popup || isClosed(popup)) {
    throw new BrowserAuthError(
      POPUP_WINDOW_ERROR,
      'The popup window was blocked or could not be opened. Open it in the click handler, before any await.',
      { cause },
    );
  }
  options.logger.verbose('Opened the popup window.');
  return popup;
}

/**
 * A short random suffix for window and frame names, so a new popup never reuses (and
 * navigates) a window some other code opened under the same name.
 */
export function randomNameSuffix(): string {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(8)));
}

/**
 * `popup.closed`. Readable across origins, and true too once Cross-Origin-Opener-Policy severed
 * the popup from its opener (see `openPopup` for what that means).
 */
export function isClosed(popup: Window): boolean {
  return popup.closed;
}

/**
 * Where a window of `size` starts so it is centred over an opener that starts at `start` and
 * spans `outer` (both from the screen; missing or 0 values fall back).
 */
function centre(start: number, outer: number, size: number): number {
  return Math.max(0, Math.round((start || 0) + ((outer || size) - size) / 2));
}
