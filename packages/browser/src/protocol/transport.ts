import * as oauth from 'oauth4webapi';
import { systemTimers } from '../ports.js';
import type { ProtocolClientOptions } from './types.js';

/** What oauth4webapi hands to `customFetch` for the GET and POST requests made here. */
type FetchOptions = oauth.CustomFetchOptions<'GET' | 'POST', URLSearchParams | undefined>;

/**
 * Our `fetch` port and the http allowance, in the shape oauth4webapi's request functions take:
 * through the port, tests use a fake provider and apps can wrap fetch (no global patching).
 * Only loopback http authorities allow insecure requests: configuration validation decides that.
 *
 * Each request has a time limit (`networkTimeoutMs`, default 10 s) that covers the answer's body
 * too (a provider can stall after its headers); over it the request is aborted and fails with a
 * `TimeoutError`. oauth4webapi is given no `signal`, so the limit's is the only one.
 *
 * At most 2 retries, waiting `Retry-After` (at most 5 s, else the answer is returned as it is)
 * or a backoff of 500 ms doubled per retry, jittered down to half. What is repeated:
 *
 * - GET (discovery): a network failure (`TypeError`), 429 and any 5xx. Reading metadata is safe
 *   to repeat (RFC 9110 9.2.2).
 * - POST (`post`, a token endpoint grant): only 429 and 503, the answers of a server that refused
 *   to process the request (RFC 6585 4, RFC 9110 15.6.4). The grant carries a single-use code or
 *   refresh token, and re-sending a refresh token the provider may have rotated is a replay that
 *   revokes the grant (RFC 9700 4.14.2). So no retry after a network failure or timeout (the
 *   request may have arrived), nor after 500, 502 or 504 (a gateway's answer when the origin
 *   failed or was too slow, possibly after processing).
 *
 * A timeout is never retried. Worst case: 3 × `networkTimeoutMs` + 2 × 5 s. The last answer is
 * returned as it is, for oauth4webapi and `mapProtocolError` to report.
 */
export function transport(options: ProtocolClientOptions, post?: boolean) {
  const { timers = systemTimers, random = Math.random, networkTimeoutMs: ms = 10_000 } = options;
  return {
    [oauth.customFetch]: async (url: string, init: FetchOptions): Promise<Response> => {
      for (let attempt = 0; ; attempt++) {
        let wait = 500 * 2 ** attempt * (1 - random() / 2);
        try {
          const response = await new Promise<Response>((resolve, reject) => {
            const controller = new AbortController();
            const timer = timers.setTimeout(() => {
              const reason = new DOMException(`No answer within ${ms} ms`, 'TimeoutError');
              controller.abort(reason);
              reject(reason);
            }, ms);
            // `redirect: 'manual'` is kept: a token or metadata response must not come from elsewhere.
            options
              .fetch(url, { ...init, signal: controller.signal } as RequestInit)
              .then(async (r) =>
                // Status 0 is an opaque redirect, which has no body and cannot be constructed.
                r.status ? new Response(r.body && (await r.arrayBuffer()), r) : r,
              )
              .then(resolve, reject)
              .finally(() => timers.clearTimeout(timer));
          });
          const status = response.status;
          if (
            attempt > 1 ||
            !(status == 429 || status == 503 || (!post && status > 499)) ||
            (wait = retryAfterMs(response, options.clock.now()) ?? wait) > 5000
          ) {
            return response;
          }
        } catch (error) {
          if (post || attempt > 1 || !(error instanceof TypeError)) throw error;
        }
        await new Promise<void>((resolve) => timers.setTimeout(resolve, wait));
      }
    },
    [oauth.allowInsecureRequests]: options.allowInsecureRequests,
  };
}

/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds or an HTTP-date, read against
 * the clock port (RFC 9110 10.2.3); undefined when absent or unreadable.
 */
export function retryAfterMs(response: Response, now: number): number | undefined {
  const value = response.headers.get('retry-after');
  const ms = value ? (+value >= 0 ? +value * 1000 : Date.parse(value) - now) : NaN;
  return isNaN(ms) ? undefined : Math.max(0, ms);
}
