// Claims challenges (entra profile). When an API answers 401 with a claims challenge (Conditional
// Access authentication context, continuous access evaluation), the client asks again with the
// `claims` parameter (OIDC Core 5.5 JSON) — Entra accepts it on the token endpoint, the refresh
// grant included, and puts the requested access-token claims into the new access token. Here the
// parameter is checked before oidc-provider runs the grant (see entra-requests.ts) and applied in
// its `extraTokenClaims` hook.

/** The members of a claims request object (OIDC Core 5.5, plus Entra's `access_token`). */
const MEMBERS = ['id_token', 'userinfo', 'access_token'] as const;

/** Claims Entra issues as arrays of strings even when one value is requested. */
const ARRAY_CLAIMS = new Set(['acrs', 'xms_cc']);

/**
 * Claims a claims request cannot set: the provider's own (a fresh token meets an `nbf` or
 * `iat` challenge by being fresh).
 */
const RESERVED = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'scope',
  'scp',
  'client_id',
  'cnf',
  'tid',
  'oid',
  'tfp',
  'azp',
  'auth_time',
  'nonce',
  'sid',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a `claims` parameter value. Returns why it is malformed, or undefined when it is a JSON
 * object whose `id_token`, `userinfo` and `access_token` members are objects of `null` or
 * `{ essential?, value?, values? }` entries.
 */
export function claimsProblem(value: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return 'the claims parameter is not valid JSON';
  }
  if (!isRecord(parsed)) return 'the claims parameter must be a JSON object';
  for (const member of MEMBERS) {
    const requests = parsed[member];
    if (requests === undefined) continue;
    if (!isRecord(requests)) return `claims.${member} must be an object`;
    for (const [name, request] of Object.entries(requests)) {
      if (request === null) continue;
      if (!isRecord(request)) return `claims.${member}.${name} must be null or an object`;
      if (request.essential !== undefined && typeof request.essential !== 'boolean') {
        return `claims.${member}.${name}.essential must be true or false`;
      }
      if (request.values !== undefined && !Array.isArray(request.values)) {
        return `claims.${member}.${name}.values must be an array`;
      }
    }
  }
  return undefined;
}

/**
 * The access-token claims a (checked) claims request asks for with a value: `value` (as a
 * one-element array for Entra's array claims `acrs` and `xms_cc`) or `values`. Entries without a
 * value and the provider's own claims are left out.
 */
export function requestedAccessTokenClaims(value: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return out;
  }
  const requests = isRecord(parsed) ? parsed.access_token : undefined;
  if (!isRecord(requests)) return out;
  for (const [name, request] of Object.entries(requests)) {
    if (!isRecord(request) || RESERVED.has(name)) continue;
    if (Array.isArray(request.values)) out[name] = request.values;
    else if (request.value !== undefined) {
      out[name] = ARRAY_CLAIMS.has(name) ? [request.value] : request.value;
    }
  }
  return out;
}
