import type { Logger } from '../logger.js';
import { readAuthorizationResponseParams } from '../response-params.js';
import { abortedError } from './interaction-errors.js';
import {
  isAuthorizationResponseMessage,
  resolveBroadcastChannel,
  responseChannelName,
  type BroadcastChannelConstructor,
} from './response-message.js';

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
  /** BroadcastChannel constructor; default the window's own. */
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
 * Waits for the authorization response of the request identified by `state`, on two paths:
 *
 * - `message` events on `window` — what a callback page posts to its `opener` or `parent`.
 *   Accepted only when `event.origin` is the redirect URI's origin (the app's own), so a page
 *   on any other origin cannot inject a response.
 * - a `BroadcastChannel` named `tessera.v1.response.<state>` — same-origin by construction, and
 *   it still works when Cross-Origin-Opener-Policy on the provider's pages has severed the
 *   popup from its opener (`opener` is null in the popup then, so `postMessage` cannot reach
 *   us; msal #8282, #8521).
 *
 * Either way the message must be a well-formed {@link AuthorizationResponseMessage} whose
 * `state` matches, whose `url` lies on the redirect URI's origin and path, and whose URL
 * carries the same `state`. Anything else is ignored, not treated as an error: other code on
 * the page may use `postMessage` too. The first valid response wins; all listeners and the
 * channel are disposed on every outcome.
 *
 * @see RFC 6749 section 10.12 (CSRF; `state` binding)
 */
export function waitForResponse(options: WaitForResponseOptions): ResponseWait {
  const { window: win, state, signal, logger } = options;
  const disposers: Array<() => void> = [];
  let settled = false;
  let resolveResponse: (url: URL) => void = () => undefined;
  let rejectResponse: (error: unknown) => void = () => undefined;
  const response = new Promise<URL>((resolve, reject) => {
    resolveResponse = resolve;
    rejectResponse = reject;
  });

  const dispose = (): void => {
    settled = true;
    for (const disposer of disposers.splice(0).reverse()) {
      try {
        disposer();
      } catch {
        // Best effort: a failing cleanup must not block the others.
      }
    }
  };
  const handle: ResponseWait = { response, dispose };

  let redirect: URL;
  try {
    redirect = new URL(options.redirectUri);
  } catch (cause) {
    // Configuration validates the redirect URI; this only guards direct misuse.
    settled = true;
    rejectResponse(cause);
    return handle;
  }

  const accept = (data: unknown, via: string): void => {
    if (settled) return;
    const url = matchResponse(data, state, redirect);
    if (url === undefined) {
      logger?.verbose(`Ignored a ${via} message that is not the awaited authorization response.`);
      return;
    }
    logger?.verbose(`Received the authorization response via ${via}.`);
    dispose();
    resolveResponse(url);
  };

  const onWindowMessage = (event: MessageEvent): void => {
    if (event.origin !== redirect.origin) return;
    if (options.source != null && event.source !== options.source) return;
    accept(event.data, 'postMessage');
  };
  win.addEventListener('message', onWindowMessage);
  disposers.push(() => win.removeEventListener('message', onWindowMessage));

  const Channel = options.BroadcastChannel ?? resolveBroadcastChannel(win);
  if (Channel !== undefined) {
    try {
      const channel = new Channel(responseChannelName(state));
      const onChannelMessage = (event: MessageEvent): void =>
        accept(event.data, 'BroadcastChannel');
      channel.addEventListener('message', onChannelMessage);
      disposers.push(() => {
        channel.removeEventListener('message', onChannelMessage);
        channel.close();
      });
    } catch {
      logger?.warning('BroadcastChannel is unavailable; popup responses rely on postMessage.');
    }
  }

  if (signal !== undefined) {
    const onAbort = (): void => {
      if (settled) return;
      dispose();
      rejectResponse(abortedError(signal));
    };
    if (signal.aborted) {
      onAbort();
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
      disposers.push(() => signal.removeEventListener('abort', onAbort));
    }
  }

  return handle;
}

/**
 * The callback URL in `data` when it is the response awaited for `state` at `redirect`, else
 * undefined.
 */
function matchResponse(data: unknown, state: string, redirect: URL): URL | undefined {
  if (!isAuthorizationResponseMessage(data) || data.state !== state) return undefined;
  let url: URL;
  try {
    url = new URL(data.url);
  } catch {
    return undefined;
  }
  if (url.origin !== redirect.origin || url.pathname !== redirect.pathname) return undefined;
  // The envelope's state must be the one inside the URL too; the protocol layer re-checks it
  // against the stored transaction.
  if (readAuthorizationResponseParams(url)?.get('state') !== state) return undefined;
  return url;
}
