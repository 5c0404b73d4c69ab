import { BrowserAuthError, isAuthError } from '../errors/auth-error.js';
import { UNEXPECTED_ERROR } from '../errors/error-codes.js';
import { userCancelledError } from './interaction-errors.js';
import type { NavigationClient, Navigator } from './types.js';

/**
 * The default {@link NavigationClient}: full page loads through `location`. Without a router
 * there is no other way to show the target page, so `navigateInternal` and
 * `navigateExternal` differ only in intent; frameworks pass their own client to navigate
 * within the app without a reload.
 *
 * `noHistory: true` uses `location.replace`, so Back does not return to the page being left
 * (used after a redirect, where that page held the authorization response).
 *
 * @see msal-browser `INavigationClient` for the shape this mirrors.
 */
export class DefaultNavigationClient implements NavigationClient {
  readonly #win: Window;

  /** @param win - The window to navigate; default the global `window`. */
  constructor(win: Window = globalThis.window) {
    this.#win = win;
  }

  /** Navigates within the app (same origin) with a full page load. Resolves `true`. */
  navigateInternal(url: string, options: { noHistory: boolean }): Promise<boolean> {
    return this.#go(url, options.noHistory);
  }

  /** Leaves the app (to the provider) with a full page load. Resolves `true`. */
  navigateExternal(url: string, options: { noHistory: boolean }): Promise<boolean> {
    return this.#go(url, options.noHistory);
  }

  #go(url: string, noHistory: boolean): Promise<boolean> {
    try {
      if (noHistory) this.#win.location.replace(url);
      else this.#win.location.assign(url);
      return Promise.resolve(true);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/**
 * A {@link Navigator} that leaves the page for the provider (`navigationClient.navigateExternal`,
 * default {@link DefaultNavigationClient}). The returned promise never resolves: the page
 * unloads, and the response is handled when the app loads again at the redirect URI.
 *
 * It rejects only when the navigation did not happen: with the client's error (a Tessera error
 * as is, anything else as `unexpected_error` with `cause`), or with `user_cancelled` when the
 * client resolved `false` (a router hook declined to leave the page).
 */
export function createRedirectNavigator(
  win: Window,
  navigationClient: NavigationClient = new DefaultNavigationClient(win),
): Navigator {
  return {
    async navigate(url: URL): Promise<URL> {
      let navigated: boolean;
      try {
        navigated = await navigationClient.navigateExternal(url.href, { noHistory: false });
      } catch (cause) {
        if (isAuthError(cause)) throw cause;
        throw new BrowserAuthError(UNEXPECTED_ERROR, 'Navigation to the provider failed.', {
          cause,
        });
      }
      if (!navigated) {
        throw userCancelledError('The navigation client declined to leave the page.');
      }
      // The page is unloading; nothing will ever resolve this.
      return new Promise<URL>(() => undefined);
    },
  };
}
