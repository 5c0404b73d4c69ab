/**
 * The checks of a provider's discovery document (OIDC Discovery 1.0 section 3, RFC 8414 2) that
 * need nothing but the document: the browser's `diagnose` and the `tessera-doctor` CLI share
 * them. Pure: no I/O, no DOM.
 */
import { createReport } from './report.js';
import type { Diagnosis } from './types.js';

/** What the metadata checks read besides the document. */
export interface MetadataCheckOptions {
  /** `auth.offlineAccess` as configured (undefined: decided by `scopes_supported`). */
  offlineAccess?: boolean | undefined;
}

/** A metadata member that is a list of strings, or undefined when absent or of another shape. */
function list(document: Record<string, unknown>, name: string): string[] | undefined {
  const value = document[name];
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
    ? value
    : undefined;
}

const shown = (values: string[]): string => (values.length ? values.join(', ') : 'nothing');

/**
 * Checks that the provider supports what Tessera sends: the authorization code flow, PKCE with
 * S256, and refresh tokens (`offline_access` and the `refresh_token` grant).
 *
 * - `code_flow`: `response_types_supported` (REQUIRED, OIDC Discovery 3) must list `code`, and
 *   `grant_types_supported`, when listed, `authorization_code`.
 * - `pkce_s256`: `code_challenge_methods_supported` must list `S256` (RFC 7636 4.2, RFC 8414 2).
 *   An absent list is a warning, not an error: RFC 8414 reads it as "no PKCE", yet providers that
 *   support PKCE omit it.
 * - `refresh_tokens`: `offline_access` in `scopes_supported` (OIDC Core 11; Tessera asks for it
 *   only when listed, unless `auth.offlineAccess` says otherwise) and `refresh_token` in
 *   `grant_types_supported` when listed. An absent `grant_types_supported` is not reported:
 *   providers omit it although they issue refresh tokens.
 */
export function checkProviderMetadata(
  document: Record<string, unknown>,
  options: MetadataCheckOptions = {},
): Pick<Diagnosis, 'findings' | 'passed'> {
  const report = createReport();
  const responseTypes = list(document, 'response_types_supported');
  const grants = list(document, 'grant_types_supported');

  const noCode = responseTypes !== undefined && !responseTypes.includes('code');
  const noCodeGrant = grants !== undefined && !grants.includes('authorization_code');
  if (noCode || noCodeGrant) {
    report.add(
      'code_flow_unsupported',
      'error',
      noCode
        ? `The provider's response_types_supported lists ${shown(responseTypes)}, not "code": Tessera uses the authorization code flow only (OAuth 2.0 for Browser-Based Apps; RFC 9700 2.1.2).`
        : `The provider's grant_types_supported lists ${shown(grants ?? [])}, not "authorization_code".`,
      'Enable the authorization code flow (with PKCE) for this client at the provider, or point auth.authority at a provider that supports it.',
    );
  } else {
    report.pass('code_flow');
  }

  const methods = list(document, 'code_challenge_methods_supported');
  if (methods === undefined) {
    report.add(
      'pkce_methods_unlisted',
      'warning',
      "The provider's discovery document has no code_challenge_methods_supported, so it does not say whether it supports PKCE with S256, which Tessera sends on every authorization request (RFC 7636 4.3). RFC 8414 2 reads an absent list as no PKCE support, yet some providers that support it omit the list.",
      "Check the provider's documentation that it verifies S256 code challenges, and enable PKCE (S256) for this client if that is a setting; a provider that ignores the challenge leaves stolen codes usable (RFC 9700 2.1.1).",
    );
  } else if (!methods.includes('S256')) {
    report.add(
      'pkce_s256_unsupported',
      'error',
      `The provider's code_challenge_methods_supported lists ${shown(methods)}, not "S256": Tessera sends S256 code challenges only (RFC 7636 4.2; "plain" is not safe for browsers).`,
      'Enable PKCE with the S256 method for this client at the provider.',
    );
  } else {
    report.pass('pkce_s256');
  }

  const scopes = list(document, 'scopes_supported');
  const before = report.diagnosis.findings.length;
  if (options.offlineAccess === false) {
    report.add(
      'offline_access_disabled',
      'warning',
      'auth.offlineAccess is false: sign-ins do not ask for offline_access, so the provider issues no refresh token (OIDC Core 11) and silent renewal relies on the hidden iframe, which third-party cookie blocking breaks.',
      'Remove auth.offlineAccess (or set it to true) unless the provider refuses the offline_access scope.',
    );
  } else if (
    options.offlineAccess !== true &&
    scopes !== undefined &&
    scopes.length > 0 &&
    !scopes.includes('offline_access')
  ) {
    report.add(
      'offline_access_unlisted',
      'warning',
      `The provider's scopes_supported (${shown(scopes)}) does not list offline_access, so Tessera does not ask for it and most providers then issue no refresh token (OIDC Core 11): silent renewal relies on the hidden iframe, which third-party cookie blocking breaks.`,
      'Enable refresh tokens for this client at the provider; if it accepts offline_access without listing it, set auth.offlineAccess: true.',
    );
  }
  if (grants !== undefined && !grants.includes('refresh_token')) {
    report.add(
      'refresh_token_grant_unlisted',
      'warning',
      `The provider's grant_types_supported lists ${shown(grants)}, not "refresh_token": without refresh tokens, silent renewal relies on the hidden iframe, which third-party cookie blocking breaks.`,
      'Enable the refresh_token grant (refresh token rotation, RFC 9700 4.14.2) for this client at the provider.',
    );
  }
  if (report.diagnosis.findings.length === before) report.pass('refresh_tokens');
  return report.part();
}
