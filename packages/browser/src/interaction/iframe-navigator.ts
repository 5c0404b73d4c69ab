import type { Logger } from '../logger.js';
import type { Timers } from '../ports.js';
import { abortedError, asError, monitorWindowTimeoutError } from './interaction-errors.js';
import { IFRAME_NAME_PREFIX, randomNameSuffix } from './window-names.js';
import { waitForResponse } from './response-channel.js';
import type { BroadcastChannelConstructor } from './response-message.js';
import type { NavigateOptions, Navigator } from './types.js';

/** Options of {@link createIframeNavigator}. */
export interface IframeNavigatorOptions {
  timers: Timers;
  logger: Logger;
  /** BroadcastChannel constructor; default the window's own. */
  BroadcastChannel?: BroadcastChannelConstructor | undefined;
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
    navigate: (url, navigateOptions) => navigateInIframe(win, url, navigateOptions, options),
  };
}

function navigateInIframe(
  win: Window,
  url: URL,
  navigateOptions: NavigateOptions,
  options: IframeNavigatorOptions,
): Promise<URL> {
  const { signal, timeoutMs } = navigateOptions;
  const { timers, logger } = options;
  if (signal?.aborted === true) return Promise.reject(abortedError(signal));

  return new Promise<URL>((resolve, reject) => {
    const doc = win.document;
    const iframe = doc.createElement('iframe');
    iframe.name = `${IFRAME_NAME_PREFIX}${randomNameSuffix()}`;
    iframe.setAttribute('aria-hidden', 'true');
    iframe.setAttribute('tabindex', '-1');
    iframe.style.display = 'none';
    iframe.style.width = '0';
    iframe.style.height = '0';
    iframe.style.border = '0';
    iframe.src = url.href;

    let settled = false;
    let timeout: unknown;
    let dispose = (): void => undefined;
    const finish = (outcome: { url: URL } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      dispose();
      if (timeout !== undefined) timers.clearTimeout(timeout);
      try {
        iframe.parentNode?.removeChild(iframe);
      } catch {
        // Someone else removed it already.
      }
      if ('url' in outcome) resolve(outcome.url);
      else reject(outcome.error);
    };

    try {
      (doc.body ?? doc.documentElement).appendChild(iframe);
      const wait = waitForResponse({
        window: win,
        state: navigateOptions.state,
        redirectUri: navigateOptions.redirectUri,
        signal,
        // The frame's WindowProxy stays the same across its navigations: only it may answer.
        source: iframe.contentWindow,
        BroadcastChannel: options.BroadcastChannel,
        logger,
      });
      dispose = () => wait.dispose();
      wait.response.then(
        (responseUrl) => finish({ url: responseUrl }),
        (error: unknown) => finish({ error: asError(error) }),
      );
      timeout = timers.setTimeout(() => {
        logger.info('The hidden iframe did not return a response in time.');
        finish({ error: monitorWindowTimeoutError('The hidden iframe did not return in time.') });
      }, timeoutMs);
      logger.verbose('Loading the authorization request in a hidden iframe.');
    } catch (error) {
      finish({ error: asError(error) });
    }
  });
}
