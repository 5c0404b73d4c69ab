import type { AuthError } from '../errors/auth-error.js';
import type { Logger } from '../logger.js';
import type { Timers } from '../ports.js';
import {
  abortedError,
  asError,
  monitorWindowTimeoutError,
  popupWindowError,
  userCancelledError,
} from './interaction-errors.js';
import { removePopupMarker, setPopupMarker } from './markers.js';
import { isClosed, openPopupWindow } from './popup-window.js';
import { waitForResponse } from './response-channel.js';
import type { BroadcastChannelConstructor } from './response-message.js';
import type { NavigateOptions, PopupHandle, PopupOptions, ReturnNavigateOptions } from './types.js';

export { DEFAULT_POPUP_HEIGHT, DEFAULT_POPUP_WIDTH } from './popup-window.js';
/**
 * How long the opener must see the popup on the provider page before trusting that it is still
 * attached (not severed by Cross-Origin-Opener-Policy, which Chromium applies a moment after the
 * page shows as cross-origin).
 */
export const DEFAULT_ATTACH_CONFIRM_MS = 1000;

/** How often `popup.closed` is read. */
export const DEFAULT_POLL_INTERVAL_MS = 100;
/**
 * After a popup that was seen on the provider's page reads as closed, how long a response
 * already posted by the callback page may still take to arrive before `user_cancelled`.
 */
export const DEFAULT_CLOSED_GRACE_MS = 400;
/**
 * How long the popup marker outlives the navigate timeout, so a severed popup that completes
 * late still recognises itself and closes instead of loading the app.
 */
const MARKER_SLACK_MS = 10 * 60_000;

/** Options of {@link openPopup}. */
export interface OpenPopupOptions extends PopupOptions {
  timers: Timers;
  logger: Logger;
  /**
   * How long the popup must be seen open on a navigated (provider) page before a later
   * `closed` counts as the user closing it; default {@link DEFAULT_ATTACH_CONFIRM_MS}.
   */
  attachConfirmMs?: number | undefined;
  /** How often `popup.closed` is read; default {@link DEFAULT_POLL_INTERVAL_MS}. */
  pollIntervalMs?: number | undefined;
  /** Grace after a confirmed close; default {@link DEFAULT_CLOSED_GRACE_MS}. */
  closedGraceMs?: number | undefined;
  /** BroadcastChannel constructor; default the window's own. */
  BroadcastChannel?: BroadcastChannelConstructor | undefined;
}

/**
 * Opens a popup window NOW, synchronously, and returns a handle to navigate it later.
 *
 * Call it directly inside the user gesture (the click handler, before any `await`): popup
 * blockers allow `window.open` only there. The popup shows `about:blank` until
 * `navigate` is called, so discovery and PKCE can run asynchronously meanwhile. It is centred
 * over the opener window, {@link DEFAULT_POPUP_WIDTH} x {@link DEFAULT_POPUP_HEIGHT} by
 * default, and named `tessera.v1.popup.<random>` (or `tessera.v1.popup.<options.name>`), so
 * the callback page can recognise it and a new popup never reuses a window someone else
 * opened. Each handle navigates once; the popup is closed and every listener disposed on every
 * outcome.
 *
 * Results come back by message only ({@link waitForResponse}: `postMessage` from the callback
 * page plus a BroadcastChannel keyed by `state`); the popup's `location` is never read for the
 * result. `popup.closed` is polled only to notice that the user gave up, and that is where
 * Cross-Origin-Opener-Policy (COOP) interferes: when the provider's pages send
 * `Cross-Origin-Opener-Policy: same-origin`, the browser moves the popup into another
 * browsing context group, and from then on the opener reads `closed === true` although the
 * popup is still open and the user is still signing in (msal #8282, #8521). The two cases
 * cannot be told apart from `closed` alone, so the poller also remembers whether it ever saw
 * the popup open on a page after the navigation (reading `popup.location.href` throws on a
 * cross-origin page, or returns a URL other than `about:blank`):
 *
 * - seen open on such a page, then closed: the opener was still attached after the provider's
 *   page loaded, so the close is real. `navigate` rejects with `user_cancelled` after
 *   `closedGraceMs` (default {@link DEFAULT_CLOSED_GRACE_MS} ms), the time a response already
 *   posted by the callback page may need to arrive.
 * - closed without ever being seen there: COOP may have severed the popup at its first
 *   provider page. The response can still arrive over the BroadcastChannel, so it keeps
 *   waiting up to `severedGraceMs` (default: the rest of the navigate timeout) and then
 *   rejects with `user_cancelled`. That bound is the price of COOP: a user who really closes
 *   such a popup learns it only then.
 * - nothing within `timeoutMs` and never seen closed: `monitor_window_timeout`.
 *
 * Known limit: a provider whose FIRST page has no COOP but a LATER page has it (federation to
 * such a provider) is seen attached, then severed, and is reported as `user_cancelled` after
 * the short grace. No browser signal distinguishes that from a real close.
 *
 * @throws BrowserAuthError `popup_window_error` — synchronously, when `window.open` throws,
 *   returns null (blocked) or returns a window that is already closed.
 */
export function openPopup(win: Window, options: OpenPopupOptions): PopupHandle {
  return attachPopup(win, openPopupWindow(win, options), options);
}

/** Wraps a popup opened by {@link openPopupWindow} (in the user gesture) in its handle. */
export function attachPopup(opener: Window, popup: Window, options: OpenPopupOptions): PopupHandle {
  return new PopupNavigator(opener, popup, options);
}

/** The popup {@link PopupHandle}; see {@link openPopup} for the closed/COOP rule. */
class PopupNavigator implements PopupHandle {
  readonly #opener: Window;
  readonly #popup: Window;
  readonly #options: OpenPopupOptions;
  #used = false;

  constructor(opener: Window, popup: Window, options: OpenPopupOptions) {
    this.#opener = opener;
    this.#popup = popup;
    this.#options = options;
  }

  /**
   * Navigates the popup to the authorization `url` and resolves with the callback URL.
   *
   * @throws BrowserAuthError (rejection) `user_cancelled` when the popup was closed (see
   *   {@link openPopup} for the COOP rule), `monitor_window_timeout` after `timeoutMs`,
   *   `popup_window_error` when it cannot be navigated or was already used. The popup is
   *   closed and every listener disposed on every outcome.
   */
  navigate(url: URL, options: NavigateOptions): Promise<URL> {
    const refused = this.#claim(options.signal);
    if (refused !== undefined) return Promise.reject(refused);
    const { timers, logger } = this.#options;
    const popup = this.#popup;
    const opener = this.#opener;

    return monitor<URL>(
      (m) => {
        const wait = waitForResponse({
          window: opener,
          state: options.state,
          redirectUri: options.redirectUri,
          signal: options.signal,
          source: popup,
          BroadcastChannel: this.#options.BroadcastChannel,
          logger,
        });
        m.defer(() => wait.dispose());
        wait.response.then(
          (value) => {
            removePopupMarker(opener, options.state);
            m.settle({ value });
          },
          (error: unknown) => m.settle({ error: asError(error) }),
        );
        // Kept after a failure on purpose: a severed popup that completes late still finds it,
        // posts to nobody and closes itself instead of loading the app.
        setPopupMarker(opener, options.state, Date.now() + options.timeoutMs + MARKER_SLACK_MS);

        const error = this.#assignLocation(url);
        if (error !== undefined) {
          m.settle({ error });
          return;
        }
        logger.verbose('Navigated the popup; waiting for the authorization response.');

        let closedSeen = false;
        const deadline = timers.setTimeout(() => {
          m.settle({
            error: closedSeen
              ? userCancelledError(
                  'The popup was closed, or severed by Cross-Origin-Opener-Policy, and no response arrived.',
                )
              : monitorWindowTimeoutError('The popup did not return a response in time.'),
          });
        }, options.timeoutMs);
        m.defer(() => timers.clearTimeout(deadline));

        // Chromium shows a popup as open and cross-origin for a moment before COOP severs it,
        // so "attached" needs the provider page to be seen for a sustained stretch.
        const interval = this.#options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
        const confirmPolls = Math.max(
          1,
          Math.ceil((this.#options.attachConfirmMs ?? DEFAULT_ATTACH_CONFIRM_MS) / interval),
        );
        let navigatedPolls = 0;
        let attached = false;
        const poll = timers.setInterval(() => {
          if (m.settled) return;
          if (!isClosed(popup)) {
            navigatedPolls = showsNavigatedPage(popup) ? navigatedPolls + 1 : 0;
            if (navigatedPolls >= confirmPolls) attached = true;
            return;
          }
          // `closed` never turns false again: stop polling and decide how long to wait.
          timers.clearInterval(poll);
          closedSeen = true;
          const cancelAfter = (ms: number): void => {
            const handle = timers.setTimeout(
              () => m.settle({ error: userCancelledError('The user closed the popup.') }),
              ms,
            );
            m.defer(() => timers.clearTimeout(handle));
          };
          if (attached) {
            logger.verbose('The popup was closed.');
            cancelAfter(this.#options.closedGraceMs ?? DEFAULT_CLOSED_GRACE_MS);
            return;
          }
          logger.info(
            'The popup reads as closed before it was seen on the provider page; ' +
              'Cross-Origin-Opener-Policy may have severed it. Waiting for the response on BroadcastChannel.',
          );
          if (this.#options.severedGraceMs !== undefined) cancelAfter(this.#options.severedGraceMs);
        }, interval);
        m.defer(() => timers.clearInterval(poll));
      },
      () => this.close(),
    );
  }

  /**
   * Navigates the popup to `url` (RP-initiated logout) and resolves when the popup is back on
   * `returnUrl`'s origin and path — read from `popup.location`, which is legitimate here
   * because no response is carried — or when it reads as closed. A closed popup resolves
   * rather than rejects: a COOP-severed popup reads as closed at once, and the caller has
   * already done the local part (sign-out) anyway.
   *
   * @throws BrowserAuthError (rejection) `monitor_window_timeout` after `timeoutMs`,
   *   `popup_window_error` when it cannot be navigated or was already used.
   */
  navigateUntilReturn(url: URL, options: ReturnNavigateOptions): Promise<void> {
    const refused = this.#claim(options.signal);
    if (refused !== undefined) return Promise.reject(refused);
    const { timers, logger } = this.#options;
    const popup = this.#popup;

    return monitor<void>(
      (m) => {
        const target = new URL(options.returnUrl);
        const { signal } = options;
        if (signal !== undefined) {
          const onAbort = (): void => m.settle({ error: abortedError(signal) });
          signal.addEventListener('abort', onAbort, { once: true });
          m.defer(() => signal.removeEventListener('abort', onAbort));
        }
        const error = this.#assignLocation(url);
        if (error !== undefined) {
          m.settle({ error });
          return;
        }
        const deadline = timers.setTimeout(
          () => m.settle({ error: monitorWindowTimeoutError('The popup did not return in time.') }),
          options.timeoutMs,
        );
        m.defer(() => timers.clearTimeout(deadline));
        const poll = timers.setInterval(() => {
          if (isClosed(popup)) {
            logger.info('The popup reads as closed; not waiting for its return.');
            m.settle({ value: undefined });
          } else if (isOnPage(popup, target)) {
            m.settle({ value: undefined });
          }
        }, this.#options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
        m.defer(() => timers.clearInterval(poll));
      },
      () => this.close(),
    );
  }

  /** Closes the popup if it is still open (idempotent; a no-op on a COOP-severed handle). */
  close(): void {
    try {
      if (!this.#popup.closed) this.#popup.close();
    } catch {
      // Already gone.
    }
  }

  /** Marks the handle used; returns the error to reject with when it cannot navigate. */
  #claim(signal: AbortSignal | undefined): AuthError | undefined {
    if (this.#used) {
      return popupWindowError('This popup was already navigated; open a new one per interaction.');
    }
    this.#used = true;
    if (signal?.aborted === true) {
      this.close();
      return abortedError(signal);
    }
    if (isClosed(this.#popup)) {
      // Closed while still on about:blank, before any provider page: a real close.
      return userCancelledError('The popup was closed before it reached the provider.');
    }
    return undefined;
  }

  #assignLocation(url: URL): AuthError | undefined {
    try {
      // `replace` keeps about:blank out of the popup's history, so Back cannot land there.
      this.#popup.location.replace(url.href);
      return undefined;
    } catch (cause) {
      return popupWindowError('The popup could not be navigated to the provider.', cause);
    }
  }
}

/** Settles once; cleanups run (latest first) before the promise settles. */
interface Monitor<T> {
  readonly settled: boolean;
  settle(result: { value: T } | { error: Error }): void;
  defer(cleanup: () => void): void;
}

function monitor<T>(body: (m: Monitor<T>) => void, onSettled: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanups: Array<() => void> = [];
    let settled = false;
    const m: Monitor<T> = {
      get settled() {
        return settled;
      },
      defer(cleanup) {
        if (settled) safely(cleanup);
        else cleanups.push(cleanup);
      },
      settle(result) {
        if (settled) return;
        settled = true;
        for (const cleanup of cleanups.splice(0).reverse()) safely(cleanup);
        safely(onSettled);
        if ('value' in result) resolve(result.value);
        else reject(result.error);
      },
    };
    try {
      body(m);
    } catch (error) {
      m.settle({ error: asError(error) });
    }
  });
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Cleanup is best effort; one failure must not skip the rest.
  }
}

/**
 * True when the popup shows a page after our navigation: a cross-origin page (reading its
 * location throws) or a same-origin one other than the initial `about:blank`. Used only to
 * learn that the opener is still attached, never to read a result.
 */
function showsNavigatedPage(popup: Window): boolean {
  try {
    const href = popup.location.href;
    return href !== '' && href !== 'about:blank';
  } catch {
    return true;
  }
}

function isOnPage(popup: Window, target: URL): boolean {
  try {
    const current = new URL(popup.location.href);
    return current.origin === target.origin && current.pathname === target.pathname;
  } catch {
    return false;
  }
}
