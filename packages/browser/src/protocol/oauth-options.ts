import * as oauth from 'oauth4webapi';
import type { ProtocolClientOptions } from './types.js';

/** Default accepted clock skew for ID token time checks, in seconds (see `clockToleranceSeconds`). */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 300;

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

/** Our `fetch` port and the http allowance, in the shape oauth4webapi's request functions take. */
export function transportFor(options: ProtocolClientOptions): Transport {
  const transport: Transport = {
    // Through the port, so tests use a fake provider and apps can wrap fetch (no global patching).
    [oauth.customFetch]: (url, init) => options.fetch(url, toRequestInit(init)),
  };
  // Only loopback http authorities get here: configuration validation decides that.
  if (options.allowInsecureRequests) transport[oauth.allowInsecureRequests] = true;
  return transport;
}

/** Whether a URL may be used as an endpoint (https, or http when insecure requests are allowed). */
export function assertEndpointProtocol(url: URL, options: ProtocolClientOptions): void {
  oauth.checkProtocol(url, !options.allowInsecureRequests);
}

function toRequestInit(init: FetchOptions): RequestInit {
  // `redirect: 'manual'` is kept: a token or metadata response must not come from elsewhere.
  const request: RequestInit = {
    method: init.method,
    headers: init.headers,
    redirect: init.redirect,
  };
  if (init.body !== undefined) request.body = init.body;
  if (init.signal !== undefined) request.signal = init.signal;
  return request;
}
