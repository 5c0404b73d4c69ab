import { accountKey } from '../cache/keys.js';
import type { AccessTokenEntity, AccountEntity } from '../cache/types.js';
import { ClientAuthError } from '../errors/auth-error.js';
import { INVALID_ID_TOKEN } from '../errors/error-codes.js';
import type { TokenResult } from '../protocol/types.js';
import type { AuthResponse, IdTokenClaims } from '../types.js';
import { idTokenOf, toAccount } from './account.js';
import type { FlowContext } from './context.js';

/** Builds the public response from cached or fresh entities. */
export function buildAuthResponse(
  account: AccountEntity,
  accessToken: Pick<AccessTokenEntity, 'secret' | 'tokenType' | 'scopes' | 'expiresAt'>,
  idToken: string | undefined,
  meta: { fromCache: boolean; correlationId: string; userState: string },
): AuthResponse {
  const publicAccount = toAccount(account);
  return {
    accessToken: accessToken.secret,
    tokenType: accessToken.tokenType,
    scopes: [...accessToken.scopes],
    expiresOn: new Date(accessToken.expiresAt),
    idToken: idToken ?? '',
    idTokenClaims: account.idTokenClaims,
    account: publicAccount,
    tenantId: publicAccount.tenantId,
    uniqueId: publicAccount.localAccountId,
    accountState: meta.userState,
    fromCache: meta.fromCache,
    correlationId: meta.correlationId,
  };
}

/**
 * Stores a validated token response and returns the public response. Only called after every
 * protocol check passed, so nothing from a failed response is ever cached.
 */
export async function storeTokenResult(
  ctx: FlowContext,
  result: TokenResult,
  meta: {
    /** The account being renewed, when there is one: its claims stay if no new ID token came. */
    previous?: AccountEntity | undefined;
    resource: string[] | undefined;
    correlationId: string;
    userState: string;
  },
): Promise<AuthResponse> {
  const claims: IdTokenClaims | undefined = result.idTokenClaims ?? meta.previous?.idTokenClaims;
  if (claims === undefined) {
    throw new ClientAuthError(
      INVALID_ID_TOKEN,
      'The provider returned no ID token for a new sign-in.',
      {
        correlationId: meta.correlationId,
      },
    );
  }
  // Without a new ID token the issuer stays the account's: for an Entra `common` authority the
  // discovery issuer is a `{tenantid}` template, never an account's issuer.
  const issuer =
    result.idTokenClaims === undefined && meta.previous !== undefined
      ? meta.previous.issuer
      : result.issuer;
  const account: AccountEntity = {
    homeAccountId: accountKey(issuer, claims.sub),
    issuer,
    clientId: ctx.config.clientId,
    sub: claims.sub,
    idTokenClaims: claims,
    updatedAt: ctx.ports.clock.now(),
  };
  const accessToken = {
    secret: result.accessToken,
    tokenType: result.tokenType,
    scopes: result.grantedScopes,
    resource: [...(meta.resource ?? [])].sort(),
    expiresAt: result.expiresAt,
  };
  await ctx.cache.write({
    account,
    idToken: result.idToken,
    accessToken,
    refreshToken: result.refreshToken,
  });
  const known = ctx.accounts.all().some((a) => a.homeAccountId === account.homeAccountId);
  await ctx.accounts.reload();
  ctx.notifier.notify({ type: 'tokens_changed', homeAccountId: account.homeAccountId });
  const idToken = result.idToken ?? (await idTokenOf(ctx.cache, account));
  const response = buildAuthResponse(account, accessToken, idToken, {
    fromCache: false,
    correlationId: meta.correlationId,
    userState: meta.userState,
  });
  if (!known) ctx.events.emit('msal:accountAdded', 'none', response.account);
  return response;
}
