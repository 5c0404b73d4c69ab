/**
 * The client check: one token request with a code that cannot be valid. Nothing can be issued
 * for it; the provider's error says whether it knows the client as a public client. RFC 6749
 * 5.2: `invalid_grant` for the code means the client passed; `invalid_client` (unknown client,
 * or one that must authenticate with a secret) and `unauthorized_client` name the client id.
 * Shared by the browser (where a `TypeError` means CORS or no answer) and the CLI. DOM-free.
 */
import type { FetchLike } from '../ports.js';
import { createReport } from './report.js';
import type { Diagnosis } from './types.js';

/** The token endpoint's answer to the probe: status, headers and the OAuth error, if any. */
export interface TokenAnswer {
  status: number;
  headers: Headers;
  error: string | undefined;
  errorDescription: string | undefined;
}

/** A code no provider issued. The verifier has the length RFC 7636 4.1 requires (43–128). */
const PROBE = 'tessera-doctor-probe';

/**
 * Sends the probe, as the library sends a code exchange (a form POST, no credentials).
 * @throws what `fetch` throws when no answer can be read (network, or CORS in a browser).
 */
export async function sendTokenProbe(
  fetch: FetchLike,
  tokenEndpoint: string,
  {
    clientId,
    redirectUri,
    headers = {},
  }: { clientId: string; redirectUri: string; headers?: Record<string, string> },
): Promise<TokenAnswer> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    redirect: 'manual',
    credentials: 'omit',
    headers: {
      ...headers,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: PROBE,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: `${PROBE}-${'0'.repeat(43)}`,
    }).toString(),
  });
  let body: { error?: unknown; error_description?: unknown } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not JSON: no OAuth error to read.
  }
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : undefined);
  return {
    status: response.status,
    headers: response.headers,
    error: text(body?.error),
    errorDescription: text(body?.error_description),
  };
}

/** `client`: judged from the probe's OAuth error (RFC 6749 5.2). */
export function judgeTokenAnswer(
  answer: TokenAnswer,
  clientId: string,
): Pick<Diagnosis, 'findings' | 'passed'> {
  const report = createReport();
  if (answer.error === 'invalid_grant') report.pass('client');
  if (answer.error === 'invalid_client' || answer.error === 'unauthorized_client') {
    const described = answer.errorDescription ? ` (${answer.errorDescription})` : '';
    report.add(
      'client_rejected',
      'error',
      `The provider's token endpoint rejects client "${clientId}" with ${answer.error}${described}: the client id is unknown there, or the client is registered as a confidential client (a web app with a secret) instead of a single-page application / public client, which a browser app must be (RFC 6749 2.1, 5.2).`,
      `Set auth.clientId to the id of a single-page application (public client, no secret) registered at this provider — check for typos, and the tenant or realm in auth.authority.`,
    );
  }
  return report.part();
}
