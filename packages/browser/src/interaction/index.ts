/**
 * Interaction: navigating a popup, a hidden iframe or the page itself to the provider and
 * bringing the authorization response URL back. Knows no tokens.
 */
export type * from './types.js';
export {
  completeAuthorizationCallback,
  detectCallbackContext,
  type CallbackContext,
} from './callback-page.js';
export { createIframeNavigator, type IframeNavigatorOptions } from './iframe-navigator.js';
export { createInteractionLock, InteractionLock } from './interaction-lock.js';
export {
  abortedError,
  asError,
  monitorWindowTimeoutError,
  popupWindowError,
  userCancelledError,
} from './interaction-errors.js';
export {
  IFRAME_NAME_PREFIX,
  POPUP_MARKER_PREFIX,
  POPUP_NAME_PREFIX,
  hasPopupMarker,
  removePopupMarker,
  setPopupMarker,
} from './markers.js';
export {
  DEFAULT_CLOSED_GRACE_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_POPUP_HEIGHT,
  DEFAULT_POPUP_WIDTH,
  openPopup,
  type OpenPopupOptions,
} from './popup-navigator.js';
export { createRedirectNavigator, DefaultNavigationClient } from './redirect-navigator.js';
export {
  waitForResponse,
  type ResponseWait,
  type WaitForResponseOptions,
} from './response-channel.js';
export {
  RESPONSE_CHANNEL_PREFIX,
  RESPONSE_MESSAGE_TYPE,
  createResponseMessage,
  isAuthorizationResponseMessage,
  resolveBroadcastChannel,
  responseChannelName,
  type BroadcastChannelConstructor,
} from './response-message.js';
