import type { AccessTokenEntity, AccountEntity } from '../cache/types.js';
import type { AuthenticationParameters, AuthResponse } from '../types.js';
import { toAccount } from './account.js';
import type { FlowContext } from './context.js';
import type { NormalizedRequest } from './request.js';

/**
 * The account a silent request is for: the one asked for, else the only one known. Several
 * accounts and none asked for: undefined (the caller must say which).
 */
export function selectAccount(
  ctx: FlowContext,
  request: AuthenticationParameters,
): AccountEntity | undefined {
  const accounts = ctx.cache.getAccounts();
  if (request.account !== undefined) {
    return ctx.cache.getAccount(request.account.homeAccountId);
  }
  return accounts.length === 1 ? accounts[0] : undefined;
}

/** Builds the public response from cached or fresh entities. */
export function buildAuthResponse(
  ctx: FlowContext,
  account: AccountEntity,
  accessToken: Pick<AccessTokenEntity, 'secret' | 'tokenType' | 'scopes' | 'expiresAt'>,
  request: Pick<NormalizedRequest, 'correlationId' | 'userState'>,
  fromCache: boolean,
): AuthResponse {
  const publicAccount = toAccount(account);
  return {
    accessToken: accessToken.secret,
    tokenType: accessToken.tokenType,
    scopes: [...accessToken.scopes],
    expiresOn: new Date(accessToken.expiresAt),
    idToken: ctx.cache.getIdToken(account.homeAccountId) ?? '',
    idTokenClaims: account.idTokenClaims,
    account: publicAccount,
    tenantId: publicAccount.tenantId,
    uniqueId: publicAccount.localAccountId,
    accountState: request.userState,
    fromCache,
    correlationId: request.correlationId,
  };
}

/**
 * A cached access token that covers the request and is outside the renewal window, as a
 * response; synchronous and storage-free, since this is most calls of most apps.
 */
export function fromCache(
  ctx: FlowContext,
  account: AccountEntity,
  request: NormalizedRequest,
): AuthResponse | undefined {
  const token = ctx.cache.findAccessToken({
    homeAccountId: account.homeAccountId,
    scopes: request.cacheScopes,
    resource: request.resource ?? [],
    now: ctx.ports.clock.now(),
    renewalOffsetMs: ctx.config.tokenRenewalOffsetSeconds * 1000,
  });
  return token && buildAuthResponse(ctx, account, token, request, true);
}
