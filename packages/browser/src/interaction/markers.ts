/**
 * How a callback page recognises that it runs inside one of our popups or hidden iframes
 * (and must hand the response over) rather than as a top-level redirect (and must leave it to
 * the app). Imported by the callback entry point, so it stays free of heavy dependencies.
 */

export { IFRAME_NAME_PREFIX, POPUP_NAME_PREFIX, randomNameSuffix } from './window-names.js';

/** Prefix of the `localStorage` key that marks a `state` as awaited by a popup. */
export const POPUP_MARKER_PREFIX = 'tessera.v1.popup_state.';

function storageOf(win: Window): Storage | undefined {
  // Reading `localStorage` throws where storage is disabled (privacy settings, sandboxes).
  try {
    return win.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * Records that the response for `state` belongs to a popup, until `expiresAt` (ms since the
 * epoch).
 *
 * Why not just the window name: when the provider's pages send Cross-Origin-Opener-Policy,
 * the browser moves the popup into a new browsing context group, which severs `opener` AND
 * resets `window.name` to the empty string. The callback page then looks exactly like a
 * top-level redirect; this same-origin marker is what still tells them apart. It is a routing
 * hint for one single-use `state`, never a lock: a leftover marker can only match a response
 * carrying that exact random `state`, and expired markers are swept on the next write.
 */
export function setPopupMarker(win: Window, state: string, expiresAt: number): void {
  const storage = storageOf(win);
  if (storage === undefined) return;
  try {
    sweepExpiredMarkers(storage, Date.now());
    storage.setItem(`${POPUP_MARKER_PREFIX}${state}`, String(expiresAt));
  } catch {
    // Quota or access errors: the window name and `opener` remain as signals.
  }
}

/** Removes the marker of `state` (the flow ended). */
export function removePopupMarker(win: Window, state: string): void {
  try {
    storageOf(win)?.removeItem(`${POPUP_MARKER_PREFIX}${state}`);
  } catch {
    // Nothing to do: an unremovable marker expires by itself.
  }
}

/** True when an unexpired marker says the response for `state` belongs to a popup. */
export function hasPopupMarker(win: Window, state: string, now: number): boolean {
  try {
    const value = storageOf(win)?.getItem(`${POPUP_MARKER_PREFIX}${state}`);
    return value !== null && value !== undefined && Number(value) > now;
  } catch {
    return false;
  }
}

function sweepExpiredMarkers(storage: Storage, now: number): void {
  const expired: string[] = [];
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (key === null || !key.startsWith(POPUP_MARKER_PREFIX)) continue;
    const expiresAt = Number(storage.getItem(key));
    if (!(expiresAt > now)) expired.push(key);
  }
  for (const key of expired) storage.removeItem(key);
}
