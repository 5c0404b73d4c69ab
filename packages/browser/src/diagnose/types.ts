import type { FetchLike } from '../ports.js';

/**
 * What a configuration check can find wrong. Stable snake_case ids: compare against these, never
 * against the message text. Each is documented in `docs/doctor.md#<id>`.
 */
export type FindingId =
  | 'discovery_unreachable'
  | 'discovery_cors_blocked'
  | 'discovery_http_error'
  | 'discovery_invalid'
  | 'issuer_mismatch'
  | 'code_flow_unsupported'
  | 'pkce_s256_unsupported'
  | 'pkce_methods_unlisted'
  | 'offline_access_unlisted'
  | 'offline_access_disabled'
  | 'refresh_token_grant_unlisted'
  | 'token_endpoint_cors_blocked'
  | 'client_rejected'
  | 'redirect_uri_not_registered'
  | 'redirect_uri_unverified'
  | 'authorization_error'
  | 'third_party_cookies_blocked'
  | 'callback_page_unreachable'
  | 'callback_page_not_framable';

/**
 * The checks a diagnosis runs; a check that found nothing wrong is listed in
 * {@link Diagnosis.passed}. The CLI reads CORS headers; the browser reports `discovery_cors` and
 * `token_endpoint_cors` as "this page could read the answer".
 */
export type CheckId =
  | 'discovery'
  | 'discovery_cors'
  | 'issuer'
  | 'code_flow'
  | 'pkce_s256'
  | 'refresh_tokens'
  | 'token_endpoint_cors'
  | 'client'
  | 'redirect_uri_registered'
  | 'iframe_session'
  | 'callback_page';

/** How bad a finding is: `error` breaks sign-in or renewal; `warning` degrades it. */
export type FindingSeverity = 'error' | 'warning';

/** One thing wrong with the setup. */
export interface Finding {
  /** Stable id, e.g. `redirect_uri_not_registered`. */
  id: FindingId;
  severity: FindingSeverity;
  /** What is wrong, naming the setting and the values seen. */
  message: string;
  /** What to do about it. */
  fix: string;
}

/** Information that needs no fix (the CLI reports the provider's Cross-Origin-Opener-Policy). */
export interface DiagnosisNote {
  /** Stable id, e.g. `authorization_coop`. */
  id: 'authorization_coop';
  message: string;
}

/** The result of {@link diagnose} (and of `npx tessera-doctor`). */
export interface Diagnosis {
  /** What is wrong; empty for a correct setup. */
  findings: Finding[];
  /** The checks that ran and found nothing wrong, in the order they ran. */
  passed: CheckId[];
  /** Information only. */
  notes: DiagnosisNote[];
}

/** Options of {@link diagnose}. */
export interface DiagnoseOptions {
  /**
   * How long the hidden-iframe probe waits for the provider's answer at the redirect URI, in ms.
   * Default: the app's `system.loadFrameTimeout`.
   */
  timeoutMs?: number | undefined;
  /**
   * The `fetch` the checks use; default the global one. (The app's `system.ports.fetch` is not
   * used: a diagnosis looks at what the browser itself sees.)
   */
  fetch?: FetchLike | undefined;
}
