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
