/**
 * The stored schema: every value is a JSON object with `v` (the schema version). Decoding is
 * total: anything that is not exactly an entry of the expected shape and version decodes to
 * `undefined`, never to an exception, so a corrupt, hand-edited or future entry is a cache miss.
 */
import { accountKey, recordKey } from './keys.js';
import type { AccessTokenEntity, AccountEntity, AccountRecord } from './types.js';

/** Version of the value schema, written as `v` in every entry. */
export const SCHEMA_VERSION = 1;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isOptionalString = (value: unknown) => value === undefined || isString(value);
export const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Parses JSON and checks the version; `undefined` for anything else. */
export function parseVersioned(raw: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    // Only this exact version is understood: an older or newer layout may mean anything.
    return isRecord(parsed) && parsed['v'] === SCHEMA_VERSION ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function accountShape(r: unknown): AccountEntity | undefined {
  if (!isRecord(r)) return undefined;
  const { homeAccountId, issuer, authority, clientId, sub, idTokenClaims: claims, updatedAt } = r;
  if (
    !isString(homeAccountId) ||
    !isString(issuer) ||
    !isString(authority) ||
    !isString(clientId) ||
    !isString(sub) ||
    !isRecord(claims) ||
    claims['sub'] !== sub ||
    typeof claims['iss'] !== 'string' ||
    !isFiniteNumber(updatedAt) ||
    // The id must describe the account: an entry edited to impersonate another user is refused.
    homeAccountId !== accountKey(issuer, sub)
  ) {
    return undefined;
  }
  return {
    homeAccountId,
    issuer,
    authority,
    clientId,
    sub,
    idTokenClaims: claims as AccountEntity['idTokenClaims'],
    updatedAt,
  };
}

function accessTokenShape(r: unknown): AccessTokenEntity | undefined {
  if (!isRecord(r)) return undefined;
  const { secret, tokenType, scopes, resource, expiresAt, cachedAt } = r;
  if (
    !isString(secret) ||
    !isString(tokenType) ||
    !isStringArray(scopes) ||
    !isStringArray(resource) ||
    !isFiniteNumber(expiresAt) ||
    !isFiniteNumber(cachedAt) ||
    // A token cached after it expired was edited by hand: its lifetime means nothing.
    cachedAt > expiresAt
  ) {
    return undefined;
  }
  return { secret, tokenType, scopes, resource, expiresAt, cachedAt };
}

/**
 * Decodes a stored account record, or `undefined` when it is unusable — including when it is
 * stored under a key that does not describe it (copied or edited by hand).
 */
export function decodeRecord(key: string, raw: string): AccountRecord | undefined {
  const r = parseVersioned(raw);
  const account = accountShape(r?.['account']);
  const tokens = r?.['accessTokens'];
  if (
    r === undefined ||
    account === undefined ||
    !Array.isArray(tokens) ||
    !isOptionalString(r['idToken']) ||
    !isOptionalString(r['refreshToken']) ||
    !(r['refreshTokenExpiresAt'] === undefined || isFiniteNumber(r['refreshTokenExpiresAt'])) ||
    recordKey(account.clientId, account.homeAccountId) !== key
  ) {
    return undefined;
  }
  const accessTokens: AccessTokenEntity[] = [];
  for (const token of tokens) {
    const shaped = accessTokenShape(token);
    if (shaped === undefined) return undefined;
    accessTokens.push(shaped);
  }
  return {
    account,
    idToken: r['idToken'],
    refreshToken: r['refreshToken'],
    // An expiry without a refresh token means nothing.
    refreshTokenExpiresAt: r['refreshToken'] === undefined ? undefined : r['refreshTokenExpiresAt'],
    accessTokens,
  };
}

/** Serialises a record (undefined fields are left out). */
export function encodeRecord(record: AccountRecord): string {
  return JSON.stringify({ v: SCHEMA_VERSION, ...record });
}
