/**
 * `@tessera/browser/diagnose` — the configuration doctor, an entry point of its own: an app that
 * never imports it ships none of it, and bundlers that split code at every `import()` they see
 * (esbuild does so before tree-shaking) make no chunk for it.
 * @packageDocumentation
 */
import type { UserAgentApplication } from '../user-agent-application.js';
import type { DiagnoseOptions, Diagnosis } from './types.js';

export type {
  CheckId,
  DiagnoseOptions,
  Diagnosis,
  DiagnosisNote,
  Finding,
  FindingId,
  FindingSeverity,
} from './types.js';

/**
 * Checks an application's setup against its real provider and says which setting is wrong and
 * how to fix it — for when a sign-in fails and the error alone does not tell which of authority,
 * client id, redirect URI, provider CORS or browser cookies is to blame. Run it from the app's
 * page (a debug screen or the console); it signs nobody in and stores nothing.
 *
 * Checks, each reported in {@link Diagnosis.passed} or as a {@link Finding}:
 * - discovery reachable and readable from this origin (CORS), and its `issuer` identical to
 *   `auth.authority` (OIDC Discovery 4.3; judged by the library's own discovery rules);
 * - the code flow, PKCE S256 (RFC 7636) and refresh tokens (`offline_access`, the
 *   `refresh_token` grant) supported;
 * - the callback page (`auth.redirectUri`) loads and may be framed by the app;
 * - the redirect URI registered: a `prompt=none` request (OIDC Core 3.1.2.1) in a hidden iframe
 *   must come back to it (its code is dropped, never exchanged);
 * - with an account signed in, the provider's session reaching that iframe (third-party
 *   cookies).
 *
 * The code is loaded on first call, so an app that never calls it pays nothing. Headers the
 * browser hides (the provider's Cross-Origin-Opener-Policy, the token endpoint's CORS) are read
 * by the CLI, `npx tessera-doctor`.
 *
 * @example
 * ```ts
 * const { findings } = await diagnose(userAgentApplication);
 * for (const f of findings) console.warn(`${f.severity} ${f.id}: ${f.message} Fix: ${f.fix}`);
 * ```
 *
 * @returns The findings (empty for a correct setup), the checks passed, and notes.
 */
export async function diagnose(
  app: UserAgentApplication,
  options: DiagnoseOptions = {},
): Promise<Diagnosis> {
  const { runDiagnosis } = await import('./run.js');
  return runDiagnosis(app, options);
}
