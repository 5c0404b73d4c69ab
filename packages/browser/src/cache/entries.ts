/**
 * The stored schema: every value is a JSON object `{ v, kind, ...fields }`. Decoding is total:
 * anything that is not exactly an entry of the expected kind and version decodes to a reason,
 * never to an exception, so a corrupt, hand-edited or future entry is a cache miss.
 */
import type { AccessTokenEntity, AccountEntity } from './types.js';
import type { EntryKind } from './keys.js';

/** Version of the value schema, written as `v` in every entry. */
export const SCHEMA_VERSION = 1;

/** Why a stored value was not usable (for logs; never includes the value). */
export type DecodeFailure = 'unreadable' | 'unsupported_version' | 'wrong_kind' | 'wrong_shape';

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: DecodeFailure };

/** A secret held per account, issuer and client: a raw ID token or a refresh token. */
export interface SecretEntity {
  homeAccountId: string;
  issuer: string;
  clientId: string;
  secret: string;
}

/** Serialises an entry of `kind`. */
export function encodeEntry(kind: EntryKind, fields: object): string {
  return JSON.stringify({ ...fields, v: SCHEMA_VERSION, kind });
}

/**
 * Parses a stored value and checks version, kind and shape. `shape` returns a fresh object with
 * only the known fields, or `undefined` when a field is missing or of the wrong type.
 */
export function decodeEntry<T>(
  raw: string,
  kind: EntryKind,
  shape: (record: Record<string, unknown>) => T | undefined,
): Decoded<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  if (!isRecord(parsed)) return { ok: false, reason: 'unreadable' };
  // Only this exact version is understood: an older or newer layout may mean anything.
  if (parsed['v'] !== SCHEMA_VERSION) return { ok: false, reason: 'unsupported_version' };
  if (parsed['kind'] !== kind) return { ok: false, reason: 'wrong_kind' };
  const value = shape(parsed);
  return value === undefined ? { ok: false, reason: 'wrong_shape' } : { ok: true, value };
}

/** Shape check for {@link AccountEntity}. */
export function accountShape(r: Record<string, unknown>): AccountEntity | undefined {
  const { homeAccountId, issuer, clientId, sub, idTokenClaims, updatedAt } = r;
  if (
    !isNonEmptyString(homeAccountId) ||
    !isNonEmptyString(issuer) ||
    !isNonEmptyString(clientId) ||
    !isNonEmptyString(sub) ||
    !isRecord(idTokenClaims) ||
    typeof idTokenClaims['iss'] !== 'string' ||
    typeof idTokenClaims['sub'] !== 'string' ||
    !isFiniteNumber(updatedAt)
  ) {
    return undefined;
  }
  return {
    homeAccountId,
    issuer,
    clientId,
    sub,
    idTokenClaims: idTokenClaims as AccountEntity['idTokenClaims'],
    updatedAt,
  };
}

/** Shape check for {@link AccessTokenEntity}. */
export function accessTokenShape(r: Record<string, unknown>): AccessTokenEntity | undefined {
  const { homeAccountId, issuer, clientId, secret, tokenType, scopes, resource } = r;
  const { expiresAt, cachedAt } = r;
  if (
    !isNonEmptyString(homeAccountId) ||
    !isNonEmptyString(issuer) ||
    !isNonEmptyString(clientId) ||
    !isNonEmptyString(secret) ||
    !isNonEmptyString(tokenType) ||
    !isStringArray(scopes) ||
    !isStringArray(resource) ||
    !isFiniteNumber(expiresAt) ||
    !isFiniteNumber(cachedAt)
  ) {
    return undefined;
  }
  return {
    homeAccountId,
    issuer,
    clientId,
    secret,
    tokenType,
    scopes: [...scopes],
    resource: [...resource],
    expiresAt,
    cachedAt,
  };
}

/** Shape check for {@link SecretEntity}. */
export function secretShape(r: Record<string, unknown>): SecretEntity | undefined {
  const { homeAccountId, issuer, clientId, secret } = r;
  if (
    !isNonEmptyString(homeAccountId) ||
    !isNonEmptyString(issuer) ||
    !isNonEmptyString(clientId) ||
    !isNonEmptyString(secret)
  ) {
    return undefined;
  }
  return { homeAccountId, issuer, clientId, secret };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
