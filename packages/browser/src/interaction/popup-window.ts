import type { Logger } from '../logger.js';
import { popupWindowError } from './interaction-errors.js';
import { POPUP_NAME_PREFIX, randomNameSuffix } from './window-names.js';
import type { PopupOptions } from './types.js';

/** Default popup width in CSS pixels (fits the common provider sign-in pages). */
export const DEFAULT_POPUP_WIDTH = 483;
/** Default popup height in CSS pixels. */
export const DEFAULT_POPUP_HEIGHT = 600;

/**
 * Opens the popup window NOW, synchronously, showing `about:blank`: popup blockers allow
 * `window.open` only inside the user gesture, before any `await`. This is the only part of a
 * popup flow in the entry bundle; the navigator that drives the window loads afterwards.
 *
 * @throws BrowserAuthError `popup_window_error` when `window.open` throws, returns null
 *   (blocked) or returns a window that is already closed.
 */
export function openPopupWindow(win: Window, options: PopupOptions & { logger: Logger }): Window {
  const width = options.width ?? DEFAULT_POPUP_WIDTH;
  const height = options.height ?? DEFAULT_POPUP_HEIGHT;
  const name = options.name;
  // Our fixed prefix, then the given name or a random suffix: the callback page recognises it,
  // and a new popup never reuses a window someone else opened.
  const windowName =
    name === undefined || name === ''
      ? `${POPUP_NAME_PREFIX}${randomNameSuffix()}`
      : name.startsWith(POPUP_NAME_PREFIX)
        ? name
        : `${POPUP_NAME_PREFIX}${name}`;
  let popup: Window | null;
  try {
    popup = win.open('about:blank', windowName, popupFeatures(win, width, height));
  } catch (cause) {
    throw popupWindowError('The popup window could not be opened.', cause);
  }
  // Some blockers hand back a window that is already closed instead of null.
  if (popup == null || isClosed(popup)) {
    throw popupWindowError(
      'The popup window was blocked. Open it directly in a click handler, before any await.',
    );
  }
  try {
    popup.focus();
  } catch {
    // Focus is cosmetic.
  }
  options.logger.verbose('Opened the popup window.');
  return popup;
}

export function isClosed(popup: Window): boolean {
  try {
    return popup.closed;
  } catch {
    return false;
  }
}

/** `window.open` features for a popup of the given size, centred over the opener window. */
function popupFeatures(win: Window, width: number, height: number): string {
  const x = finite(win.screenLeft) ?? finite(win.screenX) ?? 0;
  const y = finite(win.screenTop) ?? finite(win.screenY) ?? 0;
  const outerWidth = finite(win.outerWidth) || finite(win.innerWidth) || width;
  const outerHeight = finite(win.outerHeight) || finite(win.innerHeight) || height;
  const left = Math.max(0, Math.round(x + (outerWidth - width) / 2));
  const top = Math.max(0, Math.round(y + (outerHeight - height) / 2));
  return `width=${width},height=${height},left=${left},top=${top}`;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
