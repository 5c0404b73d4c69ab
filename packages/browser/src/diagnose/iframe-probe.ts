/**
 * The browser's registration probe: a `prompt=none` authorization request (OIDC Core 3.1.2.1) in
 * the library's own hidden iframe, built by the protocol layer (PKCE S256, state, nonce) exactly
 * as silent renewal builds it. It is a probe only: the secrets are dropped, the code is never
 * exchanged, nothing is stored.
 */
import { isAuthError } from '../errors/auth-error.js';
import { MONITOR_WINDOW_TIMEOUT } from '../errors/error-codes.js';
import { quietLogger } from './quiet-logger.js';
import { systemTimers } from '../ports.js';
import type { ProtocolClient } from '../protocol/types.js';
import type { Account } from '../types.js';
import { answerOf, type AuthorizationAnswer } from './authorization-answer.js';

/** How the probe ended. */
export type ProbeResult =
  | { kind: 'answered'; answer: AuthorizationAnswer }
  /** Nothing came back to the redirect URI within the time limit. */
  | { kind: 'timeout' }
  | { kind: 'failed'; error: unknown };

/** Options of {@link probeInIframe}. */
export interface ProbeOptions {
  redirectUri: string;
  timeoutMs: number;
  /** In AAD mode, the signed-in account's session hints, as silent renewal sends them. */
  account?: Account | undefined;
}

export async function probeInIframe(
  win: Window,
  protocol: ProtocolClient,
  { redirectUri, timeoutMs, account }: ProbeOptions,
): Promise<ProbeResult> {
  const claims = account?.idTokenClaims;
  const sid = typeof claims?.sid === 'string' ? claims.sid : undefined;
  const loginHint =
    sid === undefined && typeof claims?.login_hint === 'string' ? claims.login_hint : undefined;
  try {
    const { url, secrets } = await protocol.createAuthorizationRequest({
      redirectUri,
      scopes: ['openid'],
      prompt: 'none',
      sid,
      loginHint,
    });
    // Through the lazily loaded part, so the navigator stays in one chunk with the flows.
    const { createIframeNavigator } = await import('../flows/lazy.js');
    const response = await createIframeNavigator(win, {
      timers: systemTimers,
      logger: quietLogger,
    }).navigate(url, { state: secrets.state, redirectUri, timeoutMs });
    const answer = answerOf(response);
    return answer === undefined
      ? { kind: 'failed', error: undefined }
      : { kind: 'answered', answer };
  } catch (error) {
    return isAuthError(error) && error.errorCode === MONITOR_WINDOW_TIMEOUT
      ? { kind: 'timeout' }
      : { kind: 'failed', error };
  }
}
