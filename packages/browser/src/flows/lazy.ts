/**
 * Everything the library loads on first use, behind one dynamic `import()`: the renewal, popup,
 * redirect and sign-out flows, and with them the protocol engine and the navigators. One module
 * on purpose: a bundler makes one chunk of it, so a page that needs a token fetches one file
 * after its entry. Separate dynamic imports per flow made bundlers split the code they share
 * into further chunks, each found only once the first had loaded — a waterfall that cost a cold
 * start with an expired token a third of its time. The configuration doctor reaches the protocol
 * engine and the iframe navigator through here too, for the same reason.
 */
export { renewSilently } from './renew.js';
export { runPopupFlow } from './popup-flow.js';
export { completeRedirectOnLoad, startRedirectFlow } from './redirect-flow.js';
export { logoutPopup, logoutRedirect, signOutLocally } from './logout-flow.js';
export { createProtocolClient } from '../protocol/protocol-client.js';
export { createIframeNavigator } from '../interaction/iframe-navigator.js';
