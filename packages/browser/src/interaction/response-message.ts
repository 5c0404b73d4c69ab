import type { AuthorizationResponseMessage } from './types.js';

/**
 * What the window waiting for an authorization response and the callback page sending it
 * agree on: the frame name, the popup marker, the channel name and the message (the popup's
 * window name is in `popup-window`, which the entry chunk holds). This module imports nothing
 * heavy: the callback entry point (`@tessera/browser/callback`) depends on it and must stay tiny.
 */

/** Prefix of the frame name of every hidden iframe Tessera creates. */
export const IFRAME_NAME_PREFIX = 'tessera.v1.iframe.';

/**
 * Prefix of the `localStorage` key that marks a `state` as awaited by a popup, so the callback
 * page still recognises a popup after Cross-Origin-Opener-Policy reset its name and `opener`.
 */
export const POPUP_MARKER_PREFIX = 'tessera.v1.popup_state.';

/**
 * Prefix of the per-request BroadcastChannel name; the request's `state` follows it. Keying by
 * `state` means only the tab that made the request listens, and two concurrent flows never see
 * each other's responses.
 */
export const RESPONSE_CHANNEL_PREFIX = 'tessera.v1.response.';

/** `type` of an {@link AuthorizationResponseMessage}. */
export const RESPONSE_MESSAGE_TYPE = 'tessera:authorization_response';

/** A `BroadcastChannel` constructor, injectable for tests and absent in old browsers. */
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannel;

/** Builds the message a callback page sends for the response at `url`. */
export function createResponseMessage(state: string, url: string): AuthorizationResponseMessage {
  return { type: RESPONSE_MESSAGE_TYPE, v: 1, state, url };
}
