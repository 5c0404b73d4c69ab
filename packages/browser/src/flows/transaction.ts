import { createTransactionStore } from '../cache/transaction-store.js';
import { BrowserAuthError } from '../errors/auth-error.js';
import { STORAGE_WRITE_FAILED } from '../errors/error-codes.js';
import type { TransactionStore } from '../cache/types.js';
import type { AuthorizationSecrets } from '../protocol/types.js';
import type { TransactionDeps } from './context.js';

/** Which public call started an authorization request. */
export type TransactionKind = 'login' | 'acquireToken';

/** How the authorization request reaches the provider. */
export type TransactionInteraction = 'popup' | 'redirect' | 'silent';

/**
 * State of one authorization request in flight, stored by `state` until its response is
 * consumed (once). Holds the PKCE verifier and nonce: kept in sessionStorage, never logged.
 */
export interface AuthTransaction {
  kind: TransactionKind;
  interaction: TransactionInteraction;
  authority: string;
  redirectUri: string;
  secrets: AuthorizationSecrets;
  /** Scopes sent to the provider (OIDC scopes included). */
  requestedScopes: string[];
  resource: string[] | undefined;
  correlationId: string;
  /** The app's own `state`, returned as `accountState`. */
  userState: string;
  /** Redirect flow: the page to return to. */
  startPage: string | undefined;
}

/** Shape check for stored transactions: anything else reads as a miss. */
export function isAuthTransaction(value: unknown): value is AuthTransaction {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Partial<Record<keyof AuthTransaction, unknown>>;
  const secrets = t.secrets as Partial<Record<string, unknown>> | undefined;
  return (
    (t.kind === 'login' || t.kind === 'acquireToken') &&
    (t.interaction === 'popup' || t.interaction === 'redirect' || t.interaction === 'silent') &&
    typeof t.authority === 'string' &&
    typeof t.redirectUri === 'string' &&
    typeof secrets === 'object' &&
    secrets !== null &&
    typeof secrets.state === 'string' &&
    typeof secrets.nonce === 'string' &&
    typeof secrets.codeVerifier === 'string' &&
    Array.isArray(t.requestedScopes) &&
    typeof t.correlationId === 'string' &&
    typeof t.userState === 'string'
  );
}

const stores = new WeakMap<TransactionDeps, TransactionStore<AuthTransaction>>();

/** The store of this instance's pending requests: in the tab's session store, shape-checked. */
export function transactionsOf(ctx: TransactionDeps): TransactionStore<AuthTransaction> {
  let store = stores.get(ctx);
  if (store === undefined) {
    store = createTransactionStore(ctx.session, {
      clock: ctx.ports.clock,
      logger: ctx.logger,
      isTransaction: isAuthTransaction,
      namespace: ctx.config.clientId,
    });
    stores.set(ctx, store);
  }
  return store;
}

/**
 * Runs a storage write of a flow; a refusal by the browser (quota, privacy mode) becomes a typed
 * `storage_write_failed` with the browser's error as cause, instead of a bare DOMException.
 */
export function stored<T>(write: () => T): T {
  try {
    return write();
  } catch (cause) {
    if (cause instanceof TypeError) throw cause;
    throw new BrowserAuthError(
      STORAGE_WRITE_FAILED,
      "The browser refused to store the sign-in's data (storage full or blocked).",
      { cause },
    );
  }
}
