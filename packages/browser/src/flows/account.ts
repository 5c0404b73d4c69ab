import type { AccountEntity } from '../cache/types.js';
import type { SessionEndReason } from '../events.js';
import type { FlowContext } from './context.js';
import type { Account } from '../types.js';

const views = new WeakMap<AccountEntity, Account>();

/**
 * The public view of a cached account. Built once per stored entity (a cache hit returns the
 * same object), frozen so no caller can change what another one sees.
 */
export function toAccount(entity: AccountEntity): Account {
  let view = views.get(entity);
  if (view !== undefined) return view;
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
  view = Object.freeze({
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
  });
  views.set(entity, view);
  return view;
}

/** Reports the end of an account's session once (`msal:sessionEnded`). */
export function endSession(
  ctx: Pick<FlowContext, 'ended' | 'events'>,
  account: AccountEntity,
  reason: SessionEndReason,
): void {
  if (ctx.ended.has(account.homeAccountId)) return;
  ctx.ended.add(account.homeAccountId);
  ctx.events.emit('msal:sessionEnded', 'none', { reason, account: toAccount(account) });
}
