import { BrowserAuthError, isAuthError, type AuthError } from '../errors/auth-error.js';
import {
  MONITOR_WINDOW_TIMEOUT,
  POPUP_WINDOW_ERROR,
  USER_CANCELLED,
} from '../errors/error-codes.js';
import type { Logger } from '../logger.js';
import type { Timers } from '../ports.js';
import { readAuthorizationResponseParams } from '../response-params.js';
import { isClosed, openPopupWindow, randomNameSuffix } from './popup-window.js';
import {
  IFRAME_NAME_PREFIX,
  POPUP_MARKER_PREFIX,
  RESPONSE_CHANNEL_PREFIX,
  RESPONSE_MESSAGE_TYPE,
  type BroadcastChannelConstructor,
} from './response-message.js';
import type {
  AuthorizationResponseMessage,
  NavigateOptions,
  Navigator,
  PopupHandle,
  PopupOptions,
  ReturnNavigateOptions,
} from './types.js';

/*
 * The popup and the hidden-iframe navigators, and the one response waiter they share. Both
 * navigate a window to the provider and wait for the callback page's message; they differ only
 * in how the window is made, watched and removed.
 */

/**
 * How long the popup marker outlives the navigate timeout, so a severed popup that completes
 * late still recognises itself and closes instead of loading the app.
 */
const MARKER_SLACK_MS = 600_000;

/** Options of {@link createIframeNavigator}; the popup takes them too. */
export interface IframeNavigatorOptions {
  timers: Timers;
  logger: Logger;
  /** BroadcastChannel constructor; default the global one. */
  BroadcastChannel?: BroadcastChannelConstructor | undefined;
}

/** Options of {@link openPopup} and {@link attachPopup}. */
export interface OpenPopupOptions extends PopupOptions, IframeNavigatorOptions {
  /**
   * How long the popup must be seen open on a navigated (provider) page before a later
   * `closed` counts as the user closing it; default 1000 ms. Chromium shows a popup as open and
   * cross-origin for a moment before Cross-Origin-Opener-Policy severs it, so "attached" needs
   * the provider page to be seen for a sustained stretch.
   */
  attachConfirmMs?: number | undefined;
  /** How often `popup.closed` is read; default 100 ms. */
  pollIntervalMs?: number | undefined;
  /**
   * After a popup that was seen on the provider's page reads as closed, how long a response
   * already posted by the callback page may still take to arrive before `user_cancelled`;
   * default 400 ms.
   */
  closedGraceMs?: number | undefined;
}

/**
 * Opens a popup window NOW, synchronously, and returns a handle to navigate it later.
 *
 * Call it directly inside the user gesture (the click handler, before any `await`): popup
 * blockers allow `window.open` only there. The popup shows `about:blank` until
 * `navigate` is called, so discovery and PKCE can run asynchronously meanwhile. It is centred
 * over the opener window, 483 x 600 CSS pixels by default, and named `tessera.v1.popup.<random>` (or `tessera.v1.popup.<options.name>`), so
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
 * cannot be told apart from `closed` alone, so the poller also remembers whether it saw the
 * popup open on a page after the navigation (reading `popup.location.href` throws on a
 * cross-origin page, or returns a URL other than `about:blank`) for `attachConfirmMs`:
 *
 * - seen open on such a page, then closed: the opener was still attached after the provider's
 *   page loaded, so the close is real. `navigate` rejects with `user_cancelled` after
 *   `closedGraceMs` (default 400 ms), the time a response already
 *   posted by the callback page may need to arrive.
 * - closed without ever being seen there: COOP may have severed the popup at its first
 *   provider page. The response can still arrive over the BroadcastChannel, so it keeps
 *   waiting up to `severedGraceMs` (default: the rest of the navigate timeout) and then
 *   rejects with `user_cancelled`. That bound is the price of COOP: a user who really closes
 *   such a popup learns it only then.
 * - nothing within `timeoutMs` and never seen closed: `monitor_window_timeout`.
 *
 * While it waits, a `localStorage` marker for the `state` tells the callback page that it runs
 * in a popup even after COOP reset the popup's name and `opener`; it is kept after a failure on
 * purpose, so a severed popup that completes late posts to nobody and closes itself instead of
 * loading the app.
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

/**
 * Wraps a popup opened by `openPopupWindow` (in the user gesture) in its handle; see
 * {@link openPopup} for the closed/COOP rule.
 *
 * `navigate` and `navigateUntilReturn` reject with BrowserAuthError `user_cancelled` (closed,
 * or aborted), `monitor_window_timeout` after `timeoutMs`, `popup_window_error` when the popup
 * cannot be navigated or was already navigated.
 */
export function attachPopup(opener: Window, popup: Window, options: OpenPopupOptions): PopupHandle {
  const interval = options.pollIntervalMs ?? 100;
  const confirmPolls = Math.max(1, Math.ceil((options.attachConfirmMs ?? 1000) / interval));
  let used = false;
  const close = (): void => {
    if (!isClosed(popup)) popup.close();
  };

  /**
   * Navigates the popup to `url` once per handle: `setup` registers what the navigation waits
   * for and returns what each poll does; `timedOut` is the error at `timeoutMs`.
   */
  const drive = <T>(
    url: URL,
    limits: Limits,
    setup: (...run: Run<T>) => (stop: () => void) => void,
    timedOut: () => AuthError,
  ): Promise<T> => {
    if (used) {
      return Promise.reject(
        new BrowserAuthError(
          POPUP_WINDOW_ERROR,
          'This popup was already navigated; open a new one per interaction.',
        ),
      );
    }
    used = true;
    return watch<T>(options.timers, limits, timedOut, close, (ok, fail, defer, after) => {
      // Closed while still on about:blank, before any provider page: a real close.
      if (isClosed(popup)) throw cancelled('The popup was closed before it reached the provider.');
      const poll = setup(ok, fail, defer, after);
      try {
        // `replace` keeps about:blank out of the popup's history, so Back cannot land there.
        popup.location.replace(url.href);
      } catch (cause) {
        throw new BrowserAuthError(
          POPUP_WINDOW_ERROR,
          'The popup could not be navigated to the provider.',
          { cause },
        );
      }
      const stop = after(interval, () => poll(stop), true);
    });
  };

  return {
    navigate(url: URL, navigateOptions: NavigateOptions): Promise<URL> {
      let closedSeen = false;
      let navigatedPolls = 0;
      return drive<URL>(
        url,
        navigateOptions,
        (ok, fail, defer, after) => {
          listen(
            opener,
            navigateOptions,
            popup,
            options,
            (response) => {
              setPopupMarker(opener, navigateOptions.state);
              ok(response);
            },
            defer,
          );
          setPopupMarker(
            opener,
            navigateOptions.state,
            Date.now() + navigateOptions.timeoutMs + MARKER_SLACK_MS,
          );
          return (stop) => {
            if (!isClosed(popup)) {
              // Counted until `attachConfirmMs` worth of polls saw the provider page in a row.
              if (navigatedPolls < confirmPolls) {
                navigatedPolls = showsNavigatedPage(popup) ? navigatedPolls + 1 : 0;
              }
              return;
            }
            // `closed` never turns false again: stop polling and decide how long to wait.
            stop();
            closedSeen = true;
            const attached = navigatedPolls >= confirmPolls;
            if (!attached) {
              options.logger.info(
                'The popup reads as closed before it was seen on the provider page: ' +
                  'Cross-Origin-Opener-Policy may have severed it. Waiting for the response on BroadcastChannel.',
              );
            }
            const grace = attached ? (options.closedGraceMs ?? 400) : options.severedGraceMs;
            if (grace !== undefined) after(grace, () => fail(closedError()));
          };
        },
        () => (closedSeen ? closedError() : timeoutError('popup')),
      );
    },

    navigateUntilReturn(url: URL, returnOptions: ReturnNavigateOptions): Promise<void> {
      // The popup's location is read here, which is legitimate because no response is carried.
      // A closed popup resolves rather than rejects: a COOP-severed popup reads as closed at
      // once, and the caller has already done the local part (sign-out) anyway.
      return drive<void>(
        url,
        returnOptions,
        (ok) => {
          const target = new URL(returnOptions.returnUrl);
          return () => {
            if (isClosed(popup) || isOnPage(popup, target)) ok();
          };
        },
        () => timeoutError('popup'),
      );
    },

    close,
  };
}

/**
 * A {@link Navigator} that loads the authorization URL in a hidden iframe (silent renewal
 * with `prompt=none`) and resolves with the callback URL the callback page posts back.
 *
 * The frame is invisible and out of the accessibility tree and tab order (`display: none`,
 * zero size, `aria-hidden`, `tabindex=-1`), named `tessera.v1.iframe.<random>` so the callback
 * page knows it runs in our frame, and removed from the DOM on every outcome — success, abort,
 * timeout or error — so frames never accumulate.
 *
 * There is no "closed" signal for a frame: a provider that refuses to be framed
 * (`X-Frame-Options`, `frame-ancestors`) or withholds third-party cookies so that the response
 * never reaches the callback page ends in `monitor_window_timeout`, never in a hang.
 *
 * @throws BrowserAuthError (rejection) `monitor_window_timeout` after `timeoutMs`;
 *   `user_cancelled` (or the abort reason when it is a Tessera error) when aborted.
 */
export function createIframeNavigator(win: Window, options: IframeNavigatorOptions): Navigator {
  return {
    navigate(url, navigateOptions) {
      const doc = win.document;
      const iframe = doc.createElement('iframe');
      return watch<URL>(
        options.timers,
        navigateOptions,
        () => timeoutError('hidden iframe'),
        () => iframe.remove(),
        (ok, _fail, defer) => {
          iframe.name = IFRAME_NAME_PREFIX + randomNameSuffix();
          iframe.setAttribute('aria-hidden', 'true');
          iframe.setAttribute('tabindex', '-1');
          Object.assign(iframe.style, { display: 'none', width: '0', height: '0', border: '0' });
          iframe.src = url.href;
          (doc.body ?? doc.documentElement).appendChild(iframe);
          // The frame's WindowProxy stays the same across its navigations: only it may answer.
          listen(win, navigateOptions, iframe.contentWindow, options, ok, defer);
        },
      );
    },
  };
}

/** Options of {@link waitForResponse}. */
export interface WaitForResponseOptions {
  /** The app's window; `message` events from the popup or iframe arrive here. */
  window: Window;
  /** The request's `state`: only a response carrying it is accepted. */
  state: string;
  /** The redirect URI: the response must come from its origin and be a URL on its path. */
  redirectUri: string;
  /** Rejects (and disposes) when aborted; see {@link abortedError} for the error. */
  signal?: AbortSignal | undefined;
  /**
   * When given, `postMessage` events must come from this window (the popup, or the iframe's
   * `contentWindow`). BroadcastChannel messages have no source and are checked by state only.
   */
  source?: MessageEventSource | null | undefined;
  /** BroadcastChannel constructor; default the global one. */
  BroadcastChannel?: BroadcastChannelConstructor | undefined;
  logger?: Logger | undefined;
}

/** A pending wait for one authorization response. */
export interface ResponseWait {
  /**
   * Resolves with the full callback URL (query and fragment kept); rejects only on abort.
   * After {@link ResponseWait.dispose} it never settles.
   */
  readonly response: Promise<URL>;
  /** Stops listening and closes the channel (idempotent). Call it on every outcome. */
  dispose(): void;
}

/**
 * Waits for the authorization response of the request identified by `state`, the way both
 * navigators do (see {@link listen}), without a window to drive or a time limit. For a page that
 * opens its windows itself.
 */
export function waitForResponse(options: WaitForResponseOptions): ResponseWait {
  // Disposing fails the wait with this token, which the returned promise turns into "never".
  const disposed = {};
  let dispose = (): void => undefined;
  const response = watch<URL>(
    NEVER,
    { signal: options.signal, timeoutMs: 0 },
    () => new Error('No time limit: never called.'),
    () => undefined,
    (ok, fail, defer) => {
      dispose = () => fail(disposed);
      listen(options.window, options, options.source, options, ok, defer);
    },
  ).catch((error: unknown) => {
    if (error === disposed) return new Promise<URL>(() => undefined);
    throw error;
  });
  return { response, dispose: () => dispose() };
}

/** Timers that never fire: {@link waitForResponse} has no time limit. */
const NEVER: Timers = {
  setTimeout: () => undefined,
  clearTimeout: () => undefined,
  setInterval: () => undefined,
  clearInterval: () => undefined,
};

/** When a navigation gives up. */
interface Limits {
  signal?: AbortSignal | undefined;
  timeoutMs: number;
}

/** What a watched navigation's body receives: how it settles, cleans up and schedules. */
type Run<T> = [
  ok: (value: T) => void,
  fail: (error: unknown) => void,
  /** Runs `cleanup` when the navigation ends (at once when it has ended). */
  defer: (cleanup: () => void) => void,
  /** Runs `fn` after `ms` (every `ms` when `repeat`) until stopped or the navigation ends. */
  after: (ms: number, fn: () => void, repeat?: boolean) => () => void,
];

/**
 * One navigation as a promise that settles once. Every cleanup (`onEnd`, then each one
 * registered with `defer`) runs on every outcome — response, error, timeout, abort — before the
 * promise settles. An abort fails it with {@link abortedError}; when already aborted, `body`
 * never runs. After `timeoutMs` it fails with `timedOut()`. What `body` throws fails it.
 */
function watch<T>(
  timers: Timers,
  { signal, timeoutMs }: Limits,
  timedOut: () => Error,
  onEnd: () => void,
  body: (...run: Run<T>) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanups = [onEnd];
    let done = false;
    const end =
      <V>(settle: (value: V) => void) =>
      (value: V): void => {
        if (done) return;
        done = true;
        for (const cleanup of cleanups) {
          try {
            cleanup();
          } catch {
            // Best effort: one failing cleanup must not skip the others.
          }
        }
        settle(value);
      };
    const fail = end(reject);
    const defer = (cleanup: () => void): void => {
      if (done) cleanup();
      else cleanups.push(cleanup);
    };
    const abort = (): void => fail(abortedError(signal!));
    try {
      if (signal) {
        if (signal.aborted) throw abortedError(signal);
        signal.addEventListener('abort', abort);
        defer(() => signal.removeEventListener('abort', abort));
      }
      const after: Run<T>[3] = (ms, fn, repeat) => {
        const handle = repeat ? timers.setInterval(fn, ms) : timers.setTimeout(fn, ms);
        const stop = (): void =>
          repeat ? timers.clearInterval(handle) : timers.clearTimeout(handle);
        defer(stop);
        return stop;
      };
      after(timeoutMs, () => fail(timedOut()));
      body(end(resolve), fail, defer, after);
    } catch (error) {
      fail(error);
    }
  });
}

/**
 * Listens for the authorization response of the request identified by `state`, on two paths,
 * until the navigation ends:
 *
 * - `message` events on `win` — what a callback page posts to its `opener` or `parent`.
 *   Accepted only when `event.origin` is the redirect URI's origin (the app's own), so a page
 *   on any other origin cannot inject a response, and, when `source` is given, only from that
 *   window.
 * - a `BroadcastChannel` named `tessera.v1.response.<state>` — same-origin by construction, and
 *   it still works when Cross-Origin-Opener-Policy on the provider's pages has severed the
 *   popup from its opener (`opener` is null in the popup then, so `postMessage` cannot reach
 *   us; msal #8282, #8521).
 *
 * Either way the message must be a well-formed {@link AuthorizationResponseMessage} whose
 * `state` matches, whose `url` lies on the redirect URI's origin and path, and whose URL
 * carries the same `state`. Anything else is ignored, not treated as an error: other code on
 * the page may use `postMessage` too. The first valid response is passed to `ok`.
 *
 * @see RFC 6749 section 10.12 (CSRF; `state` binding)
 */
function listen(
  win: Window,
  { state, redirectUri }: { state: string; redirectUri: string },
  source: unknown,
  {
    BroadcastChannel: Channel = globalThis.BroadcastChannel,
    logger,
  }: { BroadcastChannel?: BroadcastChannelConstructor | undefined; logger?: Logger | undefined },
  ok: (url: URL) => void,
  defer: (cleanup: () => void) => void,
): void {
  const redirect = new URL(redirectUri);
  const accept = ({ data }: MessageEvent): void => {
    const message = data as Partial<AuthorizationResponseMessage> | null;
    if (message?.type === RESPONSE_MESSAGE_TYPE && message.v === 1 && message.state === state) {
      try {
        const url = new URL(message.url!);
        // The envelope's state must be the one inside the URL too; the protocol layer re-checks
        // it against the stored transaction.
        if (
          samePage(url, redirect) &&
          readAuthorizationResponseParams(url)?.get('state') === state
        ) {
          ok(url);
        }
      } catch {
        // Not a URL: not our response.
      }
    }
  };
  const onMessage = (event: MessageEvent): void => {
    if (event.origin === redirect.origin && (!source || event.source === source)) accept(event);
  };
  win.addEventListener('message', onMessage);
  defer(() => win.removeEventListener('message', onMessage));
  try {
    const channel = new Channel(RESPONSE_CHANNEL_PREFIX + state);
    channel.onmessage = accept;
    defer(() => channel.close());
  } catch {
    logger?.warning('BroadcastChannel is unavailable; popup responses rely on postMessage.');
  }
}

/**
 * Sets the popup marker of `state` until `expiresAt` (ms since the epoch), sweeping expired
 * ones, or removes it when `expiresAt` is not given (the flow succeeded).
 *
 * Why not just the window name: when the provider's pages send Cross-Origin-Opener-Policy,
 * the browser moves the popup into a new browsing context group, which severs `opener` AND
 * resets `window.name` to the empty string. The callback page then looks exactly like a
 * top-level redirect; this same-origin marker is what still tells them apart. It is a routing
 * hint for one single-use `state`, never a lock: a leftover marker can only match a response
 * carrying that exact random `state`, and expired markers are swept on the next write.
 */
export function setPopupMarker(win: Window, state: string, expiresAt?: number): void {
  try {
    // Reading `localStorage` throws where storage is disabled (privacy settings, sandboxes).
    const storage = win.localStorage;
    const key = POPUP_MARKER_PREFIX + state;
    if (expiresAt === undefined) return storage.removeItem(key);
    const now = Date.now();
    for (const old of Object.keys(storage)) {
      if (old.startsWith(POPUP_MARKER_PREFIX) && !(Number(storage.getItem(old)) > now)) {
        storage.removeItem(old);
      }
    }
    storage.setItem(key, String(expiresAt));
  } catch {
    // Storage disabled or full: the window name and `opener` remain as signals, and an
    // unremovable marker expires by itself.
  }
}

/**
 * The error a navigation rejects with when its `AbortSignal` fires. A Tessera error given as
 * the abort reason is passed through, so the code that aborted decides what callers see;
 * anything else (the default `AbortError`) becomes `user_cancelled` with the reason as `cause`.
 */
function abortedError(signal: AbortSignal): AuthError {
  const reason: unknown = signal.reason;
  return isAuthError(reason) ? reason : cancelled('The interaction was aborted.', reason);
}

function cancelled(message: string, cause?: unknown): AuthError {
  return new BrowserAuthError(USER_CANCELLED, message, { cause });
}

function closedError(): AuthError {
  return cancelled(
    'The popup was closed, or severed by Cross-Origin-Opener-Policy, before a response arrived.',
  );
}

function timeoutError(what: string): AuthError {
  return new BrowserAuthError(MONITOR_WINDOW_TIMEOUT, `The ${what} did not return in time.`);
}

/**
 * True when the popup shows a page after our navigation: a cross-origin page (reading its
 * location throws) or a same-origin one other than the initial `about:blank`. Used only to
 * learn that the opener is still attached, never to read a result.
 */
function showsNavigatedPage(popup: Window): boolean {
  try {
    return !['', 'about:blank'].includes(popup.location.href);
  } catch {
    return true;
  }
}

function isOnPage(popup: Window, target: URL): boolean {
  try {
    return samePage(new URL(popup.location.href), target);
  } catch {
    return false;
  }
}

function samePage(url: URL, target: URL): boolean {
  return url.origin === target.origin && url.pathname === target.pathname;
}
