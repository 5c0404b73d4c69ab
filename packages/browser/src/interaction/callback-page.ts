import {
  readAuthorizationResponseParams,
  withoutAuthorizationResponse,
} from '../response-params.js';
import { hasPopupMarker } from './markers.js';
import { IFRAME_NAME_PREFIX, POPUP_NAME_PREFIX } from './window-names.js';
import {
  createResponseMessage,
  resolveBroadcastChannel,
  responseChannelName,
} from './response-message.js';

/**
 * Where a callback page found itself: in one of our popups, in one of our hidden iframes, or
 * neither (a top-level redirect, or no authorization response in the URL).
 */
export type CallbackContext = 'popup' | 'iframe' | 'none';

/**
 * How long the popup stays open after posting. Posting is asynchronous for the receiver;
 * closing a window at once may tear it down before a BroadcastChannel message has left it, so
 * the popup closes itself a moment later (its opener usually closes it first).
 */
const SELF_CLOSE_DELAY_MS = 100;

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
  const name = readName(win);
  if (isFramed(win)) return name.startsWith(IFRAME_NAME_PREFIX) ? 'iframe' : 'none';
  if (name.startsWith(POPUP_NAME_PREFIX) || hasPopupMarker(win, state, Date.now())) return 'popup';
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
  let url: URL;
  try {
    url = new URL(win.location.href);
  } catch {
    return 'none';
  }
  const state = readAuthorizationResponseParams(url)?.get('state');
  if (state === undefined || state === null || state === '') return 'none';

  const context = detectCallbackContext(win, state);
  if (context === 'none') return 'none';

  const message = createResponseMessage(state, url.href);
  const target = context === 'iframe' ? win.parent : (win.opener as Window | null);
  try {
    // Own origin as target: if the opener navigated elsewhere, the browser drops the message.
    target?.postMessage(message, url.origin);
  } catch {
    // A severed or cross-origin opener: the BroadcastChannel below still carries the response.
  }

  let channel: BroadcastChannel | undefined;
  const Channel = resolveBroadcastChannel(win);
  if (Channel !== undefined) {
    try {
      channel = new Channel(responseChannelName(state));
      channel.postMessage(message);
    } catch {
      // No BroadcastChannel (old browser): postMessage is the only path.
    }
  }

  clearResponseFromAddressBar(win, url);

  const finish = (): void => {
    channel?.close();
    if (context === 'popup') {
      try {
        win.close();
      } catch {
        // Not script-closable: the opener closes it, or the user does.
      }
    }
  };
  if (typeof win.setTimeout === 'function') win.setTimeout(finish, SELF_CLOSE_DELAY_MS);
  else finish();
  return context;
}

function isFramed(win: Window): boolean {
  try {
    return win.parent !== null && win.parent !== undefined && win.parent !== win;
  } catch {
    return true;
  }
}

function readName(win: Window): string {
  try {
    return typeof win.name === 'string' ? win.name : '';
  } catch {
    return '';
  }
}

/** Keeps the code out of history and out of anything that copies the URL (Referer, logs). */
function clearResponseFromAddressBar(win: Window, url: URL): void {
  try {
    win.history.replaceState(win.history.state, '', withoutAuthorizationResponse(url));
  } catch {
    // Sandboxed documents may refuse; the page closes or is removed right after anyway.
  }
}
