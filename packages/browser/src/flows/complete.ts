import { accountKey } from '../cache/keys.js';
import { isDefaultScope } from '../cache/scopes.js';
import type { AccountEntity } from '../cache/types.js';
import { ClientAuthError, InteractionRequiredAuthError } from '../errors/auth-error.js';
import { INVALID_ID_TOKEN, NO_ACCOUNT } from '../errors/error-codes.js';
import type { TokenResult } from '../protocol/types.js';
import type { AuthResponse } from '../types.js';
import { toAccount } from './account.js';
import type { StoreDeps } from './context.js';
import { buildAuthResponse } from './silent-cache.js';
import { stored } from './transaction.js';
import type { NormalizedRequest } from './request.js';

/**
 * Stores a validated token response and returns the public response. Only called after every
 * protocol check passed, so nothing from a failed response is ever cached.
 */
export function storeTokenResult(
  ctx: StoreDeps,
  result: TokenResult,
  request: Pick<NormalizedRequest, 'resource' | 'correlationId' | 'userState'> & {
    /** The authority the tokens came from. */
    authority: string;
    /** The scopes sent: `.default` ones among them are recorded with the granted scopes. */
    requestedScopes?: readonly string[];
    /**
     * How the tokens were obtained. A popup or redirect (the user chose this account) makes the
     * account active; a silent renewal only does so for an account not known before.
     */
    interaction?: 'silent' | 'popup' | 'redirect';
  },
  /** The account being renewed, when there is one: its claims stay if no new ID token came. */
  previous?: AccountEntity,
  /** The session generation the renewal started in; a sign-out since then voids the result. */
  generation?: number,
): AuthResponse {
  if (generation !== undefined && generation !== ctx.generation) {
    throw new InteractionRequiredAuthError(
      NO_ACCOUNT,
      'The account was signed out while its tokens were being renewed.',
      { correlationId: request.correlationId },
    );
  }
  const claims = result.idTokenClaims ?? previous?.idTokenClaims;
  if (claims === undefined) {
    throw new ClientAuthError(
      INVALID_ID_TOKEN,
      'The provider returned no ID token for a new sign-in.',
      {
        correlationId: request.correlationId,
      },
    );
  }
  // Without a new ID token the issuer stays the account's: for an Entra `common` authority the
  // discovery issuer is a `{tenantid}` template, never an account's issuer.
  const issuer =
    result.idTokenClaims === undefined && previous !== undefined ? previous.issuer : result.issuer;
  const homeAccountId = accountKey(issuer, claims.sub);
  const known = ctx.cache.getAccount(homeAccountId) !== undefined;
  const accessToken = {
    secret: result.accessToken,
    tokenType: result.tokenType,
    // Entra answers a `.default` request with the permissions themselves; recording the
    // `.default` scope too lets the next identical request hit the cache.
    scopes: [...result.grantedScopes, ...(request.requestedScopes ?? []).filter(isDefaultScope)],
    resource: request.resource ?? [],
    expiresAt: result.expiresAt,
  };
  stored(() =>
    ctx.cache.write({
      account: {
        homeAccountId,
        issuer,
        authority: request.authority,
        clientId: ctx.config.clientId,
        sub: claims.sub,
        idTokenClaims: claims,
        updatedAt: 0,
      },
      idToken: result.idToken,
      accessToken,
      refreshToken: result.refreshToken,
      refreshTokenExpiresAt: result.refreshTokenExpiresAt,
    }),
  );
  const account = ctx.cache.getAccount(homeAccountId)!;
  ctx.ended.delete(homeAccountId);
  if (previous === undefined && (request.interaction !== 'silent' || !known)) {
    ctx.cache.setActiveAccountId(homeAccountId);
  }
  const response = buildAuthResponse(ctx, account, accessToken, request, false);
  if (!known) ctx.events.emit('msal:accountAdded', 'none', toAccount(account));
  return response;
}
