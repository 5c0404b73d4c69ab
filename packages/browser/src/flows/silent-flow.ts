import { resourceScopes } from '../cache/scopes.js';
import type { AccountEntity } from '../cache/types.js';
import {
  InteractionRequiredAuthError,
  isInteractionRequiredAuthError,
  ServerError,
} from '../errors/auth-error.js';
import { NO_ACCOUNT } from '../errors/error-codes.js';
import { fingerprint } from '../coordination/spent-tokens.js';
import { createIframeNavigator } from '../interaction/iframe-navigator.js';
import type { AuthenticationParameters, AuthResponse } from '../types.js';
import { beginAuthorization, finishAuthorization } from './authorize.js';
import { buildAuthResponse, storeTokenResult } from './complete.js';
import { cacheScopeOf, idTokenOf } from './account.js';
import type { FlowContext } from './context.js';
import type { NormalizedRequest } from './request.js';

/** Picks the account a silent request is for: the one asked for, or the only one known. */
export function selectAccount(
  ctx: FlowContext,
  request: AuthenticationParameters,
): AccountEntity | undefined {
  const accounts = ctx.accounts.all();
  if (request.account !== undefined) {
    return accounts.find((a) => a.homeAccountId === request.account?.homeAccountId);
  }
  return accounts.length === 1 ? accounts[0] : undefined;
}

async function fromCache(
  ctx: FlowContext,
  account: AccountEntity,
  request: NormalizedRequest,
): Promise<AuthResponse | undefined> {
  const scope = cacheScopeOf(account);
  const token = await ctx.cache.findAccessToken({
    homeAccountId: account.homeAccountId,
    ...scope,
    scopes: request.scopes,
    resource: request.resource,
    validUntilAtLeast: ctx.ports.clock.now() + ctx.config.tokenRenewalOffsetSeconds * 1000,
  });
  if (token === undefined) return undefined;
  const idToken = await idTokenOf(ctx.cache, account);
  return buildAuthResponse(account, token, idToken, {
    fromCache: true,
    correlationId: request.correlationId,
    userState: request.userState,
  });
}

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
  ctx: FlowContext,
  account: AccountEntity,
  request: NormalizedRequest,
): Promise<{ response?: AuthResponse; refreshToken?: string }> {
  const scope = cacheScopeOf(account);
  const token = await ctx.cache.getRefreshToken(account.homeAccountId, scope);
  if (token === undefined) return {};
  if (!(await ctx.spentTokens.wasSpent(await fingerprint(token)))) return { refreshToken: token };
  const deadline = ctx.ports.clock.now() + SPENT_WAIT_MS;
  while (ctx.ports.clock.now() < deadline) {
    await new Promise<void>((resolve) => ctx.ports.timers.setTimeout(resolve, SPENT_POLL_MS));
    const cached = await fromCache(ctx, account, request);
    if (cached !== undefined) return { response: cached };
    const current = await ctx.cache.getRefreshToken(account.homeAccountId, scope);
    if (current !== token) return current === undefined ? {} : { refreshToken: current };
  }
  ctx.logger.warning(
    'Another tab spent the refresh token and its result did not arrive; not replaying it.',
  );
  return {};
}

/**
 * Refresh-token grant (RFC 6749 6). Returns undefined when there is no usable refresh token:
 * a rejected one (`invalid_grant`, RFC 6749 5.2) is dropped so it is never sent again.
 * Network and other errors propagate and keep the refresh token.
 */
async function viaRefreshToken(
  ctx: FlowContext,
  account: AccountEntity,
  request: NormalizedRequest,
): Promise<AuthResponse | undefined> {
  const scope = cacheScopeOf(account);
  const usable = await usableRefreshToken(ctx, account, request);
  if (usable.response !== undefined) return usable.response;
  const refreshToken = usable.refreshToken;
  if (refreshToken === undefined) return undefined;
  const settleSpent = ctx.spentTokens.markSpent(await fingerprint(refreshToken));
  let spent = false;
  try {
    const result = await ctx.protocol(ctx.config.authority).refresh({
      refreshToken,
      scopes: request.scopes.length > 0 ? request.scopes : request.requestScopes,
      resource: request.resource,
      expectedSub: account.sub,
    });
    spent = result.refreshToken !== undefined && result.refreshToken !== refreshToken;
    return await storeTokenResult(ctx, result, {
      previous: account,
      resource: request.resource,
      correlationId: request.correlationId,
      userState: request.userState,
    });
  } catch (error) {
    // The grant does not cover these scopes (RFC 6749 6: a refresh may not widen scope): the
    // refresh token stays good for the scopes it has, and the iframe may still get consent.
    if (error instanceof ServerError && error.error === 'invalid_scope') {
      ctx.logger.info(
        'The refresh token does not cover the scopes; trying the hidden iframe.',
        request.correlationId,
      );
      return undefined;
    }
    const rejected =
      (error instanceof ServerError && error.error === 'invalid_grant') ||
      isInteractionRequiredAuthError(error);
    if (!rejected) throw error;
    spent = true;
    ctx.logger.info(
      'The refresh token was rejected; trying the hidden iframe.',
      request.correlationId,
    );
    await ctx.cache.removeRefreshToken(account.homeAccountId, scope);
    return undefined;
  } finally {
    settleSpent(spent);
  }
}

/**
 * Hidden iframe with `prompt=none` (OIDC Core 3.1.2.1), auth code + PKCE. Uses the ID token
 * as `id_token_hint`, which Core recommends with `prompt=none`, else the login hint or sid.
 */
async function viaIframe(
  ctx: FlowContext,
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
  const idTokenHint = account === undefined ? undefined : await idTokenOf(ctx.cache, account);
  const { url, transaction } = await beginAuthorization(ctx, request, {
    kind: 'acquireToken',
    interaction: 'silent',
    authority: params.authority ?? ctx.config.authority,
    redirectUri: params.redirectUri ?? ctx.config.redirectUri,
    extras: {
      prompt: 'none',
      idTokenHint,
      loginHint: idTokenHint === undefined ? params.loginHint : undefined,
      sid: idTokenHint === undefined ? params.sid : undefined,
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
    const { response } = await finishAuthorization(ctx, responseUrl, transaction);
    return response;
  } finally {
    await ctx.transactions.remove(transaction.secrets.state);
  }
}

/**
 * The silent order: a cached token that covers the scopes and is not within the renewal
 * offset → refresh-token grant → hidden iframe → InteractionRequiredAuthError. Concurrent
 * identical requests share one network round trip (single-flight); renewals of one account
 * are serialised across tabs by a lock, and the cache is re-read after the lock because
 * another tab may have renewed meanwhile.
 */
export async function acquireTokenSilently(
  ctx: FlowContext,
  params: AuthenticationParameters,
  request: NormalizedRequest,
): Promise<AuthResponse> {
  const account = selectAccount(ctx, params);
  const skipCache = params.forceRefresh === true || request.claims !== undefined;
  if (account !== undefined && !skipCache) {
    const cached = await fromCache(ctx, account, request);
    if (cached !== undefined) return cached;
  }
  if (account === undefined && params.loginHint === undefined && params.sid === undefined) {
    throw new InteractionRequiredAuthError(
      NO_ACCOUNT,
      'No signed-in account: sign the user in with a popup or redirect first.',
      { correlationId: request.correlationId },
    );
  }
  const key = [
    account?.homeAccountId ?? `hint:${params.loginHint ?? params.sid ?? ''}`,
    resourceScopes(request.scopes).sort().join(' '),
    (request.resource ?? []).join(' '),
    request.claims ?? '',
    skipCache ? 'force' : '',
  ].join('\n');
  return ctx.singleFlight.run(key, () =>
    ctx.locks.runWithLock(
      `renew.${account?.homeAccountId ?? 'anonymous'}`,
      ctx.config.lockTimeout,
      async () => {
        // Re-read: another tab may have renewed while we waited for the lock.
        const current =
          account === undefined
            ? undefined
            : ((await ctx.cache.getAccount(account.homeAccountId, cacheScopeOf(account))) ??
              account);
        if (current !== undefined && !skipCache) {
          const cached = await fromCache(ctx, current, request);
          if (cached !== undefined) return cached;
        }
        if (current !== undefined && request.claims === undefined) {
          const refreshed = await viaRefreshToken(ctx, current, request);
          if (refreshed !== undefined) return refreshed;
        }
        return viaIframe(ctx, current, params, request);
      },
    ),
  );
}
