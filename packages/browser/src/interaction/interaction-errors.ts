import { BrowserAuthError, isAuthError, type AuthError } from '../errors/auth-error.js';
import {
  MONITOR_WINDOW_TIMEOUT,
  POPUP_WINDOW_ERROR,
  UNEXPECTED_ERROR,
  USER_CANCELLED,
} from '../errors/error-codes.js';

/** `user_cancelled`: the user closed the popup (or the flow was cancelled). */
export function userCancelledError(message: string, cause?: unknown): BrowserAuthError {
  return new BrowserAuthError(USER_CANCELLED, message, cause === undefined ? {} : { cause });
}

/** `popup_window_error`: the popup could not be opened or navigated. */
export function popupWindowError(message: string, cause?: unknown): BrowserAuthError {
  return new BrowserAuthError(POPUP_WINDOW_ERROR, message, cause === undefined ? {} : { cause });
}

/** `monitor_window_timeout`: no response arrived in time. */
export function monitorWindowTimeoutError(message: string): BrowserAuthError {
  return new BrowserAuthError(MONITOR_WINDOW_TIMEOUT, message);
}

/**
 * The error a navigation rejects with when its `AbortSignal` fires. A Tessera error given as
 * the abort reason is passed through, so the code that aborted decides what callers see;
 * anything else (the default `AbortError`) becomes `user_cancelled` with the reason as `cause`.
 */
export function abortedError(signal: AbortSignal): AuthError {
  const reason: unknown = signal.reason;
  return isAuthError(reason) ? reason : userCancelledError('The interaction was aborted.', reason);
}

/** `value` when it is an Error, else an `unexpected_error` carrying it as `cause`. */
export function asError(value: unknown): Error {
  if (value instanceof Error || isAuthError(value)) return value;
  return new BrowserAuthError(UNEXPECTED_ERROR, 'The interaction failed unexpectedly.', {
    cause: value,
  });
}
