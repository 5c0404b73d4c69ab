/**
 * Storage keys. Every key this library writes starts with {@link STORAGE_PREFIX}; keys without
 * it belong to someone else (the app, another library, another major version of this one) and
 * are never read, changed or removed.
 *
 * Shape: `tessera.v1.<kind>.<segment>|<segment>|...`. Each segment is escaped so that it never
 * contains `|` (and list segments never contain a space inside an item), which makes a key
 * unambiguous whatever a `sub`, issuer or scope contains.
 */
import type { CacheScope } from './types.js';
import { normalizeResource, normalizeScopes } from './scopes.js';

/** The one versioned prefix of every storage key this library writes. */
export const STORAGE_PREFIX = 'tessera.v1.';

/** What an entry holds; the second part of its key. */
export const EntryKind = {
  Account: 'account',
  IdToken: 'idtoken',
  AccessToken: 'accesstoken',
  RefreshToken: 'refreshtoken',
  Transaction: 'txn',
} as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

/** The kinds the token cache owns (transactions belong to the transaction store). */
export const TOKEN_CACHE_KINDS: readonly EntryKind[] = [
  EntryKind.Account,
  EntryKind.IdToken,
  EntryKind.AccessToken,
  EntryKind.RefreshToken,
];

const SEPARATOR = '|';
const LIST_SEPARATOR = ' ';

/**
 * Escapes the characters that delimit key parts. `%` is escaped first so the escape is
 * reversible, hence injective: two different inputs never give the same output.
 */
function escapeSegment(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('|', '%7C').replaceAll(' ', '%20');
}

function unescapeSegment(value: string): string {
  return value.replaceAll('%20', ' ').replaceAll('%7C', '|').replaceAll('%25', '%');
}

function listSegment(values: readonly string[]): string {
  return values.map(escapeSegment).join(LIST_SEPARATOR);
}

/**
 * The stable id of a user at an issuer (`homeAccountId`): `<sub>|<issuer>`, with `%`, `|` and
 * space escaped in both parts so that no `sub` can make two accounts share an id (OIDC Core 2:
 * `sub` is unique only within its issuer, and may contain any character).
 */
export function accountKey(issuer: string, sub: string): string {
  return `${escapeSegment(sub)}${SEPARATOR}${escapeSegment(issuer)}`;
}

/** The key prefix of one kind: `tessera.v1.<kind>.`. */
export function kindPrefix(kind: EntryKind): string {
  return `${STORAGE_PREFIX}${kind}.`;
}

function makeKey(kind: EntryKind, segments: readonly string[]): string {
  return kindPrefix(kind) + segments.map(escapeSegment).join(SEPARATOR);
}

/** Whether a key carries this library's prefix. */
export function isOwnKey(key: string): boolean {
  return key.startsWith(STORAGE_PREFIX);
}

/** A key split into its kind and unescaped segments, or `undefined` for a key not ours. */
export interface ParsedKey {
  kind: EntryKind;
  segments: string[];
}

/** Splits one of our keys; `undefined` when the key is foreign or of an unknown kind. */
export function parseKey(key: string): ParsedKey | undefined {
  if (!isOwnKey(key)) return undefined;
  const rest = key.slice(STORAGE_PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot < 0) return undefined;
  const kind = rest.slice(0, dot);
  if (!isEntryKind(kind)) return undefined;
  return {
    kind,
    segments: rest
      .slice(dot + 1)
      .split(SEPARATOR)
      .map(unescapeSegment),
  };
}

function isEntryKind(value: string): value is EntryKind {
  return (Object.values(EntryKind) as string[]).includes(value);
}

/** Key of an account entry: one per user, issuer and client. */
export function accountStorageKey(homeAccountId: string, scope: CacheScope): string {
  return makeKey(EntryKind.Account, [homeAccountId, scope.issuer, scope.clientId]);
}

/** Key of the raw ID token of an account at an issuer and client. */
export function idTokenKey(homeAccountId: string, scope: CacheScope): string {
  return makeKey(EntryKind.IdToken, [homeAccountId, scope.issuer, scope.clientId]);
}

/**
 * Key of the refresh token of an account at an issuer and client. There is exactly one such
 * key, so storing a rotated token overwrites the old one (RFC 9700 4.14.2).
 */
export function refreshTokenKey(homeAccountId: string, scope: CacheScope): string {
  return makeKey(EntryKind.RefreshToken, [homeAccountId, scope.issuer, scope.clientId]);
}

/** What identifies an access token entry. Lists are normalised here. */
export interface AccessTokenKeyParts {
  homeAccountId: string;
  issuer: string;
  clientId: string;
  /** RFC 8707 resources; empty when none. */
  resource: readonly string[];
  scopes: readonly string[];
}

/**
 * Key of an access token: account, issuer, client, resource set (RFC 8707) and granted scope
 * set. The resource comes before the scopes so that one prefix selects every token of one
 * resource, and a token for one resource can never be found under another.
 */
export function accessTokenKey(parts: AccessTokenKeyParts): string {
  return (
    accessTokenKeyPrefix(parts, parts.resource) +
    escapeSegment(listSegment(normalizeScopes(parts.scopes)))
  );
}

/**
 * Prefix of the access token keys of an account at an issuer and client; with `resource`, only
 * those for exactly that resource set. Segments cannot contain `|`, so the prefix never
 * matches a longer account id, issuer, client or resource list.
 */
export function accessTokenKeyPrefix(
  scope: CacheScope & { homeAccountId: string },
  resource?: readonly string[],
): string {
  const head = [scope.homeAccountId, scope.issuer, scope.clientId].map(escapeSegment);
  if (resource !== undefined) head.push(escapeSegment(listSegment(normalizeResource(resource))));
  return kindPrefix(EntryKind.AccessToken) + head.join(SEPARATOR) + SEPARATOR;
}

/** Key of a pending authorization request, by its `state`. */
export function transactionKey(state: string): string {
  return kindPrefix(EntryKind.Transaction) + escapeSegment(state);
}
