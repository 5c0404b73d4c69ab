/**
 * The network half of `acquireTokenSilent`, loaded on first use: refresh-token grant, then the
 * hidden iframe, under a cross-tab lock. The cache half (`silent-cache.ts`) stays in the entry.
 */
import type { AccountEntity } from '../cache/types.js';
import { fingerprint } from '../coordination/spent-tokens.js';
import {
  InteractionRequiredAuthError,
  isAuthError,
  isInteractionRequiredAuthError,
  isRefreshTokenRejected,
  ServerError,
} from '../errors/auth-error.js';
import {
  INVALID_GRANT,
  LOGIN_REQUIRED,
  NO_ACCOUNT,
  REFRESH_TOKEN_EXPIRED,
} from '../errors/error-codes.js';
import { createIframeNavigator } from '../interaction/iframe-navigator.js';
import type { AuthenticationParameters, AuthResponse } from '../types.js';
import { beginAuthorization, finishAuthorization } from './authorize.js';
import { storeTokenResult } from './complete.js';
import { endSession } from './account.js';
import type {
  AuthorizeDeps,
  CacheReadDeps,
  FlowContext,
  ProtocolDeps,
  StoreDeps,
} from './context.js';
import { coordinationOf } from './locks.js';
import { protocolFor } from './protocol.js';
import type { NormalizedRequest } from './request.js';
import { fromCache } from './silent-cache.js';
import { transactionsOf } from './transaction.js';

/** How long to wait for another tab's renewal to reach this tab's storage. */
const SPENT_WAIT_MS = 2000;
const SPENT_POLL_MS = 25;

/**
 * The refresh token to send, never one another tab has already sent: its rotated successor
 * reaches this tab's `localStorage` a moment after that tab wrote it, and sending the old one
 * would be a replay that makes providers revoke the grant (RFC 9700 4.14.2). While another
 * tab's answer is on its way, wait for it (bounded); it may already hold the token we need.
 */
async function usableRefreshToken(
  ctx: CacheReadDeps & Pick<FlowContext, 'logger'>,
  account: AccountEntity,
  request: NormalizedRequest,
): Promise<{ response?: AuthResponse; refreshToken?: string; spentMark?: string }> {
  const id = account.homeAccountId;
  const token = ctx.cache.getRefreshToken(id);
  if (token === undefined) return {};
  // The provider said when it stops working (Keycloak's refresh_expires_in): past that, sending
  // it only earns an invalid_grant. The hidden iframe may still renew the session.
  const expiresAt = ctx.cache.getRefreshTokenExpiry(id);
  if (expiresAt !== undefined && expiresAt <= ctx.ports.clock.now()) {
    ctx.logger.info('The refresh token has expired; not sending it.');
    ctx.cache.removeRefreshToken(id);
    return {};
  }
  const mark = await fingerprint(token);
  if (!(await coordinationOf(ctx).spent.wasSpent(mark))) {
    return { refreshToken: token, spentMark: mark };
  }
  const deadline = ctx.ports.clock.now() + SPENT_WAIT_MS;
  while (ctx.ports.clock.now() < deadline) {
    await new Promise<void>((resolve) => ctx.ports.timers.setTimeout(resolve, SPENT_POLL_MS));
    // Storage events from the other tab update the view meanwhile; read storage too, in
    // case the event is still on its way.
    ctx.cache.sync(null);
    const cached = fromCache(ctx, account, request);
    if (cached !== undefined) return { response: cached };
    const current = ctx.cache.getRefreshToken(id);
    if (current !== token) return current === undefined ? {} : { refreshToken: current };
  }
  ctx.logger.warning(
    'Another tab spent the refresh token and its result did not arrive; not replaying it.',
  );
  return {};
}

/**
 * Refresh-token grant (RFC 6749 6), sent only to the authority the account signed in with.
 * Returns `rejected` when the provider refused the refresh token (`invalid_grant`, RFC 6749
 * 5.2): it is dropped so it is never sent again. Network and other errors propagate and keep it.
 */
async function viaRefreshToken(
  ctx: CacheReadDeps & ProtocolDeps & StoreDeps,
  account: AccountEntity,
  request: NormalizedRequest,
  generation: number,
): Promise<AuthResponse | 'none' | 'rejected'> {
  const usable = await usableRefreshToken(ctx, account, request);
  if (usable.response !== undefined) return usable.response;
  const refreshToken = usable.refreshToken;
  if (refreshToken === undefined) return 'none';
  const settleSpent = coordinationOf(ctx).spent.markSpent(
    usable.spentMark ?? (await fingerprint(refreshToken)),
  );
  let spent = false;
  try {
    const result = await protocolFor(ctx, account.authority).refresh({
      refreshToken,
      scopes: request.scopes.length > 0 ? request.scopes : request.requestScopes,
      resource: request.resource,
      expectedSub: account.sub,
      expectedIssuer: account.issuer,
      claims: request.claims,
    });
    spent = result.refreshToken !== undefined && result.refreshToken !== refreshToken;
    return storeTokenResult(
      ctx,
      result,
      { ...request, authority: account.authority, requestedScopes: request.requestScopes },
      account,
      generation,
    );
  } catch (error) {
    // The grant does not cover these scopes (RFC 6749 6: a refresh may not widen scope): the
    // refresh token stays good for the scopes it has, and the iframe may still get consent.
    if (error instanceof ServerError && error.error === 'invalid_scope') {
      ctx.logger.info('The refresh token does not cover the scopes; trying the hidden iframe.');
      return 'none';
    }
    // Sent, but no answer came: the provider may have rotated the token, so it counts as spent
    // and is never sent again; the iframe may still renew the session.
    if (isAuthError(error) && error.requestSent) {
      spent = true;
      ctx.logger.warning('The refresh request got no answer; not sending that token again.');
      ctx.cache.removeRefreshToken(account.homeAccountId);
      return 'none';
    }
    // invalid_grant with an Entra suberror such as `basic_action` concerns this request only:
    // the refresh token stays good for others (isRefreshTokenRejected).
    if (isAuthError(error) && error.errorCode === INVALID_GRANT && !isRefreshTokenRejected(error)) {
      ctx.logger.info('The provider needs more for this request; keeping the refresh token.');
      return 'none';
    }
    const rejected = isRefreshTokenRejected(error) || isInteractionRequiredAuthError(error);
    if (!rejected) throw error;
    spent = true;
    ctx.logger.info('The refresh token was rejected; trying the hidden iframe.');
    ctx.cache.removeRefreshToken(account.homeAccountId);
    return 'rejected';
  } finally {
    settleSpent(spent);
  }
}

/**
 * Hidden iframe with `prompt=none` (OIDC Core 3.1.2.1), auth code + PKCE. Sends the ID token
 * as `id_token_hint`, which Core recommends with `prompt=none`, and the session's `sid` or a
 * login hint, which Entra ID uses to pick among several signed-in users.
 * A result for another user than `account` is refused and caches nothing: the provider's
 * session belongs to someone else now, and only the user can sort that out.
 */
async function viaIframe(
  ctx: AuthorizeDeps,
  account: AccountEntity | undefined,
  params: AuthenticationParameters,
  request: NormalizedRequest,
): Promise<AuthResponse> {
  const win = ctx.ports.window;
  if (win === undefined) {
    throw new InteractionRequiredAuthError(
      NO_ACCOUNT,
      'No browser window to renew the session in.',
    );
  }
  const idTokenHint =
    account === undefined ? undefined : ctx.cache.getIdToken(account.homeAccountId);
  // Entra ID picks the session by `sid` or `login_hint` rather than by `id_token_hint`: in AAD
  // mode they come from the account's ID token claims (its `sid`, else its `login_hint` or
  // `preferred_username`) unless the request names others, and go with the hint.
  const claims = ctx.config.protocolMode === 'AAD' ? account?.idTokenClaims : undefined;
  const sid = params.sid ?? (typeof claims?.sid === 'string' ? claims.sid : undefined);
  const loginHint =
    params.loginHint ??
    (sid === undefined && typeof claims?.login_hint === 'string'
      ? claims.login_hint
      : sid === undefined && typeof claims?.preferred_username === 'string'
        ? claims.preferred_username
        : undefined);
  const { url, transaction } = await beginAuthorization(ctx, request, {
    kind: 'acquireToken',
    interaction: 'silent',
    authority: params.authority ?? account?.authority ?? ctx.config.authority,
    redirectUri: params.redirectUri ?? ctx.config.redirectUri,
    extras: {
      prompt: 'none',
      idTokenHint,
      loginHint,
      sid,
      domainHint: params.domainHint,
      extraQueryParameters: params.extraQueryParameters,
    },
  });
  try {
    const responseUrl = await createIframeNavigator(win, {
      timers: ctx.ports.timers,
      logger: ctx.logger,
    }).navigate(url, {
      state: transaction.secrets.state,
      redirectUri: transaction.redirectUri,
      timeoutMs: ctx.config.loadFrameTimeout,
    });
    const { response } = await finishAuthorization(ctx, responseUrl, transaction, (result) => {
      const sub = result.idTokenClaims?.sub;
      if (account !== undefined && sub !== account.sub) {
        throw new InteractionRequiredAuthError(
          LOGIN_REQUIRED,
          "The provider's session belongs to another user than the requested account.",
          { correlationId: request.correlationId },
        );
      }
    });
    return response;
  } finally {
    transactionsOf(ctx).remove(transaction.secrets.state);
  }
}

/**
 * The network part of the silent order: refresh-token grant → hidden iframe →
 * InteractionRequiredAuthError. Concurrent identical requests share one round trip
 * (single-flight); renewals of one account are serialised across tabs by a lock, and the
 * cache is re-read after the lock because another tab may have renewed meanwhile.
 */
export function renewSilently(
  ctx: AuthorizeDeps & CacheReadDeps & Pick<FlowContext, 'singleFlight'>,
  account: AccountEntity | undefined,
  params: AuthenticationParameters,
  request: NormalizedRequest,
  skipCache: boolean,
): Promise<AuthResponse> {
  const generation = ctx.generation;
  const key = [
    account?.homeAccountId ?? `hint:${params.loginHint ?? params.sid ?? ''}`,
    request.cacheScopes.join(' '),
    (request.resource ?? []).join(' '),
    request.claims ?? '',
    skipCache ? 'force' : '',
  ].join('\n');
  return ctx.singleFlight.run(key, () =>
    coordinationOf(ctx).locks.runWithLock(
      `renew.${account?.homeAccountId ?? 'anonymous'}`,
      ctx.config.lockTimeout,
      async () => {
        // Re-read: another tab may have renewed while we waited for the lock, and its write
        // may not have reached this tab's view yet.
        ctx.cache.sync(null);
        const current =
          account === undefined ? undefined : ctx.cache.getAccount(account.homeAccountId);
        if (current !== undefined && !skipCache) {
          const cached = fromCache(ctx, current, request);
          if (cached !== undefined) return cached;
        }
        let refresh: AuthResponse | 'none' | 'rejected' = 'none';
        // A claims request goes on the refresh grant too (Entra ID accepts it there for
        // Conditional Access and CAE challenges), so it works where third-party cookies are
        // blocked; a provider that refuses it leaves the hidden iframe to try.
        if (current !== undefined) {
          refresh = await viaRefreshToken(ctx, current, request, generation);
          if (typeof refresh === 'object') return refresh;
        }
        try {
          return await viaIframe(ctx, current ?? account, params, request);
        } catch (error) {
          const ended = current ?? account;
          if (ended !== undefined && refresh === 'rejected') {
            endSession(ctx, ended, 'refresh_token_rejected');
          } else if (
            ended !== undefined &&
            isAuthError(error) &&
            error.errorCode === LOGIN_REQUIRED &&
            ctx.cache.getRefreshToken(ended.homeAccountId) === undefined
          ) {
            endSession(ctx, ended, 'provider_session_ended');
          }
          // The refresh token was refused and the iframe could not help (timed out, framing
          // refused, third-party cookies withheld): only the user can, so say so — that is
          // what the seed's `errorMessage.indexOf("interaction_required")` fallback tests.
          if (refresh !== 'rejected' || isInteractionRequiredAuthError(error)) throw error;
          throw new InteractionRequiredAuthError(
            REFRESH_TOKEN_EXPIRED,
            'The refresh token was rejected and the session could not be renewed silently.',
            { correlationId: request.correlationId, cause: error },
          );
        }
      },
    ),
  );
}
