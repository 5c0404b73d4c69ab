import { readAuthorizationResponseParams } from '../response-params.js';
import { POPUP_NAME_PREFIX } from './popup-window.js';
import {
  createResponseMessage,
  IFRAME_NAME_PREFIX,
  POPUP_MARKER_PREFIX,
  RESPONSE_CHANNEL_PREFIX,
} from './response-message.js';

/**
 * Where a callback page found itself: in one of our popups, in one of our hidden iframes, or
 * neither (a top-level redirect, or no authorization response in the URL).
 */
export type CallbackContext = 'popup' | 'iframe' | 'none';

/**
 * Decides, without side effects, whether the response for `state` on this page belongs to a
 * Tessera popup or hidden iframe.
 *
 * - iframe: the page is framed (`parent !== window`) and the frame carries our name prefix.
 *   The name check keeps an app that is itself embedded in a frame (a portal, Teams) able to
 *   complete a normal redirect there.
 * - popup: the window name carries our popup prefix, or a same-origin marker says a popup
 *   awaits this `state`. The marker matters because Cross-Origin-Opener-Policy on the
 *   provider's pages severs the popup: afterwards `opener` is null AND the browser has reset
 *   `window.name`. `opener` alone is not used: a tab opened by another page (of this app or
 *   another site) must still complete a top-level redirect normally.
 */
export function detectCallbackContext(win: Window, state: string): CallbackContext {
  const name = win.name || '';
  const parent = win.parent;
  if (parent && parent !== win) return name.startsWith(IFRAME_NAME_PREFIX) ? 'iframe' : 'none';
  if (name.startsWith(POPUP_NAME_PREFIX)) return 'popup';
  try {
    // An unexpired marker. Reading `localStorage` throws where storage is disabled.
    if (Number(win.localStorage.getItem(POPUP_MARKER_PREFIX + state)) > Date.now()) return 'popup';
  } catch {
    // No storage, no marker.
  }
  return 'none';
}

/**
 * Completes an authorization on the callback page (the redirect URI). When the page runs in a
 * Tessera popup or hidden iframe and its URL carries an authorization response (query or
 * fragment), it:
 *
 * 1. posts an `AuthorizationResponseMessage` to `opener` (popup) or `parent` (iframe) with
 *    `targetOrigin` set to its own origin, so only the app's own origin can read it;
 * 2. posts the same message on the BroadcastChannel `tessera.v1.response.<state>`, which still
 *    reaches the app after Cross-Origin-Opener-Policy severed the popup from its opener;
 * 3. removes the response from the address bar (`history.replaceState`);
 * 4. closes itself shortly afterwards when it is a popup.
 *
 * It returns `'none'` and touches nothing for a top-level redirect (the app handles the
 * response) or when the URL carries no response. The page does not validate the response:
 * the waiting app checks origin, state and every protocol rule.
 *
 * Usage on a dedicated callback page:
 *
 * ```html
 * <script type="module">
 *   import { completeAuthorizationCallback } from '@tessera/browser/callback';
 *   completeAuthorizationCallback();
 * </script>
 * ```
 *
 * @param win - The callback page's window; default the global `window`.
 * @returns Where the page found itself; `'none'` means the app's own code must handle it.
 */
export function completeAuthorizationCallback(win: Window = globalThis.window): CallbackContext {
  const url = new URL(win.location.href);
  const state = readAuthorizationResponseParams(url)?.get('state');
  const context = state ? detectCallbackContext(win, state) : 'none';
  if (context === 'none') return context;

  const message = createResponseMessage(state!, url.href);
  try {
    // Own origin as target: if the opener navigated elsewhere, the browser drops the message.
    (context === 'iframe' ? win.parent : (win.opener as Window | null))?.postMessage(
      message,
      url.origin,
    );
  } catch {
    // A severed or cross-origin opener: the BroadcastChannel below still carries the response.
  }
  let channel: BroadcastChannel | undefined;
  try {
    channel = new BroadcastChannel(RESPONSE_CHANNEL_PREFIX + state);
    channel.postMessage(message);
  } catch {
    // No BroadcastChannel (old browser): postMessage is the only path.
  }
  try {
    // Keeps the code out of history and out of anything that copies the URL (Referer, logs).
    win.history.replaceState(win.history.state, '', withoutAuthorizationResponse(url));
  } catch {
    // Sandboxed documents may refuse; the page closes or is removed right after anyway.
  }
  // Posting is asynchronous for the receiver; closing the window at once may tear it down before
  // the BroadcastChannel message has left it, so the popup closes itself 100 ms later (its opener
  // usually closes it first). One that is not script-closable is closed by the opener, or the user.
  setTimeout(() => {
    channel?.close();
    if (context === 'popup') win.close();
  }, 100);
  return context;
}

/** Authorization response parameters (RFC 6749 4.1.2, 4.1.2.1; RFC 9207 2; OIDC Session 3). */
const RESPONSE_PARAMS = [
  'code',
  'state',
  'iss',
  'session_state',
  'error',
  'error_description',
  'error_uri',
];

/**
 * The URL without its authorization response, so the code stays out of the address bar,
 * history and anything that copies the URL (Referer, logs). Other parameters are kept.
 */
export function withoutAuthorizationResponse(url: URL): string {
  const clean = new URL(url.href);
  for (const name of RESPONSE_PARAMS) clean.searchParams.delete(name);
  if (new URLSearchParams(url.hash.slice(1)).has('state')) clean.hash = '';
  return clean.href;
}
