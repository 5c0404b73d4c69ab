/**
 * `@tessera/browser/callback` — the tiny entry point for a dedicated callback page (the
 * redirect URI used by popups and hidden iframes). It imports nothing but the callback helper:
 * no protocol code, no cache, no `oauth4webapi`, so the page loads fast and cannot disturb the
 * app's state.
 *
 * The whole page script:
 *
 * ```html
 * <script type="module">
 *   import { completeAuthorizationCallback } from '@tessera/browser/callback';
 *   completeAuthorizationCallback();
 * </script>
 * ```
 *
 * It does not run by itself on import (the package is side-effect free); when the call
 * returns `'none'` the page is a top-level redirect and the app's own code (for example
 * `handleRedirectPromise()`) processes the response.
 *
 * @packageDocumentation
 */
export {
  completeAuthorizationCallback,
  detectCallbackContext,
  type CallbackContext,
} from './interaction/callback-page.js';
