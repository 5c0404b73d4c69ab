/**
 * Options for one navigation that ends at the app's redirect URI. `state` routes the response
 * back to the caller that started it.
 */
export interface NavigateOptions {
  /** The `state` of the request; the response is matched on it. */
  state: string;
  /** The redirect URI; responses from any other origin are ignored. */
  redirectUri: string;
  /** Reject with `monitor_window_timeout` after this long. */
  timeoutMs: number;
  /** Abort the navigation (the window or frame is cleaned up). */
  signal?: AbortSignal | undefined;
}

/**
 * Navigates a window or frame to an authorization URL and resolves with the authorization
 * response URL (the full callback URL, query and fragment kept). Knows no tokens.
 *
 * Rejects with BrowserAuthError: `user_cancelled`, `popup_window_error`,
 * `monitor_window_timeout`.
 */
export interface Navigator {
  navigate(url: URL, options: NavigateOptions): Promise<URL>;
}

/** Options of {@link PopupHandle.navigateUntilReturn}. */
export interface ReturnNavigateOptions {
  /** Where the provider sends the popup back (e.g. the post-logout redirect URI, own origin). */
  returnUrl: string;
  /** Reject with `monitor_window_timeout` after this long. */
  timeoutMs: number;
  /** Abort the navigation (the popup is closed). */
  signal?: AbortSignal | undefined;
}

/** A popup window opened synchronously inside the user gesture, navigated later. */
export interface PopupHandle extends Navigator {
  /**
   * Navigates to a URL that carries no authorization response (RP-initiated logout) and
   * resolves once the popup is back on `returnUrl`, or once it is seen closed. Each handle
   * navigates once: either this or `navigate`.
   */
  navigateUntilReturn(url: URL, options: ReturnNavigateOptions): Promise<void>;
  /** Closes the popup if still open (idempotent). */
  close(): void;
}

/** Size and position hints of a popup. */
export interface PopupOptions {
  width?: number;
  height?: number;
  /** Window name; default a per-app name so a second open reuses nothing foreign. */
  name?: string;
  /**
   * How long after the opener sees the popup as closed, while it was showing the provider
   * and may have been severed by Cross-Origin-Opener-Policy, a response can still arrive
   * over BroadcastChannel before `user_cancelled`. Default: the navigate timeout.
   */
  severedGraceMs?: number;
}

/**
 * A router hook so frameworks can navigate without full reloads. `navigateExternal` leaves
 * the app (to the provider); `navigateInternal` moves within it (back to the start page).
 * Both resolve `true` when they navigated.
 */
export interface NavigationClient {
  navigateInternal(url: string, options: { noHistory: boolean }): Promise<boolean>;
  navigateExternal(url: string, options: { noHistory: boolean }): Promise<boolean>;
}

/** The message a callback page posts to its opener or parent (and over BroadcastChannel). */
export interface AuthorizationResponseMessage {
  type: 'tessera:authorization_response';
  /** Version of this message shape. */
  v: 1;
  state: string;
  /** The full callback URL. */
  url: string;
}
