import { ClientAuthError } from '../errors/auth-error.js';
import { NO_PENDING_REQUEST, STATE_MISMATCH } from '../errors/error-codes.js';
import type { AuthorizationRequestInput, TokenResult } from '../protocol/types.js';
import { readAuthorizationResponseParams } from '../response-params.js';
import type { AuthResponse } from '../types.js';
import { storeTokenResult } from './complete.js';
import type { AuthorizeDeps, ProtocolDeps, TransactionDeps } from './context.js';
import { protocolFor } from './protocol.js';
import type { NormalizedRequest } from './request.js';
import {
  stored,
  transactionsOf,
  type AuthTransaction,
  type TransactionInteraction,
  type TransactionKind,
} from './transaction.js';

/** Transactions older than this are abandoned (a user who never came back). */
export const TRANSACTION_MAX_AGE_MS = 60 * 60 * 1000;

/** What a flow adds to the wire request beyond scopes. */
export type AuthorizeExtras = Omit<
  AuthorizationRequestInput,
  'redirectUri' | 'scopes' | 'resource' | 'claims'
>;

/**
 * Builds an authorization URL (PKCE, state, nonce from the protocol layer) and stores its
 * transaction under `state`, so the response can be matched to exactly this request.
 */
export async function beginAuthorization(
  ctx: ProtocolDeps & TransactionDeps,
  request: NormalizedRequest,
  options: {
    kind: TransactionKind;
    interaction: TransactionInteraction;
    authority: string;
    redirectUri: string;
    startPage?: string | undefined;
    extras: AuthorizeExtras;
  },
): Promise<{ url: URL; transaction: AuthTransaction }> {
  const { url, secrets } = await protocolFor(ctx, options.authority).createAuthorizationRequest({
    ...options.extras,
    redirectUri: options.redirectUri,
    scopes: request.requestScopes,
    resource: request.resource,
    claims: request.claims,
  });
  const transaction: AuthTransaction = {
    kind: options.kind,
    interaction: options.interaction,
    authority: options.authority,
    redirectUri: options.redirectUri,
    secrets,
    requestedScopes: request.requestScopes,
    resource: request.resource,
    correlationId: request.correlationId,
    userState: request.userState,
    startPage: options.startPage,
  };
  const transactions = transactionsOf(ctx);
  transactions.prune(TRANSACTION_MAX_AGE_MS);
  stored(() => transactions.save(secrets.state, transaction));
  return { url, transaction };
}

/** The `state` of an authorization response URL, if it is one. */
export function responseState(url: URL): string | undefined {
  return readAuthorizationResponseParams(url)?.get('state') ?? undefined;
}

/**
 * Consumes the transaction of a response (single use: a replay finds nothing), validates the
 * response and exchanges the code, then stores the tokens — unless `check` throws on the
 * validated result, in which case nothing is stored.
 *
 * @throws ClientAuthError `no_pending_request` when no transaction matches the response's state.
 */
export async function finishAuthorization(
  ctx: AuthorizeDeps,
  responseUrl: URL,
  expected?: AuthTransaction,
  check?: (result: TokenResult) => void,
): Promise<{ response: AuthResponse; transaction: AuthTransaction }> {
  const state = responseState(responseUrl);
  if (expected !== undefined && state !== expected.secrets.state) {
    // RFC 6749 10.12: a response for another request must not be used for this one.
    throw new ClientAuthError(
      STATE_MISMATCH,
      'The authorization response state does not match the request.',
      {
        correlationId: expected.correlationId,
      },
    );
  }
  const transaction = state === undefined ? undefined : transactionsOf(ctx).take(state);
  if (transaction === undefined) {
    throw new ClientAuthError(
      NO_PENDING_REQUEST,
      'The authorization response does not belong to a request this app is waiting for.',
    );
  }
  const result = await protocolFor(ctx, transaction.authority).handleAuthorizationResponse(
    responseUrl,
    {
      secrets: transaction.secrets,
      redirectUri: transaction.redirectUri,
      requestedScopes: transaction.requestedScopes,
    },
  );
  check?.(result);
  const response = storeTokenResult(ctx, result, transaction);
  return { response, transaction };
}
