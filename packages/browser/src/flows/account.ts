import type { AccountEntity, CacheScope, TokenCache } from '../cache/types.js';
import type { Account } from '../types.js';

/** The public view of a cached account. */
export function toAccount(entity: AccountEntity): Account {
  const claims = entity.idTokenClaims;
  const str = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined;
  const username = str(claims.preferred_username) ?? str(claims.email) ?? entity.sub;
  const localAccountId = str(claims.oid) ?? entity.sub;
  let environment = '';
  try {
    environment = new URL(entity.issuer).host;
  } catch {
    // an issuer that is not a URL keeps an empty environment
  }
  return {
    homeAccountId: entity.homeAccountId,
    localAccountId,
    environment,
    issuer: entity.issuer,
    tenantId: str(claims.tid) ?? '',
    username,
    name: str(claims.name),
    idTokenClaims: claims,
    accountIdentifier: localAccountId,
    homeAccountIdentifier: entity.homeAccountId,
    userName: username,
  };
}

/** Where an account's tokens are kept: its issuer and client. */
export function cacheScopeOf(account: AccountEntity): CacheScope {
  return { issuer: account.issuer, clientId: account.clientId };
}

/** The account's raw ID token, if one is cached. */
export function idTokenOf(cache: TokenCache, account: AccountEntity): Promise<string | undefined> {
  return cache.getIdToken(account.homeAccountId, cacheScopeOf(account));
}
