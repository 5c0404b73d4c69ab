/**
 * Storage keys. Every key this library writes starts with {@link STORAGE_PREFIX}; keys without
 * it belong to someone else (the app, another library, another major version of this one) and
 * are never read, changed or removed.
 */

/** The one versioned prefix of every storage key this library writes. */
export const STORAGE_PREFIX = 'tessera.v1.';

/** Prefix of the per-account session records (one key per client and account). */
export const ACCOUNT_PREFIX = `${STORAGE_PREFIX}account.`;

/** Prefix of pending authorization requests, by `state`. */
export const TRANSACTION_PREFIX = `${STORAGE_PREFIX}txn.`;

/**
 * Redirect bookkeeping of one client in the session store: `pending` holds the `state` of the
 * redirect this tab is waiting for, `response` a response carried from the redirect URI to the
 * start page. Per client, so two app instances on one page never take each other's.
 */
export function redirectKey(clientId: string, what: 'pending' | 'response'): string {
  return `${STORAGE_PREFIX}redirect.${what}.${escapeSegment(clientId)}`;
}

/**
 * The `localStorage` key where the app's tabs share the time of the last user activity, for the
 * idle sign-out. Built here and handed to the idle watcher, so that lazily loaded module shares
 * no code with the entry (a bundler would make a chunk of this module for the two).
 */
export function activityKey(clientId: string): string {
  return `${STORAGE_PREFIX}activity.${clientId}`;
}

/** Escapes `%`, `|` and space, reversibly (hence injectively): `%` goes first. */
function escapeSegment(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('|', '%7C').replaceAll(' ', '%20');
}

/**
 * The stable id of a user at an issuer (`homeAccountId`): `<sub>|<issuer>`, with `%`, `|` and
 * space escaped in both parts so that no `sub` can make two accounts share an id (OIDC Core 2:
 * `sub` is unique only within its issuer, and may contain any character).
 */
export function accountKey(issuer: string, sub: string): string {
  return `${escapeSegment(sub)}|${escapeSegment(issuer)}`;
}

/** Key of the record holding one account's tokens for one client. */
export function recordKey(clientId: string, homeAccountId: string): string {
  return `${ACCOUNT_PREFIX}${escapeSegment(clientId)}|${homeAccountId}`;
}

/**
 * Key of the client's active account id (`setActiveAccount`): in the token store, so that it
 * survives a reload and every tab sharing the store agrees on it.
 */
export function activeAccountKey(clientId: string): string {
  return `${STORAGE_PREFIX}active.${escapeSegment(clientId)}`;
}

/**
 * Key of a pending authorization request, by its `state`, under a namespace (the client id),
 * so instances of two clients on one page never read, take or prune each other's.
 */
export function transactionKey(state: string, namespace = ''): string {
  return transactionPrefix(namespace) + escapeSegment(state);
}

/** The key prefix of one namespace's pending requests. */
export function transactionPrefix(namespace = ''): string {
  return namespace === ''
    ? TRANSACTION_PREFIX
    : `${TRANSACTION_PREFIX}${escapeSegment(namespace)}|`;
}
