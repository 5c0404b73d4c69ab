import type { NavigationClient } from './types.js';

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
    return this.navigateExternal(url, options);
  }

  /**
   * Leaves the app (to the provider) with a full page load. Resolves `true`; rejects with what
   * `location` threw.
   */
  navigateExternal(url: string, options: { noHistory: boolean }): Promise<boolean> {
    return new Promise((resolve) => {
      this.#win.location[options.noHistory ? 'replace' : 'assign'](url);
      resolve(true);
    });
  }
}
