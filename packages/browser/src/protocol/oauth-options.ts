import * as oauth from 'oauth4webapi';
import { systemTimers } from '../ports.js';
import type { ProtocolClientOptions } from './types.js';

/** Default accepted clock skew for ID token time checks, in seconds (see `clockToleranceSeconds`). */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 300;
/** Default time limit of one request, answer body included, in ms (see `networkTimeoutMs`). */
export const DEFAULT_NETWORK_TIMEOUT_MS = 10_000;
/** Retries after the first attempt, at most: an operation sends at most 3 requests. */
export const MAX_RETRIES = 2;
/** The longest `Retry-After` waited for, in ms; a longer one fails at once, with `retryAfter`. */
export const MAX_RETRY_AFTER_MS = 5_000;
/** First backoff step in ms, doubled per retry and jittered down to half: 250-500, 500-1000. */
const BACKOFF_MS = 500;

/** What oauth4webapi hands to `customFetch` for the GET and POST requests made here. */
type FetchOptions = oauth.CustomFetchOptions<'GET' | 'POST', URLSearchParams | undefined>;

/** The transport part of every oauth4webapi request made here. */
export interface Transport {
  [oauth.customFetch]: (url: string, init: FetchOptions) => Promise<Response>;
  [oauth.allowInsecureRequests]?: boolean;
}

/**
 * The oauth4webapi client metadata for this public SPA client, carrying our clock port.
 *
 * oauth4webapi reads the time from `Date.now()` and adds `clockSkew` seconds, so the skew is the
 * distance between the injected clock and the system clock. It is computed per call because the
 * injected clock may move independently (tests, or a clock corrected from server time).
 */
export function clientFor(options: ProtocolClientOptions): oauth.Client {
  return {
    client_id: options.clientId,
    // A browser app cannot keep a secret (RFC 6749 2.1 public client): PKCE protects the code.
    token_endpoint_auth_method: 'none',
    [oauth.clockSkew]: Math.round((options.clock.now() - Date.now()) / 1000),
    [oauth.clockTolerance]: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
  };
}

/**
 * Our `fetch` port and the http allowance, in the shape oauth4webapi's request functions take.
 * Every request gets the time limit; failed ones are retried by {@link send}'s rules.
 *
 * @param post - The request carries a single-use credential (a token endpoint grant).
 */
export function transportFor(options: ProtocolClientOptions, post = false): Transport {
  const transport: Transport = {
    // Through the port, so tests use a fake provider and apps can wrap fetch (no global patching).
    [oauth.customFetch]: (url, init) => send(options, post, url, init),
  };
  // Only loopback http authorities get here: configuration validation decides that.
  if (options.allowInsecureRequests) transport[oauth.allowInsecureRequests] = true;
  return transport;
}

/**
 * Sends a request with up to {@link MAX_RETRIES} retries, waiting `Retry-After` (at most
 * {@link MAX_RETRY_AFTER_MS}) or a jittered exponential backoff in between. What is repeated:
 *
 * - GET (discovery): a network failure (`TypeError`), 429 and any 5xx. Reading metadata is safe
 *   to repeat (RFC 9110 9.2.2).
 * - POST to the token endpoint: only 429 and 503, the answers of a server that refused to
 *   process the request (RFC 6585 4, RFC 9110 15.6.4). The grant carries a single-use
 *   authorization code or refresh token, and re-sending a refresh token the provider may have
 *   rotated is a replay that revokes the grant (RFC 9700 4.14.2). So no retry after a network
 *   failure or timeout (the request may have arrived), nor after 500, 502 or 504: a gateway
 *   answers 502/504 when the origin failed or was too slow, possibly after processing.
 *
 * A timeout is never retried (the limit is what a caller waits for one request), nor an abort.
 * Worst case: 3 × `networkTimeoutMs` + 2 × 5 s. The last answer is returned as it is, for
 * oauth4webapi and `mapProtocolError` to report.
 */
async function send(
  options: ProtocolClientOptions,
  post: boolean,
  url: string,
  init: FetchOptions,
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    let wait = BACKOFF_MS * 2 ** attempt * (1 - (options.random ?? Math.random)() / 2);
    try {
      const response = await timed(options, url, init);
      const status = response.status;
      if (
        attempt >= MAX_RETRIES ||
        !(status === 429 || status === 503 || (!post && status > 499)) ||
        (wait = retryAfterMs(response, options.clock.now()) ?? wait) > MAX_RETRY_AFTER_MS
      ) {
        return response;
      }
    } catch (error) {
      if (post || attempt >= MAX_RETRIES || !(error instanceof TypeError)) throw error;
    }
    await new Promise<void>((resolve) =>
      (options.timers ?? systemTimers).setTimeout(resolve, wait),
    );
  }
}

/**
 * `fetch` with the time limit, which also rejects when the fetch port ignores the abort signal.
 * The body is read within the limit: a provider can stall after sending its headers.
 * oauth4webapi is given no `signal` here, so the limit's is the only one.
 */
function timed(options: ProtocolClientOptions, url: string, init: FetchOptions): Promise<Response> {
  const timers = options.timers ?? systemTimers;
  const ms = options.networkTimeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS;
  const controller = new AbortController();
  return new Promise<Response>((resolve, reject) => {
    const timer = timers.setTimeout(() => {
      const reason = new DOMException(`No answer within ${ms} ms`, 'TimeoutError');
      controller.abort(reason);
      reject(reason);
    }, ms);
    // `redirect: 'manual'` is kept: a token or metadata response must not come from elsewhere.
    options
      .fetch(url, { ...init, body: init.body ?? null, signal: controller.signal })
      .then(async (response) =>
        // Status 0 is an opaque redirect, which has no body and cannot be constructed.
        response.status
          ? new Response(response.body && (await response.arrayBuffer()), response)
          : response,
      )
      .then(resolve, reject)
      .finally(() => timers.clearTimeout(timer));
  });
}

/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds or an HTTP-date, read against
 * the clock port (RFC 9110 10.2.3); undefined when absent or unreadable.
 */
export function retryAfterMs(response: Response, now: number): number | undefined {
  const value = response.headers.get('retry-after');
  const ms = value === null ? NaN : +value >= 0 ? +value * 1000 : Date.parse(value) - now;
  return isNaN(ms) ? undefined : Math.max(0, ms);
}

/** Whether a URL may be used as an endpoint (https, or http when insecure requests are allowed). */
export function assertEndpointProtocol(url: URL, options: ProtocolClientOptions): void {
  oauth.checkProtocol(url, !options.allowInsecureRequests);
}
