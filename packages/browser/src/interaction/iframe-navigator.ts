/** The hidden-iframe navigator shares its machinery with the popup's; both live there. */
export { createIframeNavigator, type IframeNavigatorOptions } from './popup-navigator.js';
