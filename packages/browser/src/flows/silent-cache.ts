import type { AccessTokenEntity, AccountEntity } from '../cache/types.js';
import type { AuthenticationParameters, AuthResponse } from '../types.js';
import { toAccount } from './account.js';
import type { CacheReadDeps, FlowContext } from './context.js';
import type { NormalizedRequest } from './request.js';

/**
 * The account a request is for when it names none: the active account, else the only one
 * known. Several accounts and none active: undefined (the caller must say which).
 */
export function defaultAccount(ctx: Pick<FlowContext, 'cache'>): AccountEntity | undefined {
  const active = ctx.cache.getActiveAccountId();
  if (active !== undefined) return ctx.cache.getAccount(active);
  const accounts = ctx.cache.getAccounts();
  return accounts.length === 1 ? accounts[0] : undefined;
}

/** The account a silent request is for: the one asked for, else {@link defaultAccount}. */
export function selectAccount(
  ctx: Pick<FlowContext, 'cache'>,
  request: AuthenticationParameters,
): AccountEntity | undefined {
  if (request.account !== undefined) {
    return ctx.cache.getAccount(request.account.homeAccountId);
  }
  return defaultAccount(ctx);
}

/** Builds the public response from cached or fresh entities. */
export function buildAuthResponse(
  ctx: Pick<FlowContext, 'cache'>,
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

const noAccessToken = { secret: '', tokenType: 'Bearer', scopes: [], expiresAt: 0 };

/**
 * The response to an {@link NormalizedRequest.idTokenOnly} request: the ID token in
 * `accessToken`, as msal 1.x answered a request for the client id, so that an app sending it to
 * its own back end keeps working. `tokenType` says which it is.
 */
export function asIdTokenResponse(response: AuthResponse): AuthResponse {
  const exp = response.idTokenClaims.exp;
  return {
    ...response,
    accessToken: response.idToken,
    tokenType: 'id_token',
    scopes: [],
    expiresOn: typeof exp === 'number' ? new Date(exp * 1000) : response.expiresOn,
  };
}

/**
 * A cached access token that covers the request and is outside the renewal window, as a
 * response; synchronous and storage-free, since this is most calls of most apps.
 */
export function fromCache(
  ctx: CacheReadDeps,
  account: AccountEntity,
  request: NormalizedRequest,
): AuthResponse | undefined {
  if (request.idTokenOnly) {
    const idToken = ctx.cache.getIdToken(account.homeAccountId);
    const { exp, iat } = account.idTokenClaims;
    if (idToken === undefined || typeof exp !== 'number') return undefined;
    // The same renewal window as an access token's, capped at half the token's lifetime.
    const lifetime = typeof iat === 'number' ? exp - iat : 0;
    const offset = Math.min(ctx.config.tokenRenewalOffsetSeconds, Math.max(0, lifetime / 2));
    if ((exp - offset) * 1000 <= ctx.ports.clock.now()) return undefined;
    return asIdTokenResponse(buildAuthResponse(ctx, account, noAccessToken, request, true));
  }
  const token = ctx.cache.findAccessToken({
    homeAccountId: account.homeAccountId,
    scopes: request.cacheScopes,
    resource: request.resource ?? [],
    now: ctx.ports.clock.now(),
    renewalOffsetMs: ctx.config.tokenRenewalOffsetSeconds * 1000,
  });
  return token && buildAuthResponse(ctx, account, token, request, true);
}
